//! `couper-app`: Couper with its tray and settings window. Everything is in the library.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    couper_app::run()
}
