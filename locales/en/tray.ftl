# The tray's own words (src-tauri/src/tray/look.rs). Its "I'm off" item and the state in
# its tooltip are the state lines of common.ftl, as the CLI and the window say them.

## The tooltip: "Couper: Off until Tue 09:00 · 12 held · On call".
tray-tooltip = Couper: { $state }

## The menu.
tray-held = Held ({ $count })…
tray-copy-reply = Copy auto-reply
tray-settings = Settings…
tray-quit = Quit
# In the app in front of a headless `couper run`: quitting leaves the gate running.
tray-quit-couper-run = Quit (Couper keeps running)
# While Couper stands aside (it failed open).
tray-gate-replace = { state-not-gating }: put Couper in front of { $who }
tray-gate-retry = { state-not-gating }: try again
