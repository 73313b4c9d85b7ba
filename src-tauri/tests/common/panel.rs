//! A desktop panel, as far as Couper's tray can tell: a `org.kde.StatusNotifierWatcher`
//! on the test bus that items register with (libayatana-appindicator looks for it at
//! start, and falls back to an XEmbed icon without one), and a reader of a registered
//! item's properties and of its `com.canonical.dbusmenu` menu, which clicks items the way
//! a panel does (`Event(id, "clicked", …)`).
#![allow(dead_code)]

use crate::desktop::PATIENCE;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use zbus::message::Header;
use zbus::names::InterfaceName;
use zbus::object_server::SignalEmitter;
use zbus::{OwnedObjectPath, OwnedVariant as OwnedValue, Variant as Value};

const ITEM: &str = "org.kde.StatusNotifierItem";
const MENU: &str = "com.canonical.dbusmenu";

/// A dbusmenu layout node: `(id, properties, children)`, children being nodes in variants.
type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// The watcher: remembers the items and tells the test when one registers.
struct Watcher {
    items: Arc<Mutex<Vec<String>>>,
    registered: mpsc::UnboundedSender<String>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    /// `service` is a bus name, or (libayatana-appindicator) an object path on the
    /// caller's connection.
    async fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: Header<'_>,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
    ) {
        let item = if service.starts_with('/') {
            let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
            format!("{sender}{service}")
        } else {
            service.to_string()
        };
        self.items.lock().expect("items").push(item.clone());
        let _ = Watcher::status_notifier_item_registered(&emitter, &item).await;
        let _ = self.registered.send(item);
    }

    async fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().expect("items").clone()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }

    #[zbus(signal)]
    async fn status_notifier_item_registered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_item_unregistered(
        emitter: &SignalEmitter<'_>,
        service: &str,
    ) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn status_notifier_host_registered(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;
}

/// The panel on a session bus.
pub struct Panel {
    conn: zbus::Connection,
    registered: mpsc::UnboundedReceiver<String>,
}

impl Panel {
    /// Serves the watcher on the bus at `address`, then takes its name.
    pub async fn start(address: &str) -> Panel {
        let (tx, registered) = mpsc::unbounded_channel();
        let watcher = Watcher {
            items: Arc::default(),
            registered: tx,
        };
        let conn = zbus::connection::Builder::address(address)
            .serve_at("/StatusNotifierWatcher", watcher)
            .name("org.kde.StatusNotifierWatcher")
            .build()
            .await
            .expect("the panel's bus");
        Panel { conn, registered }
    }

    /// Waits for the next item to register.
    pub async fn next_item(&mut self) -> Item {
        let service = tokio::time::timeout(PATIENCE, self.registered.recv())
            .await
            .expect("no tray item registered with the watcher")
            .expect("the watcher is gone");
        let (name, path) = match service.find('/') {
            Some(0) | None => (service.clone(), "/StatusNotifierItem".to_string()),
            Some(i) => (service[..i].to_string(), service[i..].to_string()),
        };
        Item {
            conn: self.conn.clone(),
            name,
            path,
        }
    }
}

/// A registered tray item.
pub struct Item {
    conn: zbus::Connection,
    /// Its connection's name.
    pub name: String,
    /// Its object path.
    pub path: String,
}

/// One entry of a dbusmenu layout.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its id, for `Event`.
    pub id: i32,
    /// Its label (with `_` mnemonics, as the menu sends it).
    pub label: String,
    /// `checkmark`, `radio` or empty.
    pub toggle_type: String,
    /// 1 checked, 0 not, -1 none.
    pub toggle_state: i32,
    /// Whether it can be clicked.
    pub enabled: bool,
    /// Whether it shows.
    pub visible: bool,
    /// `separator` or `standard`.
    pub kind: String,
}

impl Item {
    /// A property of the item, read afresh (items tell changes by signals, not
    /// PropertiesChanged: nothing is cached).
    pub async fn property(&self, name: &str) -> OwnedValue {
        let properties = zbus::fdo::PropertiesProxy::builder(&self.conn)
            .destination(self.name.as_str())
            .path(self.path.as_str())
            .build()
            .await
            .expect("properties proxy");
        properties
            .get(InterfaceName::from_static_str_unchecked(ITEM), name)
            .await
            .unwrap_or_else(|e| panic!("{ITEM}.{name}: {e}"))
    }

    /// A string property.
    pub async fn text(&self, name: &str) -> String {
        String::try_from(self.property(name).await).expect("a string property")
    }

    /// The menu's object path.
    pub async fn menu_path(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(self.property("Menu").await).expect("Menu is an object path")
    }

    /// The menu, flattened (top level and submenus, in order).
    pub async fn menu(&self) -> Vec<Entry> {
        let path = self.menu_path().await;
        let reply = self
            .conn
            .call_method(
                Some(self.name.as_str()),
                path.as_str(),
                Some(MENU),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            )
            .await
            .expect("GetLayout");
        let (_revision, root): (u32, Node) = reply.body().deserialize().expect("a dbusmenu layout");
        let mut entries = Vec::new();
        flatten(root.2, &mut entries);
        entries
    }

    /// The entry whose label starts with `prefix`.
    pub async fn entry(&self, prefix: &str) -> Entry {
        let menu = self.menu().await;
        menu.iter()
            .find(|e| e.label.starts_with(prefix))
            .cloned()
            .unwrap_or_else(|| panic!("no menu entry starts with {prefix:?}: {menu:#?}"))
    }

    /// Clicks `entry` as a panel does.
    pub async fn click(&self, entry: &Entry) {
        let path = self.menu_path().await;
        self.conn
            .call_method(
                Some(self.name.as_str()),
                path.as_str(),
                Some(MENU),
                "Event",
                &(entry.id, "clicked", Value::from(0i32), 0u32),
            )
            .await
            .expect("Event");
    }

    /// The signals the item and its menu send (`NewIcon`, `LayoutUpdated`,
    /// `ItemsPropertiesUpdated`…), by member name, from now on.
    pub async fn signals(&self) -> impl futures_util::Stream<Item = String> + Unpin {
        let rule = zbus::MatchRule::builder()
            .msg_type(zbus::message::Type::Signal)
            .sender(self.name.as_str())
            .build()
            .expect("a match rule");
        zbus::MessageStream::for_match_rule(rule, &self.conn, None)
            .await
            .expect("signal stream")
            .filter_map(|message| async move {
                let message = message.ok()?;
                let header = message.header();
                let interface = header.interface()?.to_string();
                let member = header.member()?.to_string();
                (interface == ITEM || interface == MENU).then_some(member)
            })
            .boxed()
    }
}

fn flatten(children: Vec<OwnedValue>, entries: &mut Vec<Entry>) {
    for child in children {
        let Ok((id, props, children)) = Node::try_from(child) else {
            continue;
        };
        let text = |key: &str| {
            props
                .get(key)
                .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
                .unwrap_or_default()
        };
        let int = |key: &str, default: i32| {
            props
                .get(key)
                .and_then(|v| i32::try_from(v).ok())
                .unwrap_or(default)
        };
        let flag = |key: &str| {
            props
                .get(key)
                .and_then(|v| bool::try_from(v).ok())
                .unwrap_or(true)
        };
        entries.push(Entry {
            id,
            label: text("label"),
            toggle_type: text("toggle-type"),
            toggle_state: int("toggle-state", -1),
            enabled: flag("enabled"),
            visible: flag("visible"),
            kind: text("type"),
        });
        flatten(children, entries);
    }
}

/// A picture of the menu as a panel would draw it, from its layout: a dark panel strip
/// with the item's icon (the PNG the item shows), and the menu open below it, its
/// labels and checks as GetLayout gave them. SVG, for `rsvg-convert`.
pub fn picture(menu: &[Entry], icon_png: &[u8]) -> String {
    use base64::Engine;
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let width = 300;
    let row = 30;
    let gap = 9;
    let mut y = 40;
    let mut rows = String::new();
    for entry in menu.iter().filter(|e| e.visible) {
        if entry.kind == "separator" {
            rows.push_str(&format!(
                r##"<line x1="{x1}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="#d0d0d0"/>"##,
                x1 = width - 296 + 8,
                x2 = width - 8,
                ly = y + gap / 2
            ));
            y += gap;
            continue;
        }
        let text_x = 40;
        if entry.toggle_type == "checkmark" {
            let checked = entry.toggle_state == 1;
            rows.push_str(&format!(
                r##"<rect x="14" y="{by}" width="14" height="14" rx="2" fill="{fill}" stroke="{stroke}"/>"##,
                by = y + 8,
                fill = if checked { "#3465a4" } else { "#ffffff" },
                stroke = if checked { "#3465a4" } else { "#8a8a8a" },
            ));
            if checked {
                rows.push_str(&format!(
                    r##"<path d="M17 {a} l3 3 l6 -7" fill="none" stroke="#ffffff" stroke-width="2"/>"##,
                    a = y + 15
                ));
            }
        }
        rows.push_str(&format!(
            r##"<text x="{text_x}" y="{ty}" font-family="DejaVu Sans" font-size="14" fill="{fill}">{label}</text>"##,
            ty = y + 20,
            fill = if entry.enabled { "#202020" } else { "#9a9a9a" },
            label = escape(&entry.label.replace('_', "")),
        ));
        y += row;
    }
    let height = y + 8;
    let icon = base64::engine::general_purpose::STANDARD.encode(icon_png);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{height}">
<rect width="{width}" height="32" fill="#2e3436"/>
<rect x="{ix}" y="2" width="28" height="28" rx="4" fill="#4e5658"/>
<image x="{iix}" y="4" width="24" height="24" xlink:href="data:image/png;base64,{icon}"/>
<rect x="0.5" y="32.5" width="{mw}" height="{mh}" fill="#fafafa" stroke="#b0b0b0"/>
{rows}
</svg>
"##,
        ix = width - 34,
        iix = width - 32,
        mw = width - 1,
        mh = height - 34,
    )
}

/// The entry of `menu` whose label starts with `prefix`.
pub fn find<'a>(menu: &'a [Entry], prefix: &str) -> Option<&'a Entry> {
    menu.iter().find(|e| e.label.starts_with(prefix))
}

/// Waits until `done` holds of `item`'s menu, re-reading it on each of the item's signals
/// (`signals` from [`Item::signals`], taken before what should change the menu).
pub async fn until_menu(
    item: &Item,
    signals: &mut (impl futures_util::Stream<Item = String> + Unpin),
    what: &str,
    done: impl Fn(&[Entry]) -> bool,
) -> Vec<Entry> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let menu = item.menu().await;
        if done(&menu) {
            return menu;
        }
        tokio::time::timeout_at(deadline, signals.next())
            .await
            .unwrap_or_else(|_| panic!("the menu never showed {what}: {menu:#?}"))
            .expect("the item's signals ended");
    }
}
