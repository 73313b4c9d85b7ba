#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The steer route on a real Plasma, 5.27 (Debian 12) and 6.3 (Debian 13), on Xvfb: work apps' popups go
//! off through Plasma's own per-app settings (`plasmanotifyrc`, applied at once through
//! KConfig's change notification) outside working time, personal apps pop up as usual,
//! crises get through (re-posted by Couper: Plasma keeps even critical ones quiet for an
//! app whose popups are off), the digest comes at the start of work, and the user's own
//! `plasmanotifyrc` is as it was after Couper stops — after a kill -9 too.

use crate::shells;

use shells::{Debian, Shell};
use std::time::Duration;

const SETTINGS: &str = r#"
timezone = "Europe/Paris"
[hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]

[[work_apps]]
name = "Slack"
app = "slack"

[[work_apps]]
name = "Teams"
app = "teams"

[crisis]
keywords = ["crise"]
"#;

/// The user's own file: Plasma has seen Slack; the user turned Teams' popups off.
const USER_FILE: &str =
    "[Applications][slack]\nSeen=true\n\n[Applications][teams]\nSeen=true\nShowPopups=false\n";

const SHOWN_WITHIN: Duration = Duration::from_secs(4);

fn slack<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["-a", "slack", "-h", "string:desktop-entry:slack"];
    args.extend_from_slice(extra);
    args
}

/// Whether notifying with `args` brings up a new popup.
fn pops_up(shell: &Shell, args: &[&str]) -> bool {
    let before = shell.popups();
    shell.notify(args);
    shell.new_popup(&before, SHOWN_WITHIN)
}

/// The `ShowPopups` value of `[Applications][app]` in `text`.
fn switch(text: &str, app: &str) -> Option<String> {
    let header = format!("[Applications][{app}]");
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with('[') {
            inside = line == header;
        } else if let (true, Some(v)) = (inside, line.strip_prefix("ShowPopups=")) {
            return Some(v.to_string());
        }
    }
    None
}

/// The user's own values are there: Slack's switch never set, Teams' off.
fn users_values(shell: &Shell) {
    shells::wait_for(
        "Slack's switch back to unset",
        Duration::from_secs(10),
        || {
            switch(&shell.plasmanotifyrc(), "slack")
                .is_none()
                .then_some(())
        },
    );
    let file = shell.plasmanotifyrc();
    assert_eq!(switch(&file, "slack"), None, "{file}");
    assert_eq!(switch(&file, "teams").as_deref(), Some("false"), "{file}");
    assert!(file.contains("[Applications][slack]\nSeen=true"), "{file}");
}

fn quiet(shell: &Shell) {
    shells::wait_for("popups off for slack", Duration::from_secs(10), || {
        (switch(&shell.plasmanotifyrc(), "slack").as_deref() == Some("false")).then_some(())
    });
}

on_both_debians!(work_popups_go_off_when_off_crises_get_through_and_the_digest_comes_back);
fn work_popups_go_off_when_off_crises_get_through_and_the_digest_comes_back(debian: Debian) {
    let Some(shell) = Shell::plasma(debian) else {
        return;
    };
    shell.settings(SETTINGS);
    shell.write_plasmanotifyrc(USER_FILE);
    let couper = shell.start_couper();
    assert!(shell
        .couper_ok(&["status"])
        .contains("route:       plasma (Plasma"));

    // Working time: a work app pops up as usual.
    assert!(pops_up(&shell, &slack(&["Working hours", "as usual"])));

    // Off: the next work notification does not pop up, and is held.
    shell.couper_ok(&["off"]);
    quiet(&shell);
    let id = shell.notify(&slack(&["Evening ping", "can you look?"]));
    let before = shell.popups();
    assert!(!shell.new_popup(&before, SHOWN_WITHIN));
    assert!(shell.couper_ok(&["held"]).contains("Evening ping"));
    let explained = shell.couper_ok(&["explain", &id.to_string()]);
    assert!(
        explained.contains("held: Slack is a work app"),
        "{explained}"
    );

    // A personal app pops up.
    assert!(pops_up(&shell, &["-a", "perso", "Dinner", "at eight"]));

    // Crises from a work app get through, critical or by keyword.
    assert!(pops_up(
        &shell,
        &slack(&["-u", "critical", "Server down", "now"])
    ));
    assert!(pops_up(&shell, &slack(&["Client", "c'est la crise"])));

    // Back at work: popups are back, and the digest pops up.
    let before = shell.popups();
    shell.couper_ok(&["on"]);
    assert!(shell.new_popup(&before, SHOWN_WITHIN), "no digest");
    users_values(&shell);
    assert_eq!(shell.couper_ok(&["held"]), "nothing held");

    // Off again, then Couper stops: the user's file is as it was.
    shell.couper_ok(&["off"]);
    quiet(&shell);
    couper.stop();
    users_values(&shell);
    assert!(pops_up(&shell, &slack(&["After Couper", "shown again"])));
}

on_both_debians!(after_a_kill_9_the_next_run_and_couper_restore_put_the_users_file_back);
fn after_a_kill_9_the_next_run_and_couper_restore_put_the_users_file_back(debian: Debian) {
    let Some(shell) = Shell::plasma(debian) else {
        return;
    };
    shell.settings(SETTINGS);
    shell.write_plasmanotifyrc(USER_FILE);
    let couper = shell.start_couper();
    shell.couper_ok(&["off"]);
    quiet(&shell);
    couper.kill();
    assert_eq!(
        switch(&shell.plasmanotifyrc(), "slack").as_deref(),
        Some("false")
    );

    let restored = shell.couper_ok(&["restore"]);
    assert!(
        restored.contains("plasma slack: back to unset"),
        "{restored}"
    );
    users_values(&shell);
    // Plasma was told: Slack pops up again.
    assert!(pops_up(&shell, &slack(&["Restored", "by hand"])));

    // The next run puts back what a killed run left, then steers from the user's values.
    let couper = shell.start_couper();
    quiet(&shell);
    couper.kill();
    let couper = shell.start_couper();
    couper.stop();
    users_values(&shell);
}
