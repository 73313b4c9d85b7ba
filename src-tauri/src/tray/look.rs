//! What the tray shows for a state: which icon, and the words of the menu and tooltip, in
//! the user's language. Pure: the state, the zone, the instant and the language in; no
//! clock, no desktop. SPEC §2: the "I'm off" item is checked whenever it is not working
//! time, and says until when.

use couper::engine::State;
use couper::live::NotGating;
use couper::t;
use couper::words::{state_line, summary, Lang, SEPARATOR};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The tray icon for a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    /// Working time.
    Working,
    /// Not working time, nothing held.
    Off,
    /// Not working time, this many notifications held.
    Held(usize),
    /// On call outside working time: crises get through.
    OnCall,
}

/// The icons, rendered from `icons/svg/` by `icons/render`, at the size the platform's
/// tray asks for (Linux panels scale a 48 px icon down to 24 px, or show it as is on a
/// HiDPI panel).
macro_rules! png {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../icons/png/",
            tray_px!(),
            "/",
            $name,
            ".png"
        ))
    };
}

#[cfg(target_os = "linux")]
macro_rules! tray_px {
    () => {
        "48"
    };
}

#[cfg(not(target_os = "linux"))]
macro_rules! tray_px {
    () => {
        "32"
    };
}

impl Icon {
    /// The icon for `state`: on call wins outside working time (it is what matters then),
    /// then the held count.
    pub fn of(state: &State) -> Icon {
        match (state.working, state.on_call, state.held) {
            (true, _, _) => Icon::Working,
            (false, true, _) => Icon::OnCall,
            (false, false, 0) => Icon::Off,
            (false, false, n) => Icon::Held(n),
        }
    }

    /// Its PNG.
    pub fn png(self) -> &'static [u8] {
        match self {
            Icon::Working => png!("working"),
            Icon::Off | Icon::Held(0) => png!("off"),
            Icon::OnCall => png!("on-call"),
            Icon::Held(1) => png!("held-1"),
            Icon::Held(2) => png!("held-2"),
            Icon::Held(3) => png!("held-3"),
            Icon::Held(4) => png!("held-4"),
            Icon::Held(5) => png!("held-5"),
            Icon::Held(6) => png!("held-6"),
            Icon::Held(7) => png!("held-7"),
            Icon::Held(8) => png!("held-8"),
            Icon::Held(9) => png!("held-9"),
            Icon::Held(_) => png!("held-9plus"),
        }
    }
}

/// Everything the tray shows for one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Look {
    /// The icon.
    pub icon: Icon,
    /// The tooltip: the state and until when.
    pub tooltip: String,
    /// The "I'm off" item: "Off until Tue 09:00" / "Working until 18:00".
    pub off: String,
    /// Whether it is checked: not working time.
    pub off_checked: bool,
    /// The "On call" item.
    pub on_call: String,
    /// Whether it is checked: on call now, by hand or by a shift.
    pub on_call_checked: bool,
    /// "Held (12)…".
    pub held: String,
    /// "Copy auto-reply".
    pub copy_reply: String,
    /// "Settings…".
    pub settings: String,
    /// "Quit".
    pub quit: String,
    /// While Couper stands aside (it failed open), the item that puts it back in front:
    /// "Not gating: put Couper in front of dunst" / "Not gating: try again".
    pub gate: Option<String>,
}

impl Look {
    /// The look of `state` at `now`, times said in `zone`. The "I'm off" item is the
    /// state's line as the CLI and the window say it (`words::state_line`); every other
    /// word is the catalogue's (`locales/*/tray.ftl`, `common.ftl`).
    pub fn of(state: &State, zone: &TimeZone, now: Timestamp, lang: Lang) -> Look {
        let here = now.to_zoned_datetime(zone.clone());
        let until = state.until.map(|t| t.to_zoned_datetime(zone.clone()));
        let off = state_line(state.working, until.as_ref(), &here, lang);
        let on_call = if state.on_call && !state.on_call_manual {
            t!(lang, "state-on-call-shift")
        } else {
            t!(lang, "state-on-call")
        };
        let line = summary(
            state.working,
            until.as_ref(),
            &here,
            state.held,
            state.on_call,
            lang,
        );
        Look {
            icon: Icon::of(state),
            tooltip: t!(lang, "tray-tooltip", state = line),
            off,
            off_checked: !state.working,
            on_call,
            on_call_checked: state.on_call,
            held: t!(lang, "tray-held", count = state.held),
            copy_reply: t!(lang, "tray-copy-reply"),
            settings: t!(lang, "tray-settings"),
            quit: t!(lang, "tray-quit"),
            gate: None,
        }
    }

    /// The same look while Couper does not gate the session (`why`, from the status):
    /// the tooltip says so, and the menu gets the item that tries again, or that puts
    /// Couper in front of the daemon the user started.
    pub fn not_gating(mut self, why: Option<&NotGating>, lang: Lang) -> Look {
        let Some(why) = why else {
            return self;
        };
        self.gate = Some(match why.replace.as_deref() {
            Some(who) => t!(lang, "tray-gate-replace", who = who),
            None => t!(lang, "tray-gate-retry"),
        });
        self.tooltip.push_str(SEPARATOR);
        self.tooltip.push_str(&t!(lang, "state-not-gating"));
        self
    }

    /// The same look in the app that is the front door of a headless `couper run`: Quit
    /// ends only the app, and says so (notifications stay gated).
    pub fn in_front_of_couper_run(mut self, lang: Lang) -> Look {
        self.quit = t!(lang, "tray-quit-couper-run");
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use couper::engine::Mode;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC)
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    fn state(working: bool, until: Option<&str>, held: usize, on_call: bool) -> State {
        State {
            mode: Mode::Auto,
            working,
            until: until.map(at),
            on_call,
            on_call_manual: on_call,
            held,
        }
    }

    #[test]
    fn not_gating_offers_to_put_couper_in_front_of_the_users_daemon_or_to_try_again() {
        let s = state(true, None, 0, false);
        let now = at("2026-11-30T11:00:00+01:00");
        let gating = Look::of(&s, &paris(), now, Lang::En).not_gating(None, Lang::En);
        assert_eq!(gating.gate, None);
        let theirs = NotGating {
            reason: "owned by dunst".into(),
            replace: Some("dunst".into()),
        };
        let look = Look::of(&s, &paris(), now, Lang::En).not_gating(Some(&theirs), Lang::En);
        assert_eq!(
            look.gate.as_deref(),
            Some("Not gating: put Couper in front of dunst")
        );
        assert_eq!(look.tooltip, "Couper: Working · Not gating");
        let fr = Look::of(&s, &paris(), now, Lang::Fr).not_gating(Some(&theirs), Lang::Fr);
        assert_eq!(
            fr.gate.as_deref(),
            Some("Ne filtre pas : placer Couper devant dunst")
        );
        let none = NotGating {
            reason: "no display daemon could start".into(),
            replace: None,
        };
        let look = Look::of(&s, &paris(), now, Lang::En).not_gating(Some(&none), Lang::En);
        assert_eq!(look.gate.as_deref(), Some("Not gating: try again"));
    }

    #[test]
    fn working_says_until_when_and_is_not_checked() {
        // Monday 30 November 2026, 11:00 in Paris; work ends at 18:00.
        let s = state(true, Some("2026-11-30T18:00:00+01:00"), 0, false);
        let look = Look::of(&s, &paris(), at("2026-11-30T11:00:00+01:00"), Lang::En);
        assert_eq!(look.off, "Working until 18:00");
        assert!(!look.off_checked);
        assert_eq!(look.icon, Icon::Working);
        let fr = Look::of(&s, &paris(), at("2026-11-30T11:00:00+01:00"), Lang::Fr);
        assert_eq!(fr.off, "Au travail jusqu'à 18:00");
    }

    #[test]
    fn off_says_the_day_work_starts_again_and_is_checked() {
        let s = state(false, Some("2026-12-01T09:00:00+01:00"), 0, false);
        let now = at("2026-11-30T19:00:00+01:00");
        let look = Look::of(&s, &paris(), now, Lang::En);
        assert_eq!(look.off, "Off until Tue 09:00");
        assert!(look.off_checked);
        assert_eq!(look.icon, Icon::Off);
        assert_eq!(look.tooltip, "Couper: Off until Tue 09:00");
        let fr = Look::of(&s, &paris(), now, Lang::Fr);
        assert_eq!(fr.off, "Déconnecté jusqu'à mar. 09:00");
        assert_eq!(fr.tooltip, "Couper : Déconnecté jusqu'à mar. 09:00");
        assert_eq!(fr.quit, "Quitter");
        assert_eq!(fr.copy_reply, "Copier la réponse automatique");
        assert_eq!(look.copy_reply, "Copy auto-reply");
    }

    #[test]
    fn held_notifications_show_their_count_in_the_icon_and_menu() {
        let s = state(false, Some("2026-12-01T09:00:00+01:00"), 12, false);
        let look = Look::of(&s, &paris(), at("2026-11-30T19:00:00+01:00"), Lang::En);
        assert_eq!(look.icon, Icon::Held(12));
        assert_eq!(look.held, "Held (12)…");
        assert_eq!(look.tooltip, "Couper: Off until Tue 09:00 · 12 held");
        assert_eq!(Icon::Held(12).png(), Icon::Held(10).png());
        assert_ne!(Icon::Held(3).png(), Icon::Held(4).png());
    }

    #[test]
    fn on_call_off_hours_shows_the_bell_and_a_shift_says_so() {
        let mut s = state(false, None, 2, true);
        let now = at("2026-11-28T21:00:00+01:00");
        assert_eq!(Look::of(&s, &paris(), now, Lang::En).icon, Icon::OnCall);
        assert_eq!(Look::of(&s, &paris(), now, Lang::En).off, "Off");
        s.on_call_manual = false;
        let look = Look::of(&s, &paris(), now, Lang::Fr);
        assert_eq!(look.on_call, "D'astreinte (planning)");
        assert!(look.on_call_checked);
        assert_eq!(
            look.tooltip,
            "Couper : Déconnecté · 2 en attente · D'astreinte"
        );
        s.working = true;
        assert_eq!(Icon::of(&s), Icon::Working);
    }

    #[test]
    fn in_front_of_couper_run_quit_says_the_gate_keeps_running() {
        let s = state(true, Some("2026-11-30T18:00:00+01:00"), 0, false);
        let now = at("2026-11-30T11:00:00+01:00");
        let look = Look::of(&s, &paris(), now, Lang::En).in_front_of_couper_run(Lang::En);
        assert_eq!(look.quit, "Quit (Couper keeps running)");
        assert_eq!(look.off, "Working until 18:00");
        let fr = Look::of(&s, &paris(), now, Lang::Fr).in_front_of_couper_run(Lang::Fr);
        assert_eq!(fr.quit, "Quitter (Couper continue)");
    }

    /// The very words of the CLI's status and the window's header: the state line.
    #[test]
    fn the_off_item_is_the_state_line_the_cli_and_the_window_say() {
        let s = state(false, Some("2026-12-07T09:00:00+01:00"), 0, false);
        let now = at("2026-11-30T19:00:00+01:00");
        for lang in [Lang::En, Lang::Fr] {
            let here = now.to_zoned_datetime(paris());
            let until = s.until.map(|t| t.to_zoned_datetime(paris()));
            let line = couper::words::state_line(false, until.as_ref(), &here, lang);
            assert_eq!(Look::of(&s, &paris(), now, lang).off, line);
        }
        // A week away, the date too.
        assert_eq!(
            Look::of(&s, &paris(), now, Lang::Fr).off,
            "Déconnecté jusqu'à lun. 7 déc. 09:00"
        );
    }

    /// `couper status` says the state in the very words of the tooltip: the same state,
    /// as the gate's status JSON gives it to the CLI, in both languages.
    #[test]
    fn the_cli_status_line_is_the_tooltip_without_its_prefix() {
        let now = at("2026-11-30T19:00:00+01:00");
        let not_gating = NotGating {
            reason: "owned by dunst".into(),
            replace: Some("dunst".into()),
        };
        let states = [
            (
                state(false, Some("2026-12-01T09:00:00+01:00"), 3, true),
                None,
            ),
            (
                state(true, Some("2026-11-30T21:00:00+01:00"), 0, false),
                None,
            ),
            (
                state(false, Some("2026-12-09T09:00:00+01:00"), 1, false),
                None,
            ),
            (state(false, None, 0, false), Some(not_gating)),
        ];
        for (s, why) in states {
            let status = couper::live::LiveStatus {
                status: couper::service::Status {
                    state: s.clone(),
                    next_start: s.until,
                    timezone: "Europe/Paris".into(),
                },
                route: couper::live::Route::Proxy,
                route_reason: String::new(),
                display: Some("dunst".into()),
                not_gating: why.clone(),
                display_bus: None,
                settings_path: "settings.toml".into(),
                settings_refused: None,
                calendar: None,
                calendar_stale_since: None,
                store_failure: None,
            };
            let json = serde_json::to_string(&status).unwrap_or_default();
            for lang in [Lang::En, Lang::Fr] {
                let tooltip = Look::of(&s, &paris(), now, lang)
                    .not_gating(why.as_ref(), lang)
                    .tooltip;
                let prefix = t!(lang, "tray-tooltip", state = "");
                let cli = couper::cli::status_line(&json, now, lang).unwrap_or_default();
                assert_eq!(
                    tooltip.strip_prefix(&prefix),
                    Some(cli.as_str()),
                    "{lang:?}"
                );
                let text = couper::cli::status_text(&json, now, lang).unwrap_or_default();
                assert_eq!(text.lines().next(), Some(cli.as_str()));
            }
        }
        let fr = state(false, Some("2026-12-01T09:00:00+01:00"), 3, true);
        assert_eq!(
            Look::of(&fr, &paris(), now, Lang::Fr).tooltip,
            "Couper : Déconnecté jusqu'à mar. 09:00 · 3 en attente · D'astreinte"
        );
    }

    /// The table the window's test checks its own rule on (ui/tests/format.test.ts): a
    /// moment said from now is worded alike by the tray and the window.
    #[test]
    fn moments_are_said_as_the_window_says_them() {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../../ui/tests/when.cases.json"))
                .unwrap_or_default();
        assert!(cases.len() > 5, "no cases read");
        for case in cases {
            let text = |key: &str| case[key].as_str().unwrap_or_default().to_string();
            let zone = TimeZone::get(&text("zone")).unwrap_or(TimeZone::UTC);
            let now = at(&text("now")).to_zoned_datetime(zone.clone());
            let then = at(&text("then")).to_zoned_datetime(zone);
            for (lang, key) in [(Lang::En, "en"), (Lang::Fr, "fr")] {
                assert_eq!(
                    couper::words::short(&now, &then, lang),
                    text(key),
                    "{}",
                    text("why")
                );
            }
        }
    }
}
