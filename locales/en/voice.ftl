# Couper's own notifications: the digest of a release, the list it opens, its warnings.

## The digest: "While you were off: 12 held — Slack 7, Teams 5".
digest-summary = While you were off: { $count } held — { $list }
digest-app = { $app } { $count }
digest-body = Open Couper to read them.
digest-show = Show
digest-show-held = Show held
digest-release-all = Release all

## The list the digest opens where no window runs.
held-list-summary = Held while you were off
held-list-line = { $app } — { $summary }
held-list-more = … and { $count } more (couper held)

## Where no window runs, what shows the same in a terminal.
no-window-summary = No Couper window runs here
no-window-body = `{ $command }` in a terminal shows it.

## Warnings, each said once; `$why` is the cause in one line.
warning-details = Details
warning-not-gating-summary = Couper is not holding notifications
warning-not-gating-body = { $why }. Every notification goes through until Couper stands in front of the display again.
warning-shell-lost-summary = Couper lost the desktop shell
warning-shell-lost-body = { $why }. Your notification settings are back as they were; start Couper again.
warning-calendar-stale-summary = The on-call calendar has not been read for a day
warning-calendar-stale-body = Every read has failed since { $since }; Couper uses the last copy it read.
warning-settings-refused-summary = Your settings edit was refused
warning-settings-refused-body = { $why }. The last good settings stay in force.

## The auto-reply (SPEC §8), when the settings give none; `$next` is the next start of
## working time in words: "Tuesday 26 November at 9:00".
reply-default = Thanks for your message! We will answer { $next }.
reply-soon = as soon as possible
reply-next = { $weekday } { $day } { $month } at { $time }
reply-next-year = { $weekday } { $day } { $month } { $year } at { $time }
reply-time = { $hour }:{ $minutes }

## Where the schedule goes next, under the hours in the settings window.
preview-off-and-back = Next: off at { $end }, back { $start }
preview-off = Next: off at { $end }
preview-around-the-clock = Working time around the clock
preview-back = Next: back at work { $start }
preview-never = No working hours in the coming year
