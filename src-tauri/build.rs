//! Generates the Tauri context (config, capabilities, the window's assets from `ui/dist`)
//! at build time, so a rebuilt `ui/dist` is picked up by the next `cargo build`.
//!
//! The app's own commands are listed here: each gets an `allow-<command>` permission, and
//! the window is granted exactly those (capabilities/main.json).

use std::path::Path;

/// The commands of docs/ipc.md.
const COMMANDS: &[&str] = &[
    "status",
    "set_mode",
    "set_on_call",
    "held",
    "release",
    "dismiss",
    "seen_apps",
    "get_settings",
    "validate_settings",
    "preview",
    "save_settings",
    "add_work_app",
    "browser_profiles",
    "add_browser_profile",
    "remove_browser_profile",
    "diagnostics",
    "get_autostart",
    "set_autostart",
    "locale",
    "report",
    "report_csv",
    "reply",
    "forget",
];

fn main() {
    stand_in_for_an_unbuilt_window();
    let attributes = tauri_build::Attributes::new()
        .codegen(tauri_build::CodegenContext::new())
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        println!("cargo:warning=tauri-build: {e:#}");
        std::process::exit(1);
    }
}

/// The window is built by npm (`cd ui && npm ci && npm run build`, which `scripts/test`
/// runs first). Without it the Rust workspace must still build (`cargo clippy` on a fresh
/// clone): the window then says how to build it. `ui/dist` is not committed.
fn stand_in_for_an_unbuilt_window() {
    let dist = Path::new("../ui/dist");
    println!("cargo:rerun-if-changed=../ui/dist");
    if dist.join("index.html").exists() {
        return;
    }
    let page = "<!doctype html>\n<html><head><meta charset=\"utf-8\">\
        <meta name=\"couper-stand-in\" content=\"ui/dist was not built\">\
        <title>Couper</title></head>\n<body><p>The settings window is not built: run \
        <code>cd ui &amp;&amp; npm ci &amp;&amp; npm run build</code>, then rebuild Couper.</p>\
        </body></html>\n";
    if let Err(e) =
        std::fs::create_dir_all(dist).and_then(|()| std::fs::write(dist.join("index.html"), page))
    {
        println!("cargo:warning=cannot write a stand-in ui/dist: {e}");
    }
}
