# `couper browser`: a work profile for Firefox or Chromium, with a menu entry of its own
# (browser-entry-…, written in both languages into the .desktop file) and a work source.

browser-entry-name = { $browser } (work)
browser-entry-generic = Web Browser
browser-entry-comment = { $browser } with your work profile: Couper holds what it shows outside your working hours
browser-not-installed = { $browser } is not installed here (looked for { $looked })
browser-no-home = no home directory: set HOME
browser-profile-failed = { $browser } could not make the work profile: { $why }
browser-entry-failed = cannot write the menu entry { $entry }: { $why }
browser-added = { $name } is made: its menu entry { $entry } starts the browser with its own profile ({ $profile }); everything it shows is work (a work source in { $settings })
browser-removed = { $name } is removed from the menu and the work sources; its profile's data stays in { $profile }
browser-none-to-remove = there is no work profile for { $browser } to remove
browser-list-item = { $name }: menu entry { $entry }, profile { $profile }, a work source (app { $app })
browser-list-item-not-work = { $name }: menu entry { $entry }, profile { $profile }, but not among the work sources (no work app { $app })
browser-list-none = no work profile: make one with `couper browser add firefox` or `couper browser add chromium`
