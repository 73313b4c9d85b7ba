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
