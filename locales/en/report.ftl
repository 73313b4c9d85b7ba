# The report and the on-call statement, as `couper report` prints them for a person.
# (The CSV's header row and section names are a file format: they stay in the code.)

## Times: "Fri 2 Oct 18:00", "Mon 23 Nov 2026".
report-when = { $day } { $date } { $month } { $time }
report-day = { $day } { $date } { $month } { $year }
report-text-hours = { $hours } h

## The report.
report-title = Couper report, { $first } to { $last } ({ $zone })
report-work = Work notifications
report-col-app = app
report-col-held = held
report-col-silenced = silenced
report-col-delivered = delivered
report-col-crises = crises
report-text-total = total
report-none = none
report-text-interruptions = Off-hours interruptions: { $count } (crises let through outside your hours)
report-on-call-mark = on call
report-worked = Worked outside your hours: { $count ->
        [one] { $count } time
       *[other] { $count } times
    }, { $hours } h
report-worked-outside = { $hours } h outside your hours
report-on-call = On call: { $hours } h

## Where an on-call period comes from.
report-yes = yes
report-no = no

## The on-call statement.
statement-title = On-call statement, { $month } { $year } ({ $zone })
statement-col-start = start
statement-col-end = end
statement-col-hours = hours
statement-col-night = night
statement-col-sunday = Sunday
statement-col-holiday = holiday
statement-col-origin = origin
statement-whole = (whole period: { $start } – { $end })
statement-interventions = Interventions (crises let through while on call): { $count }

## Why a report is refused; `$text` is quoted as given.
report-not-a-month = { $text } is not a month: use YYYY-MM (2026-10)
report-to-before-from = --to { $last } is before --from { $first }
report-statement-month = the on-call statement is made for a month
report-period-out-of-range = this period is out of the calendar's range: { $why }
report-query-not-json = the report's query is not JSON: { $why }
report-query-not-a-query = the report's query is not one: { $why }
