//! Every text a person reads, in French or English, from one catalogue: the Fluent files
//! under `locales/<lang>/`, which the window reads too (`ui/src/lib/i18n.ts`), so that the
//! tray, the CLI and the window cannot word the same state differently.
//!
//! `t!(lang, "state-off-until", until = "mar. 09:00")` says one message. Machine output
//! (`--json`, `simulate`, CSV keys) never goes through here: it stays language-neutral.
//!
//! A text that is stored and read later (a held notification's reason, the log's) is kept
//! as [`Said`], in both languages, so that it follows the reader's language, not the one
//! Couper ran in when it wrote it.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

/// A language Couper speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// From a locale such as `fr_FR.UTF-8` or `en-GB`: French for `fr*`, else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// From the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .map(|v| Lang::from_locale(&v))
            .unwrap_or_default()
    }

    /// The language to speak: the settings' `language` when set, else the locale's.
    pub fn chosen(setting: Option<Lang>) -> Lang {
        setting.unwrap_or_else(Lang::from_env)
    }

    /// Its tag: `en`, `fr`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// From a tag: `en`, `fr` (any case, region ignored: `fr-CA`).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        match tag.split(['-', '_']).next() {
            Some("en") => Some(Lang::En),
            Some("fr") => Some(Lang::Fr),
            _ => None,
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// One catalogue file of one language: its name (`common`) and text.
pub type File = (&'static str, &'static str);

/// The catalogue's files, per language, as embedded at build time.
pub fn files(lang: Lang) -> &'static [File] {
    match lang {
        Lang::En => EN,
        Lang::Fr => FR,
    }
}

type Bundle = FluentBundle<FluentResource>;

/// One language's catalogue: its Fluent bundle, and each message by id, with its plain
/// form when it has one.
struct Catalogue {
    bundle: &'static Bundle,
    messages: HashMap<String, Message>,
}

/// A message of the catalogue.
struct Message {
    pattern: &'static ast::Pattern<&'static str>,
    /// When the message is only text and `{ $variable }`s (most are: every reason is), its
    /// pieces in order, so that saying it is a concatenation; Fluent says the others.
    plain: Option<Box<[Piece]>>,
}

/// A piece of a plain message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Text(&'static str),
    Variable(&'static str),
}

static CATALOGUES: LazyLock<[Catalogue; 2]> =
    LazyLock::new(|| [catalogue(Lang::En), catalogue(Lang::Fr)]);

fn catalogue(lang: Lang) -> Catalogue {
    let id = match lang {
        Lang::En => unic_langid::langid!("en"),
        Lang::Fr => unic_langid::langid!("fr"),
    };
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // No bidi isolation marks around placeables: both languages are left to right, and
    // the window (useIsolating: false) must print the very same characters.
    bundle.set_use_isolating(false);
    let mut ids = Vec::new();
    for (name, text) in files(lang) {
        // A file that does not parse keeps what did parse; the catalogue test fails on it.
        let resource = FluentResource::try_new((*text).to_string()).unwrap_or_else(|(r, e)| {
            tracing::error!("locales/{}/{name}.ftl: {e:?}", lang.tag());
            r
        });
        ids.extend(resource.entries().filter_map(|entry| match entry {
            ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        }));
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!("locales/{}/{name}.ftl: {errors:?}", lang.tag());
        }
    }
    // The catalogue lives as long as Couper: its messages borrow from it.
    let bundle: &'static Bundle = Box::leak(Box::new(bundle));
    let messages = ids
        .into_iter()
        .filter_map(|id| {
            let pattern = bundle.get_message(&id)?.value()?;
            let plain = plain_pieces(pattern);
            Some((id, Message { pattern, plain }))
        })
        .collect();
    Catalogue { bundle, messages }
}

/// The pieces of `pattern` when it is only text and variables.
fn plain_pieces(pattern: &'static ast::Pattern<&'static str>) -> Option<Box<[Piece]>> {
    pattern
        .elements
        .iter()
        .map(|element| match element {
            ast::PatternElement::TextElement { value } => Some(Piece::Text(value)),
            ast::PatternElement::Placeable {
                expression:
                    ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
            } => Some(Piece::Variable(id.name)),
            ast::PatternElement::Placeable { .. } => None,
        })
        .collect()
}

/// A plain message's pieces filled from `args`; `None` when one of its variables is not
/// given as text (a number, or missing: Fluent formats the one and reports the other).
fn fill(pieces: &[Piece], args: &[(&str, Arg<'_>)]) -> Option<String> {
    let value = |name: &str| {
        // The last given wins, as in FluentArgs.
        args.iter()
            .rev()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| match v {
                FluentValue::String(s) => Some(s.as_ref()),
                _ => None,
            })
    };
    let mut len = 0;
    for piece in pieces {
        len += match piece {
            Piece::Text(text) => text.len(),
            Piece::Variable(name) => value(name)?.len(),
        };
    }
    let mut said = String::with_capacity(len);
    for piece in pieces {
        said.push_str(match piece {
            Piece::Text(text) => text,
            Piece::Variable(name) => value(name)?,
        });
    }
    Some(said)
}

/// A value for a placeable: text or a number.
pub type Arg<'a> = FluentValue<'a>;

/// Message `id` in `lang`, with its placeables filled from `args`. A message the
/// catalogue lacks says its id (the catalogue test fails first).
pub fn text<'a, const N: usize>(lang: Lang, id: &str, args: [(&'a str, Arg<'a>); N]) -> String {
    let catalogue = &CATALOGUES[lang as usize];
    let Some(message) = catalogue.messages.get(id) else {
        tracing::error!("the catalogue has no message {id:?} in {}", lang.tag());
        return id.to_string();
    };
    if let Some(said) = message.plain.as_deref().and_then(|p| fill(p, &args)) {
        return said;
    }
    fluent(catalogue.bundle, message.pattern, id, lang, args)
}

/// `pattern` said by Fluent.
fn fluent<'a, const N: usize>(
    bundle: &'static Bundle,
    pattern: &'static ast::Pattern<&'static str>,
    id: &str,
    lang: Lang,
    args: [(&'a str, Arg<'a>); N],
) -> String {
    let mut fluent_args = FluentArgs::with_capacity(N);
    // Moved in, not copied: a placeable is often a text said just before.
    for (name, value) in args {
        fluent_args.set(name, value);
    }
    let mut errors = Vec::new();
    let said = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::error!("message {id:?} in {}: {errors:?}", lang.tag());
    }
    said.into_owned()
}

/// Says message `id` in `lang`: `t!(lang, "state-off-until", until = when)`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::i18n::text($lang, $id, [])
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $lang,
            $id,
            [$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

/// A text said in both languages, to be read later in the reader's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Said {
    /// In English.
    pub en: String,
    /// In French.
    pub fr: String,
}

impl Said {
    /// The text `say` gives in each language.
    pub fn both(mut say: impl FnMut(Lang) -> String) -> Said {
        Said {
            en: say(Lang::En),
            fr: say(Lang::Fr),
        }
    }

    /// The same text in both (a name, a line written before Couper spoke French).
    pub fn same(text: impl Into<String>) -> Said {
        let text = text.into();
        Said {
            en: text.clone(),
            fr: text,
        }
    }

    /// In `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }

    /// As stored in a text column: `{"en":…,"fr":…}`.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| self.en.clone())
    }

    /// From a text column: both languages, or a plain line written by an older Couper.
    pub fn from_stored(text: &str) -> Said {
        if text.starts_with('{') {
            if let Ok(said) = serde_json::from_str(text) {
                return said;
            }
        }
        Said::same(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn ids(lang: Lang) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for (name, text) in files(lang) {
            let resource = match FluentResource::try_new((*text).to_string()) {
                Ok(r) => r,
                Err((_, e)) => panic!("locales/{}/{name}.ftl does not parse: {e:?}", lang.tag()),
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    assert!(
                        ids.insert(m.id.name.to_string()),
                        "locales/{}/{name}.ftl: {} is defined twice",
                        lang.tag(),
                        m.id.name
                    );
                }
            }
        }
        ids
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let en = ids(Lang::En);
        let fr = ids(Lang::Fr);
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(only_en.is_empty(), "in English only: {only_en:?}");
        assert!(only_fr.is_empty(), "in French only: {only_fr:?}");
        assert!(en.len() > 40, "the catalogue looks empty: {}", en.len());
    }

    #[test]
    fn both_languages_have_the_same_files() {
        let names = |lang| files(lang).iter().map(|(n, _)| *n).collect::<Vec<_>>();
        assert_eq!(names(Lang::En), names(Lang::Fr));
    }

    /// Every `t!(lang, "id"` in the Rust sources names a message of the catalogue.
    #[test]
    fn every_message_the_code_says_is_in_the_catalogue() {
        let known = ids(Lang::En);
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut used = 0;
        for dir in ["src", "src-tauri/src"] {
            for file in rust_files(&root.join(dir)) {
                if file.ends_with("src/i18n.rs") {
                    continue; // this scan's own examples
                }
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                for id in said_ids(&text) {
                    used += 1;
                    if !known.contains(&id) {
                        missing.push(format!("{}: {id}", file.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not in the catalogue: {missing:#?}");
        assert!(used > 5, "no t!(…) found: the scan is broken");
    }

    fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return out;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    /// The ids in `t!(…, "id"` and `text(…, "id"` calls of a source text.
    fn said_ids(text: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for opener in ["t!(", "i18n::text("] {
            let mut rest = text;
            while let Some(at) = rest.find(opener) {
                // `assert!(` ends in `t!(` too: only a whole name counts.
                let whole = rest[..at]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                rest = &rest[at + opener.len()..];
                if !whole {
                    continue;
                }
                // The id is the first string literal after the language argument.
                let Some(comma) = rest.find(',') else { break };
                let after = rest[comma + 1..].trim_start();
                if let Some(lit) = after.strip_prefix('"') {
                    if let Some(end) = lit.find('"') {
                        ids.push(lit[..end].to_string());
                    }
                }
            }
        }
        ids
    }

    #[test]
    fn a_message_fills_its_placeables_without_marks() {
        let said = t!(Lang::Fr, "state-off-until", until = "mar. 09:00");
        assert_eq!(said, "Déconnecté jusqu'à mar. 09:00");
        assert_eq!(t!(Lang::En, "state-held", count = 3), "3 held");
    }

    /// Every plain message says, through its pieces, the very text Fluent says.
    #[test]
    fn a_plain_message_says_what_fluent_says() {
        let mut plain = 0;
        for lang in [Lang::En, Lang::Fr] {
            let catalogue = &CATALOGUES[lang as usize];
            for (id, message) in &catalogue.messages {
                let Some(pieces) = &message.plain else {
                    continue;
                };
                plain += 1;
                let args: Vec<(&str, Arg)> = pieces
                    .iter()
                    .filter_map(|p| match p {
                        Piece::Variable(name) => Some((*name, format!("«{name}»").into())),
                        Piece::Text(_) => None,
                    })
                    .collect();
                let mut fluent_args = FluentArgs::new();
                for (name, value) in &args {
                    fluent_args.set(*name, value.clone());
                }
                let mut errors = Vec::new();
                let by_fluent = catalogue.bundle.format_pattern(
                    message.pattern,
                    Some(&fluent_args),
                    &mut errors,
                );
                assert!(errors.is_empty(), "{id}: {errors:?}");
                assert_eq!(
                    fill(pieces, &args).as_deref(),
                    Some(by_fluent.as_ref()),
                    "{} {id}",
                    lang.tag()
                );
            }
        }
        // Most are plain: every reason, every state.
        assert!(plain > 200, "{plain} plain messages only");
        // One with a choice is not, and still says its choice.
        assert!(CATALOGUES[0].messages["why-crisis-sender"].plain.is_none());
        assert_eq!(
            t!(
                Lang::Fr,
                "why-crisis-sender",
                sender = "Alexandre",
                vowel = "yes"
            ),
            "un message d'Alexandre"
        );
    }

    #[test]
    fn a_plain_message_given_a_number_or_missing_a_text_is_said_by_fluent() {
        // A number: Fluent's formatting, as before.
        assert_eq!(t!(Lang::En, "state-held", count = 3), "3 held");
        assert!(CATALOGUES[0].messages["state-held"].plain.is_some());
        // A text left out: Fluent's placeholder, not an empty gap.
        let said = text(Lang::En, "state-off-until", []);
        assert!(said.contains("{$until}"), "{said}");
    }

    #[test]
    fn a_said_text_round_trips_and_reads_an_older_plain_line() {
        let said = Said::both(|lang| t!(lang, "state-off"));
        assert_eq!(Said::from_stored(&said.to_stored()), said);
        assert_eq!(said.get(Lang::Fr), "Déconnecté");
        let old = Said::from_stored("held: Slack is a work app");
        assert_eq!(old.get(Lang::Fr), "held: Slack is a work app");
    }
}
