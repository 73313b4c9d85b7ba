# The settings window's own words (ui/). The state of the day, days and months come
# from common.ftl, shared with the tray and the CLI.

## The window.
app-title = Couper settings
app-loading = Loading your settings…
app-load-failed = Could not load the settings: { $message }

## The status line (the state itself: common.ftl).
status-unavailable = Couper is not answering: { $message }

## Tabs.
tabs-label = Settings sections
tab-hours = Hours
tab-apps = Work apps & accounts
tab-crisis = Crisis & on call
tab-held = Held
tab-held-count = Held ({ $count })
tab-diagnostics = Diagnostics
tab-report = Report

## Report tab.
report-heading = This week
report-loading = Loading the report…
report-failed = Could not load the report: { $message }
report-week = Week of { $first } to { $last }
report-chart = Work notifications by day and hour
report-chart-hint = Use the arrow keys to move between hours and days.
report-cell = { $day } { $time }: { $counts }
report-cell-none = no work notifications
report-cell-held = { $count } held
report-cell-delivered = { $count } delivered
report-cell-crisis-one = 1 crisis
report-cell-crises = { $count } crises
report-legend = Legend
report-legend-none = Nothing
report-legend-delivered = Delivered in working time
report-legend-held = Held or silenced
report-legend-crisis = Crisis let through
report-figures = The week’s figures
report-app = App
report-held = Held
report-silenced = Silenced
report-delivered = Delivered
report-crises = Crises
report-total = Total
report-no-apps = No work notifications this week.
report-interruptions = Off-hours interruptions
report-no-interruptions = None: work left you alone outside your hours.
report-time = Time
report-why = Why it passed
report-on-call-tag = on call
report-statement = On-call statement, { $month }
report-statement-failed = Could not load the on-call statement: { $message }
report-start = Start
report-end = End
report-hours = Hours
report-night = Night (21:00–06:00)
report-sunday = Sunday
report-holiday = Public holiday
report-origin = From
report-origin-schedule = schedule
report-origin-calendar = calendar
report-origin-manual = by hand
report-no-periods = No on-call period this month.
report-interventions = Interventions
report-no-interventions = No intervention this month.
report-export = Export CSV
report-exported = Saved { $file }.
report-export-failed = Could not export: { $message }

## Hours tab.
hours-heading = Working hours
hours-intro = Add the ranges you work each day. Drag a range to move it, drag its edges to change it, or type the times (HH:MM). A range that ends before it starts crosses midnight.
hours-keys = On a focused range: Left and Right arrows move it by 15 minutes, Shift with an arrow changes its end, Alt with an arrow changes its start, Delete removes it, Enter edits its times.
hours-day-off = Day off
hours-range = range { $n }
hours-from = From
hours-to = To
hours-add = Add a range
hours-remove = Remove
hours-block = { $day }, { $start } to { $end }
hours-track = { $day }: 24-hour track
hours-preview = Preview:
hours-preview-pending = Checking…
hours-preview-stale = No preview while a field is refused.
hours-zone = Time zone
hours-zone-hint = An IANA name, such as Europe/Paris.
hours-holidays-heading = Public holidays
hours-holidays-f-r = French public holidays are days off
hours-extra-holidays = Other days off
hours-holiday = Day off { $n }
hours-add-holiday = Add a day off
hours-remove-holiday = Remove day off { $n }
hours-time-off = Time off
hours-time-off-none = No time off planned.
hours-time-off-item = Time off { $n }
hours-time-off-start = First day
hours-time-off-end = Last day
hours-time-off-label = Label
hours-add-time-off = Add time off
hours-remove-time-off = Remove time off { $n }

## Work apps tab.
apps-heading = Work apps & accounts
apps-intro = Notifications from these apps (and accounts) follow your hours. Every other app is personal and is never touched.
apps-none = No work apps yet: nothing is held.
apps-item = Work app { $n }
apps-name = Name
apps-app = App
apps-app-hint = Its app name or desktop entry, in any case.
apps-account = Account (optional)
apps-account-hint = Text that must appear in the notification: an e-mail address, a workspace, a page.
apps-off-hours = Outside your hours
apps-hold = Hold until work starts
apps-drop = Silence
apps-add = Add a work app
apps-remove = Remove { $name }
apps-seen = Seen recently
apps-seen-intro = Apps that sent notifications lately, newest first.
apps-seen-none = No apps seen yet.
apps-seen-count = { $count } notifications, last { $when }
apps-this-is-work = This is work
apps-this-is-work-label = { $app }: this is work
apps-added = { $app } is now a work app.
apps-sites = Sites (for a browser)
apps-sites-hint = Only these sites are work in this browser, each with its subdomains (linkedin.com covers www.linkedin.com). None: every site.
apps-site = Site { $n }
apps-add-site = Add a site
apps-remove-site = Remove site { $n }
apps-sites-source = { $app } (work sites)
apps-seen-sites = Sites seen in { $app }
apps-site-this-is-work-label = { $site } in { $app }: this is work
apps-site-added = { $site } is now a work site in { $app }.
apps-site-is-work = Work site
apps-browser-heading = Work browser profile
apps-browser-intro = A browser does not say which of its notifications are work. A profile of its own for work, with its own menu entry, does: all of its notifications follow your hours, whatever the site.
apps-browser-none = Neither Firefox nor Chromium is installed here.
apps-browser-add = Make a work profile
apps-browser-add-label = { $browser }: make a work profile
apps-browser-remove = Remove the work profile
apps-browser-remove-label = { $browser }: remove the work profile
apps-browser-made = { $browser } (work) is in your menu: its notifications are work.
apps-browser-data-stays = Removing it keeps its data (bookmarks, logins, history) in { $profile }.
apps-browser-added = { $browser } (work) is made: start it from your menu.
apps-browser-removed = { $browser } (work) is removed; its data stays in { $profile }.

## Crisis tab.
crisis-heading = Crisis alerts
crisis-pass = Let crises through outside your hours
crisis-pass-always = Always
crisis-pass-on-call = Only when I am on call
crisis-critical = Notifications with critical urgency are crises
crisis-keywords = Keywords
crisis-keywords-hint = Whole words or phrases, in any case, with or without accents.
crisis-keyword = Keyword { $n }
crisis-add-keyword = Add a keyword
crisis-remove-keyword = Remove keyword { $n }
crisis-senders = Senders
crisis-senders-hint = A notification whose title names one of them is a crisis.
crisis-sender = Sender { $n }
crisis-add-sender = Add a sender
crisis-remove-sender = Remove sender { $n }
crisis-repeat-heading = Repeated messages
crisis-repeat = The same sender repeating is a crisis
crisis-repeat-count = Messages
crisis-repeat-minutes = Within (minutes)

## On call.
on-call-heading = On call
on-call-now = On call now (by hand)
on-call-shifts = Shifts
on-call-shifts-none = No shifts.
on-call-shift = Shift { $n }
on-call-shift-start = Start
on-call-shift-end = End
on-call-add-shift = Add a shift
on-call-remove-shift = Remove shift { $n }
on-call-rotation = Rotation
on-call-rotation-on = I am on call in a rotation
on-call-first = First on-call week starts
on-call-every = Every (weeks)
on-call-from = From
on-call-until = Until
on-call-day = Day
on-call-time = Time
on-call-next = Next on-call periods
on-call-next-none = No on-call period coming.

## Held tab.
held-heading = Held notifications
held-none = Nothing is held.
held-app = App
held-summary = Summary
held-time = Held at
held-reason = Reason
held-actions = Actions
held-crisis = crisis
held-release = Release
held-release-label = Release { $summary }
held-dismiss = Dismiss
held-dismiss-label = Dismiss { $summary }
held-release-all = Release all
held-released = { $count } released.
held-mode = When work starts again
held-digest = One summary (digest)
held-replay = Show each one again (replay)

## Diagnostics tab.
diag-heading = Diagnostics
diag-mode = Mode
diag-mode-auto = Following your hours
diag-mode-off = I’m off
diag-mode-on = I’m working
diag-route = Gate route
diag-route-reason = Why this route
diag-display = Display daemon
diag-display-none = None found
diag-settings-path = Settings file
diag-refused = Last refusal of a settings edit
diag-refused-none = None
diag-store-failure = Couper cannot keep notifications since { $since } ({ $error }): { $count ->
        [one] 1 was shown at once instead
       *[other] { $count } were shown at once instead
    }. Nothing is lost; check the disk and the file.
diag-autostart = Start Couper when I log in
diag-unknown = Unknown
diag-not-gating = Couper does not hold your notifications now: { $reason }
diag-replace = Put Couper in front of { $who }
diag-retry = Try again

## Saving.
save-save = Save
save-revert = Undo changes
save-saved = All changes saved.
save-clean = No unsaved changes.
save-unsaved = Unsaved changes.
save-saving = Saving…
save-invalid = Not saved: fix the fields marked below.
save-failed = Not saved: { $message }
errors-heading = To fix before saving
errors-goto = Show
errors-whole = Settings
external-changed = The settings file was changed outside this window.
external-take = Load the file’s version
external-keep = Keep my edits

## Erasing the history.
forget-heading = Erase the history
forget-what = What Couper remembers for these reports: its decisions, the notifications already given back, the apps it has seen and the sites they named. Held notifications are not history: they stay until they come back.
forget-all = All of it
forget-before = Before
forget-before-day = Erase what came before this day
forget-erase = Erase…
forget-ask-all = Erase the whole history?
forget-ask-before = Erase the history before { $day }?
forget-stays = This cannot be undone; held notifications stay.
forget-yes = Erase
forget-no = Cancel
forget-done = History erased ({ $count } decisions).
forget-failed = Could not erase: { $message }

## Autostart.
autostart-notice = Couper now starts when you log in, so your hours hold from the start of every session.
autostart-keep = OK
autostart-off = Don’t start with my session
refused-banner = Your last edit of the settings file was refused; the previous settings stay in force: { $message }
action-failed = That did not work: { $message }

## Dates, with the months of common.ftl.
date-day-month = { $date } { $month }
date-month-year = { $month } { $year }
date-long = { $date } { $month } { $year }

## The language of Couper (the language key of the settings).
language-heading = Language
language-label = Language of Couper
language-auto = Automatic (the system’s language)
language-hint = The tray, the notifications and this window speak it.
language-fr = Français
language-en = English
