# Why a settings file (or the window's form) is refused: the reason after
# "settings.toml:9: hours.mon: ". Values come quoted as written ("9h-18h").

## Values.
settings-not-range = { $value } is not HH:MM-HH:MM
settings-range-24-start = { $value }: 24:00 is allowed only as an end
settings-range-not-time = { $value }: { $time } is not a time of day (00:00 to 23:59, or 24:00 as an end)
settings-range-same = { $value } starts and ends at the same time
settings-not-date = { $value } is not a date (YYYY-MM-DD)
settings-not-calendar-day = { $value } is not a day of the calendar
settings-not-datetime = { $value } is not a local date-time like "2026-11-27T18:00"
settings-datetime-not-time = { $value }: { $time } is not a time of day
settings-not-week-time = { $value } is not a day and a time like "fri 18:00"
settings-not-weekday = { $value }: { $day } is not a day ({ $days })
settings-week-time-not-time = { $value }: { $time } is not a time of day (00:00 to 23:59)
settings-not-language = { $value } is not a language Couper speaks: use "fr" or "en"
settings-not-one-of = { $value } is not one of { $known }
settings-timezone-empty = the time zone is empty; leave it out to use the system's
settings-timezone-unknown = unknown time zone { $value } (an IANA name such as "Europe/Paris")
settings-holidays-unknown = unknown holiday calendar { $value }; known: "FR"
settings-empty-name = empty name
settings-empty-app = empty app
settings-empty-account = empty account (leave it out to match every account)
settings-empty-entry = empty entry (it would match everything)
settings-empty-calendar = empty calendar (leave it out for none)
settings-empty-calendar-match = empty calendar_match (it would match every event)
settings-at-least = { $key } must be at least { $min }, not { $value }
settings-too-large = { $key } is too large: { $value }
settings-has-offset = { $value } has a UTC offset; write the local time ("2026-11-27T18:00")
settings-expected-date-or-datetime = expected a date or date-time, found { $found }
settings-expected-datetime = expected a date-time, found { $found }
settings-expected-date = expected a date, found { $found }
settings-ends-before-start = ends ({ $end }) before it starts ({ $start })
settings-starts-ends-same = starts and ends at the same time ({ $start })
settings-command-empty = the command is empty; leave it out to find the display daemon from the D-Bus activation files
settings-program-empty = the program name is empty

## The file's shape (TOML's own detail, in English, follows some of them).
settings-duplicate-key = duplicate key { $key }
settings-not-toml = not valid TOML: { $detail }
settings-unknown-weekday = unknown weekday { $name }; the days are { $days }
settings-unknown-key = unknown key { $name }
settings-unknown-key-known = unknown key { $name }; known keys: { $known }
settings-missing-key = missing key { $name }
settings-wrong-type = wrong type: { $detail }
settings-bad-value = { $detail }

## The window's form.
settings-form-not-table = the form is not a settings table: { $detail }

## Saving.
settings-not-saved = not saved: { $path }: { $detail }
settings-not-saved-refused = not saved: the file does not validate; fix it first:

## Work sites (`sites` of a `[[work_apps]]`).
settings-empty-site = empty site (leave it out, or write a host such as "linkedin.com")
settings-site-host-only = { $value } is not a site as Couper wants it: write the host alone, { $host } (its subdomains are included)
settings-not-site = { $value } is not a site: write a host such as "linkedin.com" (its subdomains are included)
