#!/usr/bin/python3
"""A minimal StatusNotifierWatcher (org.kde.StatusNotifierWatcher) for the package check.

scripts/package --check starts it on a private session bus before the installed tray app:
the app's tray item (libayatana-appindicator) registers here as it would with a desktop's
panel. Every registration is printed on stdout, one line each ("registered SERVICE PATH"),
then flushed, so the caller can wait for it. It also says it is itself a host, so that the
item thinks a panel shows it. Stops on SIGTERM or SIGINT.
"""

import signal
import sys

from gi.repository import Gio, GLib

NAME = "org.kde.StatusNotifierWatcher"
PATH = "/StatusNotifierWatcher"
XML = """
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem">
      <arg name="service" type="s" direction="in"/>
    </method>
    <method name="RegisterStatusNotifierHost">
      <arg name="service" type="s" direction="in"/>
    </method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered">
      <arg name="service" type="s"/>
    </signal>
    <signal name="StatusNotifierItemUnregistered">
      <arg name="service" type="s"/>
    </signal>
    <signal name="StatusNotifierHostRegistered"/>
  </interface>
</node>
"""

items = []


def on_call(conn, sender, path, iface, method, params, invocation):
    if method == "RegisterStatusNotifierItem":
        (service,) = params.unpack()
        # Items register with their bus name or, as libayatana-appindicator does, with
        # their object path: the item is then the sender's, at that path.
        if service.startswith("/"):
            item = sender + service
        else:
            item = service
        if item not in items:
            items.append(item)
        print(f"registered {sender} {service}", flush=True)
        conn.emit_signal(None, PATH, NAME, "StatusNotifierItemRegistered",
                         GLib.Variant("(s)", (item,)))
        invocation.return_value(None)
    elif method == "RegisterStatusNotifierHost":
        invocation.return_value(None)
    else:
        invocation.return_dbus_error("org.freedesktop.DBus.Error.UnknownMethod", method)


def on_get(conn, sender, path, iface, prop):
    if prop == "RegisteredStatusNotifierItems":
        return GLib.Variant("as", items)
    if prop == "IsStatusNotifierHostRegistered":
        return GLib.Variant("b", True)
    if prop == "ProtocolVersion":
        return GLib.Variant("i", 0)
    return None


def main():
    loop = GLib.MainLoop()
    node = Gio.DBusNodeInfo.new_for_xml(XML)

    def on_bus(conn, _name):
        conn.register_object(PATH, node.interfaces[0], on_call, on_get, None)

    def on_name(_conn, name):
        print(f"watching {name}", flush=True)

    lost = []

    def on_lost(_conn, name):
        print(f"sni-watcher: could not own {name}", file=sys.stderr, flush=True)
        lost.append(name)
        loop.quit()

    Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE,
                     on_bus, on_name, on_lost)
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    loop.run()
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
