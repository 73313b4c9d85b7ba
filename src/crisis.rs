//! Recognising a crisis in a notification's text (SPEC §4): keywords as whole words or
//! phrases and senders named in the summary, case- and accent-insensitive. The hint,
//! the urgency and the repeat rule are decided by the engine, which holds the state.
//!
//! Matching happens on *folded* text (see [`fold`]): compatibility decomposition, marks
//! dropped, lowercase, whitespace runs collapsed. Keywords are folded once, when the
//! matcher is built, and searched for all at once with Aho-Corasick; a hit counts only
//! when it is a whole word (the neighbouring characters are not alphanumeric). The
//! engine asks this on every notification, so text is folded into a buffer the thread
//! reuses (no allocation), ASCII characters skip the Unicode tables, and a fast
//! "anything at all?" search comes before the boundary checks.

use crate::settings::CrisisSettings;
use aho_corasick::{AhoCorasick, MatchKind};
use std::cell::RefCell;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The compiled keyword and sender matchers.
#[derive(Debug, Clone)]
pub struct CrisisMatcher {
    keywords: WordSet,
    senders: WordSet,
}

impl CrisisMatcher {
    /// Compiles the keywords and senders of `settings`.
    ///
    /// Keywords and senders that fold to nothing (empty or blank) are ignored.
    pub fn new(settings: &CrisisSettings) -> CrisisMatcher {
        CrisisMatcher {
            keywords: WordSet::new(&settings.keywords),
            senders: WordSet::new(&settings.senders),
        }
    }

    /// The first keyword (as the user wrote it) found as a whole word or phrase in the
    /// summary or the body.
    ///
    /// The summary is searched first; within a text, the occurrence that ends first
    /// wins. A phrase never spans the summary and the body.
    pub fn keyword_in(&self, summary: &str, body: &str) -> Option<&str> {
        self.keywords
            .find(summary)
            .or_else(|| self.keywords.find(body))
    }

    /// The first sender (as the user wrote it) named in the summary, as whole words.
    pub fn sender_in(&self, summary: &str) -> Option<&str> {
        self.senders.find(summary)
    }

    /// [`CrisisMatcher::keyword_in`], else [`CrisisMatcher::sender_in`], in one pass
    /// that folds each text once (the engine asks both on every work notification).
    pub fn find(&self, summary: &str, body: &str) -> Option<Found<'_>> {
        with_buffer(|buffer| {
            fold_into(summary, buffer);
            let summary_end = buffer.len();
            if !self.keywords.patterns.is_empty() && !body.is_empty() {
                // Both texts searched at once. Folded text and keywords hold no line
                // break, so no hit spans the two, and one in the summary ends first.
                buffer.push('\n');
                fold_into(body, buffer);
            }
            let keyword = self.keywords.first_hit(buffer);
            if let Some((_, keyword)) = keyword.filter(|(end, _)| *end <= summary_end) {
                return self.keywords.written(keyword).map(Found::Keyword);
            }
            let sender = buffer
                .get(..summary_end)
                .and_then(|summary| self.senders.find_folded(summary));
            match keyword {
                Some((_, keyword)) => self.keywords.written(keyword).map(Found::Keyword),
                None => sender.and_then(|sender| self.senders.written(sender).map(Found::Sender)),
            }
        })
    }
}

/// What [`CrisisMatcher::find`] found, as the user wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'a> {
    /// A keyword, in the summary or the body.
    Keyword(&'a str),
    /// A sender, in the summary.
    Sender(&'a str),
}

/// Runs `f` with the thread's folding buffer, emptied (a fresh one when it is in use),
/// and lets a buffer grown past [`KEPT_BUFFER_BYTES`] go afterwards.
fn with_buffer<R>(f: impl FnOnce(&mut String) -> R) -> R {
    FOLDED.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            let result = f(&mut buffer);
            if buffer.capacity() > KEPT_BUFFER_BYTES {
                *buffer = String::new();
            }
            result
        }
        Err(_) => f(&mut String::new()),
    })
}

/// Folds text for matching: Unicode compatibility decomposition (NFKD), combining marks
/// removed, lowercase, and every run of whitespace made one space.
///
/// Lowercasing is per character, plus the two full case foldings it misses: `ß` (and
/// `ẞ`) become `ss`, final `ς` becomes `σ`. Turkish dotted `İ` folds to `i`; dotless
/// `ı` stays itself.
///
/// ```
/// assert_eq!(couper::crisis::fold("Crisé  ÉNORME\tici"), "crise enorme ici");
/// assert_eq!(couper::crisis::fold("İSTANBUL Straße"), "istanbul strasse");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], appending to `out`.
fn fold_into(text: &str, out: &mut String) {
    let start = out.len();
    out.reserve(text.len());
    let mut after_space = false;
    let mut rest = text;
    loop {
        // Most text is runs of ASCII that folding only lowercases (at the end): copy
        // them whole, and take the other characters one by one.
        let run = ascii_run(rest.as_bytes(), &mut after_space);
        let (copied, others) = rest.split_at_checked(run).unwrap_or((rest, ""));
        out.push_str(copied);
        let mut chars = others.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        // Latin, Greek, Cyrillic…: folded once per process, then read from a table.
        match two_byte_folds().get((c as usize).wrapping_sub(TABLE_FIRST)) {
            Some(Fold::Char(c)) => {
                out.push(*c);
                after_space = false;
            }
            Some(Fold::Text { len, bytes }) => {
                let text = bytes.get(..usize::from(*len)).unwrap_or_default();
                // The table holds whole strings: its bytes are UTF-8.
                out.push_str(std::str::from_utf8(text).unwrap_or_default());
                after_space = false;
            }
            Some(Fold::Marks) => {}
            Some(Fold::Other) | None => fold_char(c, out, &mut after_space),
        }
    }
    if let Some(folded) = out.get_mut(start..) {
        folded.make_ascii_lowercase();
    }
}

/// Folds one character that is not in an ASCII run, appending to `out`.
fn fold_char(c: char, out: &mut String, after_space: &mut bool) {
    if c.is_whitespace() {
        if !*after_space {
            out.push(' ');
            *after_space = true;
        }
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if d.is_whitespace() {
            if !*after_space {
                out.push(' ');
                *after_space = true;
            }
            return;
        }
        *after_space = false;
        for l in d.to_lowercase() {
            match l {
                'ß' => out.push_str("ss"),
                'ς' => out.push('σ'),
                l if is_combining_mark(l) => {}
                l => out.push(l),
            }
        }
    });
}

/// The first character of the table of [`two_byte_folds`]: U+0080.
const TABLE_FIRST: usize = 0x80;
/// The characters of two UTF-8 bytes, U+0080 to U+07FF.
const TABLE_LEN: usize = 0x800 - TABLE_FIRST;
/// The longest folded text a table entry holds, in bytes.
const TABLE_TEXT_MAX: usize = 6;

/// What one character folds to, in the table.
#[derive(Debug, Clone, Copy)]
enum Fold {
    /// This one character (lowercase), after which a space is not a run's first.
    Char(char),
    /// This text (lowercase), after which a space is not a run's first.
    Text {
        len: u8,
        bytes: [u8; TABLE_TEXT_MAX],
    },
    /// Nothing: it is made of combining marks only.
    Marks,
    /// Folded by [`fold_char`]: whitespace is in it, or its text is long.
    Other,
}

/// The folds of U+0080..U+07FF, made by [`fold_char`] itself the first time they are
/// needed, so the table cannot disagree with it.
fn two_byte_folds() -> &'static [Fold] {
    static TABLE: std::sync::OnceLock<Box<[Fold]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut text = String::new();
        (TABLE_FIRST..TABLE_FIRST + TABLE_LEN)
            .map(|code| {
                let Some(c) = u32::try_from(code).ok().and_then(char::from_u32) else {
                    return Fold::Other;
                };
                // Folded after a letter and after a space: a character the table can
                // hold folds alike in both, and either resets the state (a letter) or
                // leaves it (marks only); whitespace in it shows in one of them.
                let mut after_letter = false;
                let mut after_space = true;
                text.clear();
                fold_char(c, &mut text, &mut after_letter);
                let len = text.len();
                fold_char(c, &mut text, &mut after_space);
                let (first, second) = text.split_at(len);
                let mut bytes = [0u8; TABLE_TEXT_MAX];
                match (after_letter, after_space) {
                    (false, true) if text.is_empty() => Fold::Marks,
                    (false, false)
                        if first == second && len <= TABLE_TEXT_MAX && !first.contains(' ') =>
                    {
                        let mut chars = first.chars();
                        if let (Some(c), None) = (chars.next(), chars.next()) {
                            return Fold::Char(c);
                        }
                        bytes[..len].copy_from_slice(first.as_bytes());
                        Fold::Text {
                            len: len as u8,
                            bytes,
                        }
                    }
                    _ => Fold::Other,
                }
            })
            .collect()
    })
}

/// The length of the run of ASCII at the start of `bytes` that folds to itself but for
/// case: no whitespace but single spaces. `after_space` says whether the byte before
/// was a space, and is updated.
fn ascii_run(bytes: &[u8], after_space: &mut bool) -> usize {
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if !*after_space => *after_space = true,
            b'\t'..=b'\r' | b' ' | 0x80.. => return i,
            _ => *after_space = false,
        }
    }
    bytes.len()
}

/// Folded text longer than this does not keep its buffer's memory after the search.
const KEPT_BUFFER_BYTES: usize = 64 * 1024;

thread_local! {
    /// The buffer text is folded into, reused from one search to the next.
    static FOLDED: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The most patterns one automaton holds. Building an automaton costs, on top of its
/// size, up to the square of its number of match states in the worst case (the
/// `aho-corasick` crate reorders its states by pairwise swaps, and a list such as `w1`,
/// `w2`, … `w120000` makes one long cycle of them): a longer list is split into
/// automata of this many, so it builds in time proportional to its length (each part
/// costs at most this squared), and each part is searched in turn.
const PATTERNS_PER_AUTOMATON: usize = 4096;

/// A set of words or phrases searched for as whole words in folded text.
#[derive(Debug, Clone)]
struct WordSet {
    /// The entries as the user wrote them.
    written: Vec<String>,
    /// One per searchable pattern, in pattern-id order: entries folding to the same text
    /// are one pattern (the first entry's).
    patterns: Vec<Pattern>,
    /// The automata over consecutive runs of `patterns`, in order.
    parts: Vec<Part>,
}

/// The automata over `patterns[first..first + len]`.
#[derive(Debug, Clone)]
struct Part {
    /// Index in `WordSet::patterns` of this part's pattern 0.
    first: usize,
    /// Number of patterns.
    len: usize,
    /// Whether any pattern occurs at all, word or not: the common answer is no, and a
    /// leftmost search answers it fastest (it can use a SIMD prefilter).
    any: Option<AhoCorasick>,
    /// Every occurrence of every pattern, overlapping, to check word boundaries: a
    /// pattern that is not a word here may hide one that is (`bad` in `bad buzzer`).
    /// `None` when building failed (then the patterns are searched one by one).
    all: Option<AhoCorasick>,
}

/// One folded word or phrase.
#[derive(Debug, Clone)]
struct Pattern {
    /// The folded text, trimmed.
    folded: String,
    /// Index of the entry in `WordSet::written`.
    entry: usize,
    /// Whether its first character is alphanumeric (then the one before a hit must
    /// not be).
    starts_word: bool,
    /// Whether its last character is alphanumeric (then the one after a hit must not
    /// be).
    ends_word: bool,
}

impl WordSet {
    fn new(entries: &[String]) -> WordSet {
        let mut patterns = Vec::new();
        // Entries that fold to the same text find the same hits: the first one names them.
        let mut seen = std::collections::HashSet::new();
        for (entry, written) in entries.iter().enumerate() {
            let folded = fold(written).trim().to_string();
            let (Some(first), Some(last)) = (folded.chars().next(), folded.chars().next_back())
            else {
                continue;
            };
            if !seen.insert(folded.clone()) {
                continue;
            }
            patterns.push(Pattern {
                starts_word: first.is_alphanumeric(),
                ends_word: last.is_alphanumeric(),
                folded,
                entry,
            });
        }
        let parts = patterns
            .chunks(PATTERNS_PER_AUTOMATON)
            .enumerate()
            .map(|(i, chunk)| {
                let folded = || chunk.iter().map(|p| p.folded.as_str());
                Part {
                    first: i * PATTERNS_PER_AUTOMATON,
                    len: chunk.len(),
                    any: build(folded(), MatchKind::LeftmostFirst),
                    all: build(folded(), MatchKind::Standard),
                }
            })
            .collect();
        WordSet {
            written: entries.to_vec(),
            patterns,
            parts,
        }
    }

    /// The entry (as written) of the first whole-word hit in `text`.
    fn find(&self, text: &str) -> Option<&str> {
        if self.patterns.is_empty() || text.is_empty() {
            return None;
        }
        let pattern = with_buffer(|buffer| {
            fold_into(text, buffer);
            self.find_folded(buffer)
        })?;
        self.written(pattern)
    }

    /// The entry (as written) that pattern `pattern` stands for.
    fn written(&self, pattern: usize) -> Option<&str> {
        let entry = self.patterns.get(pattern)?.entry;
        self.written.get(entry).map(String::as_str)
    }

    /// The pattern of the first whole-word hit in text already folded: the one that
    /// ends first, then the longest, then the first written.
    fn find_folded(&self, folded: &str) -> Option<usize> {
        self.first_hit(folded).map(|(_, id)| id)
    }

    /// [`WordSet::find_folded`], with the hit's end.
    fn first_hit(&self, folded: &str) -> Option<(usize, usize)> {
        self.parts
            .iter()
            .filter_map(|part| self.first_in(part, folded))
            .min()
            .map(|(end, _, id)| (end, id))
    }

    /// The first whole-word hit of `part`'s patterns in `folded`, as (end, start,
    /// pattern).
    fn first_in(&self, part: &Part, folded: &str) -> Option<(usize, usize, usize)> {
        if part.any.as_ref().is_some_and(|any| !any.is_match(folded)) {
            return None;
        }
        let patterns = self.patterns.get(part.first..part.first + part.len)?;
        match &part.all {
            // Overlapping hits come by end, and at one end the longest first.
            Some(all) => all.find_overlapping_iter(folded).find_map(|hit| {
                let id = hit.pattern().as_usize();
                let p = patterns.get(id)?;
                p.is_word_at(folded, hit.start(), hit.end()).then_some((
                    hit.end(),
                    hit.start(),
                    part.first + id,
                ))
            }),
            // Building the automaton failed: search pattern by pattern.
            None => patterns
                .iter()
                .enumerate()
                .filter_map(|(id, p)| {
                    p.first_word_end(folded)
                        .map(|end| (end, end - p.folded.len(), part.first + id))
                })
                .min(),
        }
    }
}

impl Pattern {
    /// The end of this pattern's first whole-word occurrence in `folded`, overlapping
    /// occurrences included.
    fn first_word_end(&self, folded: &str) -> Option<usize> {
        let mut from = 0;
        while let Some(at) = folded.get(from..).and_then(|rest| rest.find(&self.folded)) {
            let start = from + at;
            let end = start + self.folded.len();
            if self.is_word_at(folded, start, end) {
                return Some(end);
            }
            // Next char boundary after `start`.
            from = start + folded.get(start..)?.chars().next()?.len_utf8();
        }
        None
    }

    /// Whether this pattern, found at `start..end` of `folded`, is a whole word there.
    fn is_word_at(&self, folded: &str, start: usize, end: usize) -> bool {
        let before = folded.get(..start).and_then(|s| s.chars().next_back());
        let after = folded.get(end..).and_then(|s| s.chars().next());
        (!self.starts_word || !before.is_some_and(char::is_alphanumeric))
            && (!self.ends_word || !after.is_some_and(char::is_alphanumeric))
    }
}

/// Builds an automaton over `patterns`, or `None` when there are none or it fails
/// (absurdly many or long keywords).
fn build<'a>(
    patterns: impl Iterator<Item = &'a str> + Clone,
    kind: MatchKind,
) -> Option<AhoCorasick> {
    patterns.clone().next()?;
    match AhoCorasick::builder().match_kind(kind).build(patterns) {
        Ok(ac) => Some(ac),
        Err(error) => {
            tracing::warn!(%error, "crisis words: falling back to a slow search");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(keywords: &[&str], senders: &[&str]) -> CrisisMatcher {
        CrisisMatcher::new(&CrisisSettings {
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            senders: senders.iter().map(|s| s.to_string()).collect(),
            ..CrisisSettings::default()
        })
    }

    proptest::proptest! {
        /// The one pass over the summary and the body finds what the two searches find
        /// apart: a keyword in the summary, else one in the body, else a sender in the
        /// summary; a phrase never spans the two.
        #[test]
        fn one_pass_finds_what_the_searches_apart_find(
            summary in "(crise|bad|buzz|Gwen|Direction|Crisé|ok|[ \n.a-zé]){0,8}",
            body in "(crise|bad|buzz|Gwen|Direction|ok|[ \n.a-zé]){0,8}",
        ) {
            let m = matcher(&["crise", "bad buzz", "buzz bad"], &["Gwen", "direction"]);
            let apart = m
                .keyword_in(&summary, &body)
                .map(Found::Keyword)
                .or_else(|| m.sender_in(&summary).map(Found::Sender));
            proptest::prop_assert_eq!(m.find(&summary, &body), apart);
        }
    }

    #[test]
    fn a_phrase_split_between_summary_and_body_is_no_keyword() {
        let m = matcher(&["bad buzz"], &["gwen"]);
        assert_eq!(m.find("un bad", "buzz ici"), None);
        assert_eq!(
            m.find("Gwen", "un bad buzz"),
            Some(Found::Keyword("bad buzz"))
        );
        assert_eq!(m.find("Gwen", "rien"), Some(Found::Sender("gwen")));
    }

    #[test]
    fn keywords_match_whole_words_case_and_accent_insensitive() {
        // (keywords, summary, body, expected keyword as written)
        let cases: &[(&[&str], &str, &str, Option<&str>)] = &[
            (&["crise"], "CRISE", "", Some("crise")),
            (&["crise"], "Crisé en cours", "", Some("crise")),
            (&["crise"], "", "c'est la crise.", Some("crise")),
            (&["crise"], "les crises", "", None),
            (&["crise"], "ils crisent", "", None),
            (&["crise"], "crise2", "", None),
            (&["crise"], "_crise_", "", Some("crise")),
            (&["Crisé"], "CRISE", "", Some("Crisé")),
            (&["crise"], "cri\u{301}se (decomposed)", "", Some("crise")),
            // Phrases: any whitespace run is one space, in the text and in the keyword.
            (&["bad buzz"], "Bad  Buzz", "", Some("bad buzz")),
            (&["bad buzz"], "", "un bad buzz!", Some("bad buzz")),
            (&["bad buzz"], "badbuzz", "", None),
            (&["bad buzz"], "bad\tbuzz", "", Some("bad buzz")),
            (&["bad buzz"], "bad\u{a0}buzz", "", Some("bad buzz")),
            (&["bad  buzz "], "un bad buzz", "", Some("bad  buzz ")),
            (&["bad buzz"], "bad", "buzz", None),
            (&["bad buzz"], "bad buzzer", "", None),
            // A shorter keyword hidden under a longer, non-word hit still matches.
            (&["bad buzz", "bad"], "bad buzzer", "", Some("bad")),
            // At the very start and the very end of the text.
            (&["crise"], "crise", "", Some("crise")),
            (&["crise"], "crise: serveur", "", Some("crise")),
            (&["crise"], "", "serveur en crise", Some("crise")),
            (&["crisé"], "", "serveur en CRISÉ", Some("crisé")),
            // Emoji are not letters: they are word boundaries.
            (&["crise"], "🔥crise🔥", "", Some("crise")),
            (&["crise"], "🚨 CRISÉ ⚠\u{fe0f}", "", Some("crise")),
            (&["🔥"], "ça 🔥 fort", "", Some("🔥")),
            // Turkish: dotted capital İ folds to i; dotless ı is another letter.
            (&["kriz"], "KRİZ VAR", "", Some("kriz")),
            (&["istanbul"], "İSTANBUL ofisi", "", Some("istanbul")),
            (&["istanbul"], "ıstanbul", "", None),
            (&["ışık"], "IŞIK", "", None),
            (&["ışık"], "ışık söndü", "", Some("ışık")),
            // German: umlauts fold, ß and ẞ are ss.
            (&["störung"], "STÖRUNG im Netz", "", Some("störung")),
            (&["storung"], "Störung", "", Some("storung")),
            (&["straße"], "STRASSE gesperrt", "", Some("straße")),
            (&["strasse"], "GROẞE Straße", "", Some("strasse")),
            (&["straße"], "Straßenbahn", "", None),
            // Compatibility forms: ligatures, full-width letters.
            (&["fire"], "ﬁre alarm", "", Some("fire")),
            (&["crise"], "ＣＲＩＳＥ", "", Some("crise")),
            // Greek final sigma.
            (&["κρίσις"], "ΚΡΙΣΙΣ", "", Some("κρίσις")),
            // Keywords with non-word edges need no boundary on that side.
            (&["#crise"], "tag#crise", "", Some("#crise")),
            // Order: the summary first, then the first hit to end.
            (&["panne", "crise"], "crise", "panne", Some("crise")),
            (&["panne", "crise"], "crise puis panne", "", Some("crise")),
            // Nothing to find.
            (&[], "crise", "crise", None),
            (&["", "  "], "crise", "", None),
            (&["crise"], "", "", None),
        ];
        for (keywords, summary, body, expected) in cases {
            let m = matcher(keywords, &[]);
            assert_eq!(
                m.keyword_in(summary, body),
                *expected,
                "keywords {keywords:?}, summary {summary:?}, body {body:?}"
            );
        }
    }

    /// [`fold`] without its shortcuts: every character through [`fold_char`].
    fn fold_one_by_one(text: &str) -> String {
        let mut out = String::new();
        let mut after_space = false;
        for c in text.chars() {
            fold_char(c, &mut out, &mut after_space);
        }
        out.make_ascii_lowercase();
        out
    }

    #[test]
    fn the_folding_table_agrees_with_folding_each_character() {
        // Every character of two UTF-8 bytes (and a few beyond), alone, between letters,
        // after and before whitespace, doubled, after a combining mark.
        let chars = (0x80..0x800u32)
            .chain([0x1e9e, 0x2028, 0x3000, 0xfb01, 0xff23, 0x1f525])
            .filter_map(char::from_u32);
        for c in chars {
            for text in [
                format!("{c}"),
                format!("x{c}y"),
                format!(" {c} "),
                format!("a \t{c}  b"),
                format!("{c}{c}"),
                format!("e\u{301}{c}\u{301} z"),
                format!("\u{a0}{c}\u{a0}"),
            ] {
                assert_eq!(
                    fold(&text),
                    fold_one_by_one(&text),
                    "{text:?} (U+{:04X})",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn one_search_finds_what_keyword_then_sender_find() {
        let m = matcher(&["crise", "panne"], &["Alexandre Cherré", "Direction"]);
        let cases: &[(&str, &str)] = &[
            ("Alexandre Cherré", "une crise"),
            ("Alexandre Cherré", "rien"),
            ("Panne chez Direction", ""),
            ("la direction", "PANNE générale"),
            ("", "crise"),
            ("", ""),
            ("Collègue", "Réunion décalée"),
        ];
        for (summary, body) in cases {
            let expected = m
                .keyword_in(summary, body)
                .map(Found::Keyword)
                .or_else(|| m.sender_in(summary).map(Found::Sender));
            assert_eq!(m.find(summary, body), expected, "{summary:?} {body:?}");
        }
        let senders_only = matcher(&[], &["Direction"]);
        assert_eq!(
            senders_only.find("Direction", "crise"),
            Some(Found::Sender("Direction"))
        );
    }

    #[test]
    fn senders_are_named_in_the_summary_as_whole_words() {
        let cases: &[(&str, Option<&str>)] = &[
            ("alexandre cherre", Some("Alexandre Cherré")),
            ("Alexandre Cherré (Ouest Digital)", Some("Alexandre Cherré")),
            ("Re: ALEXANDRE  CHERRÉ", Some("Alexandre Cherré")),
            ("Alexandre Cherréa", None),
            ("Alexandre", None),
            ("", None),
        ];
        let m = matcher(&[], &["Alexandre Cherré"]);
        for (summary, expected) in cases {
            assert_eq!(m.sender_in(summary), *expected, "summary {summary:?}");
        }
        assert_eq!(matcher(&[], &[]).sender_in("Alexandre Cherré"), None);
    }

    #[test]
    fn fold_decomposes_drops_marks_lowercases_and_collapses_whitespace() {
        let cases = [
            ("Crisé", "crise"),
            ("ÀÉÎÕÜ ç", "aeiou c"),
            ("a \t\n b", "a b"),
            ("İı", "iı"),
            ("Straße ẞ", "strasse ss"),
            ("ﬁ ①", "fi 1"),
            ("🔥", "🔥"),
            ("", ""),
            ("  a\u{3000}\u{a0} B ", " a b "),
            ("x\r\n\x0By", "x y"),
        ];
        for (text, folded) in cases {
            assert_eq!(fold(text), folded, "{text:?}");
        }
    }

    #[test]
    fn slow_search_agrees_with_the_automaton() {
        let mut set = WordSet::new(&["bad buzz".to_string(), "aa".to_string()]);
        let texts = [
            "bad buzzer",
            "un bad buzz",
            "badbuzz",
            "aaa aa",
            "bad buzz aa",
        ];
        let fast: Vec<_> = texts.iter().map(|t| set.find_folded(t)).collect();
        for part in &mut set.parts {
            part.all = None;
        }
        let slow: Vec<_> = texts.iter().map(|t| set.find_folded(t)).collect();
        assert_eq!(fast, [None, Some(0), None, Some(1), Some(0)]);
        assert_eq!(slow, fast);
    }

    #[test]
    fn a_list_longer_than_one_automaton_finds_what_one_automaton_would() {
        // Three automata: the hit that ends first wins across them, then the longest.
        let mut keywords: Vec<String> = (0..2 * PATTERNS_PER_AUTOMATON)
            .map(|i| format!("w{i}"))
            .collect();
        keywords.push("buzz".into());
        keywords.push("bad buzz".into());
        keywords.push("w1".into());
        let m = CrisisMatcher::new(&CrisisSettings {
            keywords,
            ..CrisisSettings::default()
        });
        assert_eq!(m.keywords.parts.len(), 3);
        let last = format!("w{}", 2 * PATTERNS_PER_AUTOMATON - 1);
        let cases: &[(&str, Option<&str>)] = &[
            (&last, Some(&last)),
            ("w1", Some("w1")),
            ("w10000000", None),
            ("un bad buzz puis w3", Some("bad buzz")),
            ("W8000 puis w5", Some("w8000")),
            ("buzz w2", Some("buzz")),
        ];
        for (text, expected) in cases {
            assert_eq!(m.keyword_in(text, ""), *expected, "{text:?}");
        }
        // A repeated keyword is one pattern, named as first written.
        assert_eq!(m.keywords.patterns.len(), 2 * PATTERNS_PER_AUTOMATON + 2);
    }

    #[test]
    fn issue_16_120_000_keywords_that_prefix_one_another_build_in_seconds() {
        // `w1` is a prefix of `w10`, of `w100`...: one automaton over all of them took
        // minutes (its build grew with the square of the list).
        let keywords: Vec<String> = (0..120_000).map(|i| format!("w{i}")).collect();
        let started = std::time::Instant::now();
        let m = CrisisMatcher::new(&CrisisSettings {
            keywords,
            ..CrisisSettings::default()
        });
        let took = started.elapsed();
        assert_eq!(m.keyword_in("alerte W119999 !", ""), Some("w119999"));
        // Unoptimised build on a busy machine; a quadratic build takes minutes here.
        assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    }

    #[test]
    fn long_text_does_not_keep_a_large_buffer() {
        let m = matcher(&["crise"], &[]);
        let text = "é ".repeat(KEPT_BUFFER_BYTES) + "crise";
        assert_eq!(m.keyword_in(&text, ""), Some("crise"));
        FOLDED.with(|cell| assert!(cell.borrow().capacity() <= KEPT_BUFFER_BYTES));
    }
}
