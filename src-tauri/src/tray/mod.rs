//! The tray: an icon per state and the menu with the one-click "I'm off" (SPEC §2). The
//! menu's ids are a typed enum; a click calls the gate ([`Backend`]: in this process, or a
//! headless `couper run`) and nothing else, and the icon and words follow from the state
//! (`look.rs`) whatever changed it (`follow.rs`).

pub mod look;

use crate::backend::Backend;
use crate::window::{self, Tab};
use jiff::Timestamp;
use look::{Icon, Look};
use std::sync::Mutex;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuId, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

/// The tray icon's id.
const TRAY_ID: &str = "couper";

/// The items of the tray menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItemId {
    /// "I'm off": "Off until Tue 09:00" / "Working until 18:00".
    Off,
    /// "On call".
    OnCall,
    /// "Held (12)…": the window on the Held tab.
    Held,
    /// "Copy auto-reply": the auto-reply on the clipboard.
    CopyReply,
    /// "Settings…": the window.
    Settings,
    /// "Quit".
    Quit,
    /// While Couper stands aside: "Not gating: put Couper in front of dunst" / "…try
    /// again". Only in the menu then, first.
    Gate,
}

impl MenuItemId {
    const ALL: [MenuItemId; 7] = [
        MenuItemId::Off,
        MenuItemId::OnCall,
        MenuItemId::Held,
        MenuItemId::CopyReply,
        MenuItemId::Settings,
        MenuItemId::Quit,
        MenuItemId::Gate,
    ];

    fn as_str(self) -> &'static str {
        match self {
            MenuItemId::Off => "off",
            MenuItemId::OnCall => "on_call",
            MenuItemId::Held => "held",
            MenuItemId::CopyReply => "copy_reply",
            MenuItemId::Settings => "settings",
            MenuItemId::Quit => "quit",
            MenuItemId::Gate => "gate",
        }
    }
}

impl From<MenuItemId> for MenuId {
    fn from(id: MenuItemId) -> MenuId {
        MenuId::new(id.as_str())
    }
}

impl TryFrom<&MenuId> for MenuItemId {
    type Error = ();

    fn try_from(id: &MenuId) -> Result<MenuItemId, ()> {
        MenuItemId::ALL
            .into_iter()
            .find(|item| MenuId::from(*item) == *id)
            .ok_or(())
    }
}

/// The tray and the menu items that change.
pub struct Tray<R: Runtime> {
    icon: TrayIcon<R>,
    off: CheckMenuItem<R>,
    on_call: CheckMenuItem<R>,
    held: MenuItem<R>,
    copy_reply: MenuItem<R>,
    settings: MenuItem<R>,
    quit: MenuItem<R>,
    menu: Menu<R>,
    /// The "Not gating" item, in the menu while `gate_shown`.
    gate: MenuItem<R>,
    gate_shown: Mutex<bool>,
    /// The icon shown, so that an unchanged one is not sent again.
    shown: Mutex<Option<Icon>>,
    /// Redraws take turns (see [`redraw_tray`]).
    pub redrawing: tokio::sync::Mutex<()>,
}

/// Creates the tray with the look of `first` and manages it as app state.
pub fn create_tray<R: Runtime>(app: &AppHandle<R>, first: &Look) -> tauri::Result<()> {
    let off = CheckMenuItem::with_id(
        app,
        MenuItemId::Off,
        &first.off,
        true,
        first.off_checked,
        None::<&str>,
    )?;
    let on_call = CheckMenuItem::with_id(
        app,
        MenuItemId::OnCall,
        &first.on_call,
        true,
        first.on_call_checked,
        None::<&str>,
    )?;
    let held = MenuItem::with_id(app, MenuItemId::Held, &first.held, true, None::<&str>)?;
    let copy_reply = MenuItem::with_id(
        app,
        MenuItemId::CopyReply,
        &first.copy_reply,
        true,
        None::<&str>,
    )?;
    let settings = MenuItem::with_id(
        app,
        MenuItemId::Settings,
        &first.settings,
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, MenuItemId::Quit, &first.quit, true, None::<&str>)?;
    let gate = MenuItem::with_id(
        app,
        MenuItemId::Gate,
        first.gate.as_deref().unwrap_or_default(),
        true,
        None::<&str>,
    )?;
    let menu = Menu::with_items(
        app,
        &[
            &off,
            &on_call,
            &PredefinedMenuItem::separator(app)?,
            &held,
            &copy_reply,
            &settings,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let icon = TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(first.icon.png())?)
        .tooltip(&first.tooltip)
        .menu(&menu)
        .on_menu_event(on_menu_event)
        .build(app)?;
    let tray = Tray {
        icon,
        off,
        on_call,
        held,
        copy_reply,
        settings,
        quit,
        menu,
        gate,
        gate_shown: Mutex::new(false),
        shown: Mutex::new(Some(first.icon)),
        redrawing: tokio::sync::Mutex::new(()),
    };
    tray.show_gate(first)?;
    app.manage(tray);
    Ok(())
}

impl<R: Runtime> Tray<R> {
    /// Shows `look`: the words and checks always (a click toggled a check item by itself,
    /// whatever the state said), the icon when it changed.
    pub fn show(&self, look: &Look) -> tauri::Result<()> {
        self.off.set_text(&look.off)?;
        self.off.set_checked(look.off_checked)?;
        self.on_call.set_text(&look.on_call)?;
        self.on_call.set_checked(look.on_call_checked)?;
        self.held.set_text(&look.held)?;
        self.copy_reply.set_text(&look.copy_reply)?;
        self.settings.set_text(&look.settings)?;
        self.quit.set_text(&look.quit)?;
        self.show_gate(look)?;
        self.icon.set_tooltip(Some(&look.tooltip))?;
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        if *shown != Some(look.icon) {
            self.icon
                .set_icon(Some(Image::from_bytes(look.icon.png())?))?;
            *shown = Some(look.icon);
        }
        Ok(())
    }
}

impl<R: Runtime> Tray<R> {
    /// The "Not gating" item: first in the menu while Couper stands aside, gone otherwise.
    fn show_gate(&self, look: &Look) -> tauri::Result<()> {
        let mut shown = self.gate_shown.lock().unwrap_or_else(|p| p.into_inner());
        match (&look.gate, *shown) {
            (Some(text), true) => self.gate.set_text(text)?,
            (Some(text), false) => {
                self.gate.set_text(text)?;
                self.menu.insert(&self.gate, 0)?;
                *shown = true;
            }
            (None, true) => {
                self.menu.remove(&self.gate)?;
                *shown = false;
            }
            (None, false) => {}
        }
        Ok(())
    }
}

/// A click in the menu: the window, Quit, or one call to the gate.
fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let Ok(item) = MenuItemId::try_from(event.id()) else {
        return;
    };
    match item {
        MenuItemId::Held => window::show(app, Tab::Held),
        MenuItemId::Settings => window::show(app, Tab::Hours),
        MenuItemId::Quit => app.exit(0),
        MenuItemId::Off | MenuItemId::OnCall | MenuItemId::CopyReply | MenuItemId::Gate => {
            let app = app.clone();
            let backend = app.state::<Backend>().inner().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = click(&app, &backend, item).await {
                    tracing::error!("tray: {}: {e}", item.as_str());
                }
                // A check item toggles itself when clicked: put back what the state says,
                // in case the click changed nothing (on call by a shift stays on call).
                redraw_tray(&app, &backend).await;
            });
        }
    }
}

/// The gate's side of a click.
async fn click<R: Runtime>(
    app: &AppHandle<R>,
    backend: &Backend,
    item: MenuItemId,
) -> Result<(), String> {
    match item {
        MenuItemId::Off => backend
            .set_mode("toggle", "")
            .await
            .map(drop)
            .map_err(|e| e.to_string()),
        MenuItemId::OnCall => backend
            .toggle_on_call()
            .await
            .map(drop)
            .map_err(|e| e.to_string()),
        MenuItemId::CopyReply => {
            let reply = backend
                .reply(backend.lang().await)
                .await
                .map_err(|e| e.to_string())?;
            app.clipboard().write_text(reply).map_err(|e| e.to_string())
        }
        MenuItemId::Gate => {
            // Replace the daemon the user started only when that is what the item said.
            let status = backend.status().await.map_err(|e| e.to_string())?;
            let replace = status.not_gating.is_some_and(|why| why.replace.is_some());
            backend
                .retry(replace)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        }
        MenuItemId::Held | MenuItemId::Settings | MenuItemId::Quit => Ok(()),
    }
}

/// Shows the state now in the tray, if there is one. Redraws take turns, each reading the
/// state when its turn comes: the last one shows the latest state.
pub async fn redraw_tray<R: Runtime>(app: &AppHandle<R>, backend: &Backend) {
    let Some(tray) = app.try_state::<Tray<R>>() else {
        return;
    };
    let _turn = tray.redrawing.lock().await;
    let shown = match look_now(backend).await {
        Ok(look) => tray.show(&look).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = shown {
        tracing::error!("tray: {e}");
    }
}

/// What the tray shows now.
pub async fn look_now(backend: &Backend) -> Result<Look, crate::CommandError> {
    let status = backend.status().await?;
    let lang = backend.lang().await;
    let look = Look::of(
        &status.status.state,
        &backend.zone(&status),
        Timestamp::now(),
        lang,
    )
    .not_gating(status.not_gating.as_ref(), lang);
    Ok(if backend.is_remote() {
        look.in_front_of_couper_run(lang)
    } else {
        look
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_convert_both_ways() {
        for item in MenuItemId::ALL {
            assert_eq!(MenuItemId::try_from(&MenuId::from(item)), Ok(item));
        }
        assert_eq!(MenuItemId::try_from(&MenuId::new("nope")), Err(()));
    }
}
