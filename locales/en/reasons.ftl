# The one-line reason of every decision (SPEC §2), as `couper explain`, the window's
# Held tab and the report say it:
# "held: Slack is a work app and Saturday 21:04 is outside your hours; delivered Monday 09:00".

## A moment in a reason: "Saturday 21:04", "Monday 14 July", "Monday 4 January 09:00".
reason-day-time = { $day } { $time }
reason-long-day = { $day } { $date } { $month }
reason-when-later = { $day } { $date } { $month } { $time }

## Delivered.
reason-personal = delivered: { $app } is not a work app
reason-other-account = delivered: { $app } is a work app, but not for this account
reason-working-until = delivered: { $source } is a work app and you said you are working until { $until }
reason-working = delivered: { $source } is a work app and { $when } is within your hours

## A crisis let through outside working time; `$rest` is all after the colon (the
## report's interruptions say only that part).
reason-crisis = delivered as crisis: { $rest }
reason-crisis-why = { $source } sent { $crisis }; { $outside }, and { $pass }
reason-pass-on-call = you are on call
reason-pass-always = crises always get through

## Held, silenced.
reason-held = held: { $source } is a work app and { $outside }; delivered { $when }
reason-held-until-back = held: { $source } is a work app and { $outside }; delivered when you are back at work
reason-silenced = silenced: { $source } is silenced outside your hours and { $outside }
reason-blocked-crisis = { $line } (a crisis: { $crisis }, but crises get through only on call)
reason-withdrawn = withdrawn by its app before release

## Why it is not working time.
reason-off-by-hand = you said you are off ({ $when })
reason-time-off-label = { $when } is time off ({ $label })
reason-time-off = { $when } is time off
reason-holiday = { $day } is a public holiday
reason-outside-hours = { $when } is outside your hours

## What made it a crisis.
crisis-hint = an alert marked as crisis
why-crisis-critical = a critical notification
why-crisis-keyword = the crisis keyword "{ $keyword }"
# `$vowel`: whether the name starts with a vowel (French elides before one).
# $vowel (yes/no) is for French elision (d'Alexandre); English says it one way.
why-crisis-sender = { $vowel ->
       *[no] a message from { $sender }
    }
why-crisis-repeat = { $count } notifications from the same sender within { $minutes } minutes
crisis-none = a notification

## A browser's work sites (`sites` of a work app): the site as the browser names it.
reason-other-site = delivered: { $site } is not one of { $app }'s work sites
reason-no-site = delivered: { $app } is a work app only for its work sites, and this notification names no site
reason-working-site = delivered: { $site } is a work site ({ $source }) and { $when } is within your hours
reason-working-until-site = delivered: { $site } is a work site ({ $source }) and you said you are working until { $until }
reason-crisis-why-site = { $site } ({ $source }) sent { $crisis }; { $outside }, and { $pass }
reason-held-site = held: { $site } is a work site ({ $source }) and { $outside }; delivered { $when }
reason-held-until-back-site = held: { $site } is a work site ({ $source }) and { $outside }; delivered when you are back at work
reason-silenced-site = silenced: { $site } is a work site ({ $source }) silenced outside your hours, and { $outside }
