# The `couper` command line: its --help (cli-…) and what its commands print for a
# person (couper-…). Help ids follow the commands: cli-<command> is a command's summary,
# cli-<command>-<argument> one of its arguments, cli-arg-<argument> one that every
# command has (--config, --help, --version). help2man makes the manual page from the
# English help.

## --help.
cli-about = Couper: a desktop notification gatekeeper for the right to disconnect
cli-usage = Usage:
cli-heading-commands = Commands
cli-heading-arguments = Arguments
cli-heading-options = Options
cli-arg-config = The settings file (default: $COUPER_CONFIG, else ~/.config/couper/settings.toml)
cli-arg-help = Print help
cli-arg-version = Print version
cli-help = Print this message or the help of the given subcommand(s)
cli-help-subcommand = Print help for the subcommand(s)
cli-run = Run the gatekeeper without the tray (what a systemd user service starts)
cli-run-replace = Put Couper in front of the notification daemon you started (it then runs behind Couper). One that the session started on demand is replaced anyway
cli-status = Mode, working or not, on call or not, next transition, held count, route
cli-status-json = Machine-readable output
cli-off = "I'm off": not working time until the next work day (or --until)
cli-off-until = When it ends (RFC 3339, or HH:MM, or "YYYY-MM-DD HH:MM" in your zone)
cli-on = "I'm working": working time for an hour (or --until); releases what is held
cli-on-until = When it ends (as for `couper off`)
cli-auto = Follow the schedule again
cli-on-call = Manual on call
cli-on-call-state = on, off, or toggle (the other way round from now)
cli-held = The held queue
cli-held-json = Machine-readable output
cli-release = Release held notifications now
cli-release-ids = The ids to release
cli-release-all = Release all of them
cli-explain = The decision and its reason for one notification
cli-explain-id = The notification's id
cli-alert = Send an alert through the gate (for scripts and on-call tools)
cli-alert-crisis = Mark it as a crisis
cli-alert-title = The title
cli-alert-body = The body
cli-check = Validate a settings file; exit 1 with the reasons
cli-simulate = Replay a timeline of JSON lines from stdin with no desktop at all
cli-simulate-json = Accepted for symmetry: the output is always JSON lines
cli-simulate-history = Keep the replay's store (its history) in this file instead of a temporary one
cli-forget = Erase the history (all of it, or what came before a date): the decisions the reports are made of, released notifications, the apps seen. Held ones stay
cli-forget-before = Only before this day (YYYY-MM-DD, its start in your zone), or instant ("YYYY-MM-DD HH:MM", RFC 3339). A blank one is refused
cli-forget-all = All of it (what `couper forget` alone does too), for scripts that say so
cli-restore = Put back every desktop setting the steer route changed (after a crash)
cli-report = The disconnection report (this week by default), or the on-call statement
cli-report-week = This week (Monday to Sunday), or the week of DAY (YYYY-MM-DD)
cli-report-month = This month, or MONTH (YYYY-MM)
cli-report-from = From this day (YYYY-MM-DD), with --to
cli-report-to = To this day (YYYY-MM-DD), included
cli-report-on-call = The on-call statement of a month (this month without --month)
cli-report-json = For tools: JSON
cli-report-csv = For a spreadsheet: CSV (`;` and decimal commas in French)
cli-report-lang = fr or en (default: the settings' language, else your locale's)
cli-report-history = The store to read (default: Couper's own), e.g. a `couper simulate --history` file
cli-report-at = Make it as of this instant (RFC 3339): "this week" and "this month" are its
cli-reply = The auto-reply: when you will answer, in words, for the people waiting
cli-reply-lang = fr or en (default: the settings' language, else your locale's)
cli-reply-history = Read this store instead of asking the running gate
cli-reply-at = As of this instant (RFC 3339) rather than now, from the settings and the store, without asking the running gate (to check what a reply will say)
cli-browser = A work profile for a browser: a menu entry of its own, and everything it shows is work
cli-browser-add = Make a work profile: a menu entry "Firefox (work)" that starts the browser with its own profile, and a work source for it
cli-browser-add-browser = firefox or chromium
cli-browser-remove = Remove a work profile's menu entry and work source (its data stays)
cli-browser-remove-browser = firefox or chromium
cli-browser-list = The work profiles made, with their menu entries and profiles
cli-browser-help = Print this message or the help of the given subcommand(s)
cli-browser-help-subcommand = Print help for the subcommand(s)

## What the commands print.
couper-ok = ok
couper-no-such-file = { $path }: no such file (without one, Couper uses its defaults: Monday to Friday 09:00-18:00, no work apps)
couper-no-settings-path = no settings path: give --config PATH or set COUPER_CONFIG
couper-no-data-dir = no data directory for the store
couper-no-temp-dir = cannot create a temporary directory
couper-no-session-bus = no session bus: is this a desktop session?
couper-no-gate = no Couper gate is running in this session: start it with `couper run` or the Couper app
couper-app-gates = the Couper app already gates this session (pid { $pid }): use its tray or `couper status`, or quit the app before starting `couper run`
couper-gate-restores = a Couper gate is running in this session: it puts your settings back itself when it stops (stop it first)
couper-nothing-to-restore = nothing to put back
couper-put-back = { $route } { $key }: back to { $value }
couper-left-as-changed = { $route } { $key }: left at { $value } (changed by hand while Couper ran)
couper-value-unset = unset
couper-bad-at = --at { $at } is not an RFC 3339 time (2026-11-27T17:30:00+01:00)
couper-bad-day = --{ $flag } { $day } is not a day: use YYYY-MM-DD
couper-bad-month = --month { $month } is not a month: use YYYY-MM (2026-10)
couper-bad-lang = { $lang } is not a language Couper speaks: fr or en
couper-no-such-store = { $path }: no such store
couper-unreadable = the gate answered something unreadable: { $why }
couper-erased = history erased ({ $count ->
    [one] { $count } decision
   *[other] { $count } decisions
})
couper-erased-before = history before { $date } erased ({ $count ->
    [one] { $count } decision
   *[other] { $count } decisions
})
couper-release-which = say which: couper release ID… or couper release --all
couper-released = released { $count }
couper-unknown-id = no notification { $id } is known (personal ones are remembered only while Couper runs)

## couper status: the state's line (as the tray's tooltip says it), then one line each.
couper-status-mode = mode:
couper-status-on-call = on call:
couper-status-held = held:
couper-status-next-start = next start:
couper-status-route = route:
couper-status-settings = settings:
couper-status-refused = refused:
couper-status-store = store:
couper-status-calendar = calendar:
couper-status-zone = time zone:
couper-mode-auto = auto (the schedule)
couper-mode-off = off (you said so)
couper-mode-off-until = off until { $until } (you said so)
couper-mode-on = on until { $until } (you said so)
couper-yes = yes
couper-no = no
couper-on-call-by-hand = yes (set by hand)
couper-no-display = no display daemon
couper-refused-keeps = { $why } (the last good settings stay)
couper-store-failing = cannot keep notifications since { $since } ({ $error }); { $count ->
        [one] 1 was shown at once instead
       *[other] { $count } were shown at once instead
    }
couper-calendar-read = { $shifts ->
    [one] { $shifts } shift
   *[other] { $shifts } shifts
} from { $location }, the copy read { $read }
couper-calendar-no-copy = { $shifts ->
    [one] { $shifts } shift
   *[other] { $shifts } shifts
} from { $location }, no good copy yet
couper-calendar-stale = stale since { $since }: { $why }; using the copy read { $read } ({ $shifts ->
    [one] { $shifts } shift
   *[other] { $shifts } shifts
})
couper-calendar-stale-no-copy = stale since { $since }: { $why }; no good copy yet ({ $shifts ->
    [one] { $shifts } shift
   *[other] { $shifts } shifts
})
couper-calendar-cannot-read = cannot read it
couper-calendar-skipped = { $first }
couper-calendar-skipped-more = { $first } (and { $more } more)

## couper held and couper explain.
couper-nothing-held = nothing held
couper-held-id = id
couper-held-at = held
couper-held-from = from
couper-held-summary = summary
couper-explain-released = released ({ $why })
couper-explain-withdrawn = withdrawn by its app
