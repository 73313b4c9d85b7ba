# Why a file, a request or the gate was refused, as the CLI and the tray say it.

## A file the user names (settings, calendar).
userfile-cannot-read = { $path }: cannot read: { $why }
userfile-not-regular = it is { $kind }, not a regular file
userfile-kind-fifo = a FIFO
userfile-kind-device = a device
userfile-kind-socket = a socket
userfile-kind-directory = a directory
userfile-kind-other = not a file
userfile-too-large = it is larger than { $mib } MiB, the most Couper reads
userfile-not-text = it is not UTF-8 text

## The gate.
gate-already-running = a Couper gate is already running in this session{ $owner }; use `couper status`, or stop it before starting another
gate-settings-refused = the settings are refused and no good copy is known:
gate-proxy-reason = no desktop shell owns org.freedesktop.Notifications: Couper owns it and draws through the display daemon on a private bus

## A request to the gate (from the CLI, the tray, the window); `$text` is quoted as typed.
request-not-a-mode = { $mode } is not a mode: off, on, auto or toggle
request-mode-no-end = { $mode } takes no end time
request-until-not-a-time = --until { $text } is not a time: use HH:MM, YYYY-MM-DD HH:MM or RFC 3339 (2026-11-30T09:00:00+01:00)
request-until-past = --until { $text } is already past
request-before-empty = --before is empty: give a date (YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339), or use --all to erase all of the history
request-before-not-a-date = --before { $text } is not a date: use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339
request-form-not-json = the form is not JSON: { $why }
request-no-window = this gate runs without a window (couper run)

## The team's calendar (on call), as `couper status` and the window say why it is stale.
calendar-cannot-read = { $location }: cannot read it: { $why }
calendar-http = { $location }: { $why }
calendar-server-answered = the server answered { $status }
calendar-not-icalendar = { $location }: not an iCalendar file: { $why }

## Why a calendar is not one, or an event of it is skipped (`$summary` and `$zone` come
## quoted; the libraries' own words follow some in English).
calendar-not-vcalendar = it does not begin with BEGIN:VCALENDAR
calendar-event-skipped = event { $summary } skipped: { $why }
calendar-unknown-zone = unknown time zone { $zone }
calendar-no-dtstart = no DTSTART
calendar-its-end = its end: { $why }
calendar-ends-before-start = it ends before it starts
calendar-its-dtend = its DTEND: { $why }
calendar-its-duration = its DURATION { $duration }: { $why }
calendar-no-end = it has neither DTEND nor DURATION
calendar-rrule-zone = time zone { $zone } unknown to the recurrence rules
calendar-out-of-range = { $why } out of range
calendar-its-rrule = its RRULE: { $why }
calendar-rrule-before-window = its RRULE repeats more than { $count } times before the days kept
calendar-too-many = it repeats more than { $count } times in the { $days } days kept

## The tray app, as its window says what failed.
app-not-saved = the settings could not be saved: { $why }
app-gate-silent = couper run did not answer: { $why }
app-gate-unreadable = couper run answered what this app cannot read ({ $why }): are both the same version?
app-autostart-failed = starting with the session: { $why }
app-not-a-period = { $period } is neither "week" nor "month"
app-not-a-browser = { $browser } is neither "firefox" nor "chromium"

## What stops the gate, or makes it stand aside (fail open): one line each, saying what
## to do next. `$name` is org.freedesktop.Notifications.
gate-name-taken-shell = { $name } is owned by { $who }, the desktop shell's own notifications: the proxy route cannot stand in front of it; Couper never ends another program.
gate-name-taken = { $name } is owned by { $who }, which you started: `couper run --replace` puts Couper in front of it (Couper then runs it behind itself), or stop it and run couper run again.
gate-no-display-daemon = no display daemon found: no D-Bus activation file in { $dirs } provides { $name }; name one in settings ([display] command = ["dunst"])
gate-systemd-only = { $file } starts the display daemon only through systemd ({ $unit }) and gives no command; name the command in settings ([display] command = [...])
gate-none-fits = no display daemon fits this session: { $unfit } cannot draw here (no Wayland compositor); name one in settings ([display] command = ["dunst"])
gate-none-started = no display daemon could start: { $tried }
gate-take-over-failed = { $who } did not give { $name } up within 5 s of being asked to stop: Couper stands aside; stop it and try again
gate-empty-command = the [display] command in settings is empty: name a program, e.g. ["dunst"]
gate-cannot-start = cannot start { $program }: { $why }
gate-private-bus = Couper's private D-Bus (dbus-daemon) failed: { $why }
gate-display-never-owned = the display daemon `{ $command }` did not take { $name } on Couper's private bus within { $seconds } s; check that it runs on this display, or name another in settings ([display] command)
gate-display-exited = the display daemon `{ $command }` exited ({ $status })
gate-session-bus = cannot use the session bus: { $why }
gate-bus = D-Bus: { $why }
gate-stopped = the gate has stopped
