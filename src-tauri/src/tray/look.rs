//! What the tray shows for a state: which icon, and the words of the menu and tooltip, in
//! the user's language. Pure: the state, the zone, the instant and the language in; no
//! clock, no desktop. SPEC §2: the "I'm off" item is checked whenever it is not working
//! time, and says until when.

use couper::engine::State;
use couper::live::NotGating;
use couper::words::{short, Lang};
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
    /// The look of `state` at `now`, times said in `zone`.
    pub fn of(state: &State, zone: &TimeZone, now: Timestamp, lang: Lang) -> Look {
        let here = now.to_zoned_datetime(zone.clone());
        let until = state
            .until
            .map(|t| short(&here, &t.to_zoned_datetime(zone.clone()), lang));
        let off = match (state.working, until, lang) {
            (true, Some(t), Lang::En) => format!("Working until {t}"),
            (true, Some(t), Lang::Fr) => format!("Au travail jusqu'à {t}"),
            (true, None, Lang::En) => "Working".into(),
            (true, None, Lang::Fr) => "Au travail".into(),
            (false, Some(t), Lang::En) => format!("Off until {t}"),
            (false, Some(t), Lang::Fr) => format!("En pause jusqu'à {t}"),
            (false, None, Lang::En) => "Off".into(),
            (false, None, Lang::Fr) => "En pause".into(),
        };
        let by_shift = state.on_call && !state.on_call_manual;
        let on_call = match (by_shift, lang) {
            (false, Lang::En) => "On call",
            (false, Lang::Fr) => "D'astreinte",
            (true, Lang::En) => "On call (shift)",
            (true, Lang::Fr) => "D'astreinte (planning)",
        };
        let mut tooltip = format!("Couper: {off}");
        if state.held > 0 {
            tooltip.push_str(&match lang {
                Lang::En => format!(" · {} held", state.held),
                Lang::Fr => format!(" · {} en attente", state.held),
            });
        }
        if state.on_call {
            tooltip.push_str(match lang {
                Lang::En => " · on call",
                Lang::Fr => " · d'astreinte",
            });
        }
        let (held, copy_reply, settings, quit) = match lang {
            Lang::En => (
                format!("Held ({})…", state.held),
                "Copy auto-reply",
                "Settings…",
                "Quit",
            ),
            Lang::Fr => (
                format!("En attente ({})…", state.held),
                "Copier la réponse automatique",
                "Réglages…",
                "Quitter",
            ),
        };
        Look {
            icon: Icon::of(state),
            tooltip,
            off,
            off_checked: !state.working,
            on_call: on_call.into(),
            on_call_checked: state.on_call,
            held,
            copy_reply: copy_reply.into(),
            settings: settings.into(),
            quit: quit.into(),
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
        self.gate = Some(match (why.replace.as_deref(), lang) {
            (Some(who), Lang::En) => format!("Not gating: put Couper in front of {who}"),
            (Some(who), Lang::Fr) => format!("Ne filtre pas : placer Couper devant {who}"),
            (None, Lang::En) => "Not gating: try again".into(),
            (None, Lang::Fr) => "Ne filtre pas : réessayer".into(),
        });
        self.tooltip.push_str(match lang {
            Lang::En => " · not gating",
            Lang::Fr => " · ne filtre pas",
        });
        self
    }

    /// The same look in the app that is the front door of a headless `couper run`: Quit
    /// ends only the app, and says so (notifications stay gated).
    pub fn in_front_of_couper_run(mut self, lang: Lang) -> Look {
        self.quit = match lang {
            Lang::En => "Quit (Couper keeps running)",
            Lang::Fr => "Quitter (Couper continue)",
        }
        .into();
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
        assert_eq!(look.tooltip, "Couper: Working · not gating");
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
        assert_eq!(fr.off, "En pause jusqu'à mar. 09:00");
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
}
