# Words every part of Couper shares: days, months, and the state of the day as the
# tray, the CLI and the window say it. One catalogue for the Rust side and the window
# (locales/README.md).

## Days of the week, Monday first.
day-mon = Monday
day-tue = Tuesday
day-wed = Wednesday
day-thu = Thursday
day-fri = Friday
day-sat = Saturday
day-sun = Sunday
day-short-mon = Mon
day-short-tue = Tue
day-short-wed = Wed
day-short-thu = Thu
day-short-fri = Fri
day-short-sat = Sat
day-short-sun = Sun

## Months.
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec

## A moment said from now: "18:00", "Tue 09:00", "Tue 1 Dec 09:00".
when-today = { $time }
when-this-week = { $day } { $time }
when-later = { $day } { $date } { $month } { $time }

## The state of the day, worded the same in the tray, the CLI and the window.
state-working = Working
state-working-until = Working until { $until }
state-off = Off
state-off-until = Off until { $until }
state-held = { $count } held
state-on-call = On call
state-on-call-shift = On call (shift)
state-not-gating = Not gating
