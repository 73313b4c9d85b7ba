#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The steer route on a real GNOME Shell, 43 (Debian 12) and 48 (Debian 13), headless: work
//! apps' banners go off through GNOME's own per-app settings outside working time, held
//! ones stay in the tray and in Couper's queue, crises get through, the digest comes at
//! the start of work, and every setting Couper touched has the user's value again after
//! it stops — after a kill -9 too.

use crate::shells;

use shells::{Debian, Shell};
use std::time::Duration;

/// Working time around the clock (the tests switch with `couper off` / `on`); Slack and
/// Teams are work apps, "crise" is a crisis keyword.
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

[[work_apps]]
name = "Gmail (work)"
app = "firefox"
account = "me@work.example"

[crisis]
keywords = ["crise"]
"#;

const SLACK: [&str; 4] = ["-a", "slack", "-h", "string:desktop-entry:slack"];

fn slack(extra: &[&str]) -> Vec<String> {
    SLACK.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn notify(shell: &Shell, args: &[String]) -> u32 {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    shell.notify(&args)
}

/// `CloseNotification(id)` from a connection of its own (gdbus), as another app would.
fn close_notification(shell: &Shell, id: u32) -> std::process::Output {
    shell.run(
        "gdbus",
        &[
            "call",
            "--session",
            "--dest",
            "org.freedesktop.Notifications",
            "--object-path",
            "/org/freedesktop/Notifications",
            "--method",
            "org.freedesktop.Notifications.CloseNotification",
            &id.to_string(),
        ],
    )
}

on_both_debians!(work_banners_go_off_when_off_crises_get_through_and_the_digest_comes_back);
fn work_banners_go_off_when_off_crises_get_through_and_the_digest_comes_back(debian: Debian) {
    let Some(shell) = Shell::gnome(debian) else {
        return;
    };
    shell.settings(SETTINGS);
    // The user's own choice, before Couper: Teams without banners.
    shell.set_app_setting("teams", "show-banners", "false");
    let couper = shell.start_couper();
    assert!(shell
        .couper_ok(&["status"])
        .contains("route:       gnome (GNOME Shell"));

    // Working time: a work app's notification is a banner, as usual.
    let id = notify(&shell, &slack(&["Working hours", "shown as usual"]));
    let seen = shell.seen_one("Working hours");
    assert!(seen.banner, "{seen:?}");
    let explained = shell.couper_ok(&["explain", &id.to_string()]);
    assert!(explained.contains("delivered"), "{explained}");

    // Off: the next work notification goes to the tray without a banner, and is held.
    shell.couper_ok(&["off"]);
    shells::wait_for("banners off for slack", Duration::from_secs(10), || {
        (shell.app_setting("slack", "show-banners") == "false").then_some(())
    });
    shell.clear();
    // Slack stays on the bus meanwhile, as a chat app does.
    let slack_app = slack(&["Evening ping", "can you look?"]);
    let slack_app: Vec<&str> = slack_app.iter().map(String::as_str).collect();
    let (held_id, _slack) = shell.notify_alive(&slack_app);
    let seen = shell.seen_one("Evening ping");
    assert!(!seen.banner && seen.tray && !seen.destroyed, "{seen:?}");
    // Once: GNOME's helper forwards each call to the shell, which is not counted again.
    let held = shell.couper_ok(&["held"]);
    assert_eq!(held.matches("Evening ping").count(), 1, "{held}");
    // `explain` takes the id the app got from the shell.
    let explained = shell.couper_ok(&["explain", &held_id.to_string()]);
    assert!(
        explained.contains("held: Slack is a work app"),
        "{explained}"
    );

    // Another app names the held one's id (a guess, or a stale id): GNOME refuses its
    // withdrawal and its replacement, and the held one stays, in the tray and in
    // Couper's queue, with its own text.
    let id = held_id.to_string();
    let close = close_notification(&shell, held_id);
    assert!(!close.status.success(), "GNOME let another app close it");
    shell.run(
        "notify-send",
        &slack(&["-r", &id, "Evening ping", "overwritten"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    // Couper has seen both calls once it has seen one that came after them.
    notify(&shell, &slack(&["Later ping", "after them"]));
    shells::wait_for("the later one held", Duration::from_secs(10), || {
        shell
            .couper_ok(&["held"])
            .contains("Later ping")
            .then_some(())
    });
    let held = shell.couper_ok(&["held", "--json"]);
    assert!(
        held.contains("can you look?") && !held.contains("overwritten"),
        "{held}"
    );
    assert!(!shell.seen_one("Evening ping").destroyed);

    // A personal app is left alone.
    shell.notify(&["-a", "perso", "Dinner", "at eight"]);
    assert!(shell.seen_one("Dinner").banner);

    // A crisis from a work app gets through: a critical one by the shell itself…
    shell.notify(
        &SLACK
            .iter()
            .copied()
            .chain(["-u", "critical", "Server down", "now"])
            .collect::<Vec<_>>(),
    );
    assert!(shell.seen_one("Server down").banner);
    // …one by keyword re-posted by Couper under its own name, with critical urgency.
    notify(&shell, &slack(&["Client", "c'est la crise"]));
    let copy = shell.seen_one("slack — Client");
    assert!(copy.banner && copy.urgency == 3, "{copy:?}");
    assert!(!shell.seen_one("Client").banner);

    // A work account inside a browser: the shell cannot tell it by app, so the banner is
    // withdrawn right away and Couper holds it (the browser stays on the bus: its own
    // leaving would take the notification down too).
    let (mail_id, _firefox) = shell.notify_alive(&[
        "-a",
        "firefox",
        "-h",
        "string:desktop-entry:firefox",
        "Mail",
        "from me@work.example",
    ]);
    shells::wait_for("the work mail withdrawn", Duration::from_secs(10), || {
        shell
            .seen()
            .into_iter()
            .find(|s| s.title == "Mail" && s.destroyed)
    });
    assert!(shell.couper_ok(&["held"]).contains("Mail"));
    // GNOME no longer knows who posted it, and lets anyone close its id: Couper does not.
    assert!(close_notification(&shell, mail_id).status.success());
    notify(&shell, &slack(&["Last ping", "after the close"]));
    shells::wait_for("the last one held", Duration::from_secs(10), || {
        shell
            .couper_ok(&["held"])
            .contains("Last ping")
            .then_some(())
    });
    assert!(shell.couper_ok(&["held"]).contains("Mail"));

    // Back at work: banners are back, and the digest says what was held.
    shell.clear();
    shell.couper_ok(&["on"]);
    let digest = shell.seen_one("While you were off: 4 held — Slack 3, Gmail (work) 1");
    assert!(digest.banner, "{digest:?}");
    shells::wait_for("banners back for slack", Duration::from_secs(10), || {
        (shell.app_setting("slack", "show-banners") == "true").then_some(())
    });
    assert_eq!(shell.couper_ok(&["held"]), "nothing held");

    // Off again, then Couper stops: every setting has the user's value again.
    shell.couper_ok(&["off"]);
    shells::wait_for("banners off for slack", Duration::from_secs(10), || {
        (shell.app_setting("slack", "show-banners") == "false").then_some(())
    });
    couper.stop();
    assert_eq!(shell.app_setting("slack", "show-banners"), "true");
    assert_eq!(shell.app_setting("teams", "show-banners"), "false");
    assert_eq!(shell.app_setting("firefox", "show-banners"), "true");
}

on_both_debians!(after_a_kill_9_the_next_run_and_couper_restore_put_the_users_values_back);
fn after_a_kill_9_the_next_run_and_couper_restore_put_the_users_values_back(debian: Debian) {
    let Some(shell) = Shell::gnome(debian) else {
        return;
    };
    shell.settings(SETTINGS);
    shell.set_app_setting("teams", "show-banners", "false");
    let couper = shell.start_couper();
    shell.couper_ok(&["off"]);
    shells::wait_for("banners off for slack", Duration::from_secs(10), || {
        (shell.app_setting("slack", "show-banners") == "false").then_some(())
    });
    couper.kill();
    assert_eq!(shell.app_setting("slack", "show-banners"), "false");

    // By hand.
    let restored = shell.couper_ok(&["restore"]);
    assert!(restored.contains("gnome slack: back to true"), "{restored}");
    assert_eq!(shell.app_setting("slack", "show-banners"), "true");
    assert_eq!(shell.couper_ok(&["restore"]), "nothing to put back");

    // The next run: it finds the journal of the run that was killed, puts the user's
    // values back first, and quiets again (still off) from those.
    let couper = shell.start_couper();
    shells::wait_for("banners off for slack", Duration::from_secs(10), || {
        (shell.app_setting("slack", "show-banners") == "false").then_some(())
    });
    couper.kill();
    let couper = shell.start_couper();
    couper.stop();
    assert_eq!(shell.app_setting("slack", "show-banners"), "true");
    assert_eq!(shell.app_setting("teams", "show-banners"), "false");
}
