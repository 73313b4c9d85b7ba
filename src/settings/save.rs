//! Writing `settings.toml` back: through `toml_edit`, so the user's comments and key
//! order survive, and atomically (write a temporary file, fsync, rename), so a crash
//! mid-save never leaves a half-written file.
//!
//! A save is a three-way merge, as alacritty's `migrate` edits rather than rewrites:
//! the *base* is the settings the file held (written in our layout), the *new* is the
//! settings to save (in the same layout), and only the keys where the two differ are
//! changed in the user's text. A value the user wrote differently but that means the
//! same (`app = "Slack"`, `start = 2026-12-24`) is therefore left as they wrote it.

use super::parse::WEEKDAY_KEYS;
use super::{CrisisPass, HolidayCalendar, OffHours, ReleaseMode, Settings, TimeOffBound, WeekTime};
use jiff::civil::DateTime;
use std::path::Path;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// The TOML text for `settings`. When `existing` is the file's current text, its
/// comments, key order and formatting are kept for every key that did not change.
pub fn to_toml(settings: &Settings, existing: Option<&str>) -> String {
    let fresh = document(settings);
    let Some(existing) = existing else {
        return fresh.to_string();
    };
    let Ok(mut edited) = existing.parse::<DocumentMut>() else {
        // Not TOML at all: nothing of it can be kept.
        return fresh.to_string();
    };
    // What the file meant, in our layout; or, when it does not validate, as written.
    let base_text = match super::parse(existing, "") {
        Ok(old) => document(&old).to_string(),
        Err(_) => existing.to_string(),
    };
    let (Ok(base), Ok(new)) = (
        toml::from_str::<toml::Table>(&base_text),
        toml::from_str::<toml::Table>(&fresh.to_string()),
    ) else {
        return fresh.to_string();
    };
    let mut next_position = last_position(edited.as_table()) + 1;
    merge(
        edited.as_table_mut(),
        &base,
        &new,
        fresh.as_table(),
        Some(&mut next_position),
    );
    edited.to_string()
}

/// Changes `edited` where `base` and `new` differ, taking new items from `fresh`.
/// `next_position` is given at the document's root, where new tables go last.
fn merge(
    edited: &mut dyn TableLike,
    base: &toml::Table,
    new: &toml::Table,
    fresh: &dyn TableLike,
    mut next_position: Option<&mut isize>,
) {
    let keys = base
        .keys()
        .chain(new.keys().filter(|key| !base.contains_key(*key)));
    for key in keys {
        let (old, now) = (base.get(key), new.get(key));
        if old == now {
            continue;
        }
        let empty = toml::Table::new();
        match (old, now, edited.get_mut(key)) {
            // A section emptied (`[display]` with nothing left): keep its header and the
            // user's comments. Deeper tables have required keys: they go.
            (Some(toml::Value::Table(old)), None, Some(Item::Table(table)))
                if next_position.is_some() =>
            {
                merge(table, old, &empty, &Table::new(), None);
            }
            (_, None, _) => {
                edited.remove(key);
            }
            (
                old @ (None | Some(toml::Value::Table(_))),
                Some(toml::Value::Table(now)),
                Some(item),
            ) if item.is_table_like() => {
                let old = match old {
                    Some(toml::Value::Table(old)) => old,
                    _ => &empty,
                };
                let fresh_table = fresh.get(key).and_then(Item::as_table_like);
                if let (Some(table), Some(fresh_table)) = (item.as_table_like_mut(), fresh_table) {
                    merge(table, old, now, fresh_table, None);
                }
            }
            (Some(toml::Value::Array(old)), Some(toml::Value::Array(now)), Some(item))
                if item.is_array_of_tables() =>
            {
                let fresh_tables = fresh.get(key).and_then(Item::as_array_of_tables);
                if let (Some(tables), Some(fresh_tables)) =
                    (item.as_array_of_tables_mut(), fresh_tables)
                {
                    merge_tables(tables, old, now, fresh_tables);
                }
            }
            (_, Some(_), _) => {
                if let Some(item) = fresh.get(key) {
                    replace(edited, key, item, next_position.as_deref_mut());
                }
            }
        }
    }
}

/// Sets `key` to `item`; a plain value keeps the comments written around the old one.
fn replace(edited: &mut dyn TableLike, key: &str, item: &Item, next_position: Option<&mut isize>) {
    if let (Some(Item::Value(old)), Item::Value(value)) = (edited.get_mut(key), item) {
        let decor = old.decor().clone();
        *old = value.clone();
        *old.decor_mut() = decor;
        return;
    }
    let mut item = item.clone();
    if let Some(position) = next_position {
        place_last(&mut item, position);
    }
    edited.insert(key, item);
}

/// Gives the new tables in `item` positions after every table of the document.
fn place_last(item: &mut Item, next_position: &mut isize) {
    let mut place = |table: &mut Table| {
        table.set_position(Some(*next_position));
        *next_position += 1;
    };
    match item {
        Item::Table(table) => place(table),
        Item::ArrayOfTables(tables) => tables.iter_mut().for_each(place),
        _ => {}
    }
}

/// The highest position of a table in the document (tables print in that order).
fn last_position(table: &Table) -> isize {
    let mut last = table.position().unwrap_or(0);
    for (_, item) in table.iter() {
        match item {
            Item::Table(table) => last = last.max(last_position(table)),
            Item::ArrayOfTables(tables) => {
                for table in tables.iter() {
                    last = last.max(last_position(table));
                }
            }
            _ => {}
        }
    }
    last
}

/// Merges an array of tables (`[[work_apps]]`): entries equal in both stay untouched
/// with their comments, changed ones are edited in place, others removed or added.
fn merge_tables(
    edited: &mut ArrayOfTables,
    base: &[toml::Value],
    new: &[toml::Value],
    fresh: &ArrayOfTables,
) {
    let old_tables: Vec<Table> = edited.iter().cloned().collect();
    let fresh_tables: Vec<&Table> = fresh.iter().collect();
    if old_tables.len() != base.len() || fresh_tables.len() != new.len() {
        *edited = fresh.clone();
        return;
    }
    let mut merged = ArrayOfTables::new();
    let take_new = |merged: &mut ArrayOfTables, j: usize| {
        if let Some(table) = fresh_tables.get(j) {
            let mut table = (*table).clone();
            // Printed right after the entry before it.
            table.set_position(None);
            merged.push(table);
        }
    };
    let (mut i, mut j) = (0, 0);
    let anchors = common_subsequence(base, new)
        .into_iter()
        .chain([(base.len(), new.len())]);
    for (next_i, next_j) in anchors {
        // Between two kept entries: edit pairwise, then drop or add the rest.
        while i < next_i && j < next_j {
            let mut table = old_tables[i].clone();
            if let (Some(toml::Value::Table(old)), Some(toml::Value::Table(now)), Some(f)) =
                (base.get(i), new.get(j), fresh_tables.get(j))
            {
                merge(&mut table, old, now, *f, None);
            }
            merged.push(table);
            i += 1;
            j += 1;
        }
        i = next_i;
        while j < next_j {
            take_new(&mut merged, j);
            j += 1;
        }
        if let Some(table) = old_tables.get(next_i) {
            merged.push(table.clone());
        }
        i += 1;
        j += 1;
    }
    *edited = merged;
}

/// The index pairs of a longest common subsequence of `a` and `b`, in order.
fn common_subsequence(a: &[toml::Value], b: &[toml::Value]) -> Vec<(usize, usize)> {
    let mut lengths = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if lengths[i + 1][j] >= lengths[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// `settings` in the layout of the spec's example file.
fn document(settings: &Settings) -> DocumentMut {
    let mut doc = DocumentMut::new();
    doc["timezone"] = toml_edit::value(settings.timezone_name.as_str());
    if let Some(language) = settings.language {
        doc["language"] = toml_edit::value(language.tag());
    }
    if let Some(calendar) = settings.holidays {
        doc["holidays"] = toml_edit::value(match calendar {
            HolidayCalendar::France => "FR",
        });
    }
    if !settings.extra_holidays.is_empty() {
        doc["extra_holidays"] = strings(settings.extra_holidays.iter().map(|d| d.to_string()));
    }

    let mut hours = Table::new();
    hours
        .decor_mut()
        .set_suffix("  # a missing day is a day off");
    for (key, ranges) in WEEKDAY_KEYS.iter().zip(&settings.hours.days) {
        if !ranges.is_empty() {
            hours[key] = strings(ranges.iter().map(|r| r.to_string()));
        }
    }
    doc["hours"] = Item::Table(hours);

    if !settings.time_off.is_empty() {
        let mut periods = ArrayOfTables::new();
        for period in &settings.time_off {
            let mut table = Table::new();
            table["start"] = toml_edit::value(bound_text(period.start));
            table["end"] = toml_edit::value(bound_text(period.end));
            if let Some(label) = &period.label {
                table["label"] = toml_edit::value(label.as_str());
            }
            periods.push(table);
        }
        doc["time_off"] = Item::ArrayOfTables(periods);
    }

    if !settings.work_apps.is_empty() {
        let mut apps = ArrayOfTables::new();
        for app in &settings.work_apps {
            let mut table = Table::new();
            table["name"] = toml_edit::value(app.name.as_str());
            table["app"] = commented(app.app.as_str(), "app_name or desktop-entry");
            if let Some(account) = &app.account {
                table["account"] = commented(account.as_str(), "must appear in summary or body");
            }
            if !app.sites.is_empty() {
                let mut sites = strings(app.sites.iter().cloned());
                if let Some(value) = sites.as_value_mut() {
                    value
                        .decor_mut()
                        .set_suffix("  # these sites and their subdomains");
                }
                table["sites"] = sites;
            }
            let off_hours = match app.off_hours {
                OffHours::Hold => "hold",
                OffHours::Drop => "drop",
            };
            table["off_hours"] = commented(off_hours, "hold (default) | drop");
            apps.push(table);
        }
        doc["work_apps"] = Item::ArrayOfTables(apps);
    }

    let crisis = &settings.crisis;
    let mut table = Table::new();
    let pass = match crisis.pass {
        CrisisPass::Always => "always",
        CrisisPass::OnCall => "on_call",
    };
    table["pass"] = commented(pass, "always (default) | on_call");
    table["critical_urgency"] = toml_edit::value(crisis.critical_urgency);
    table["keywords"] = strings(crisis.keywords.iter().cloned());
    table["senders"] = strings(crisis.senders.iter().cloned());
    if let Some(repeat) = crisis.repeat {
        let mut inline = InlineTable::new();
        inline.insert("count", i64::from(repeat.count).into());
        inline.insert("minutes", i64::from(repeat.minutes).into());
        table["repeat"] = toml_edit::value(inline);
    }
    doc["crisis"] = Item::Table(table);

    let on_call = &settings.on_call;
    let mut table = Table::new();
    if !on_call.shifts.is_empty() {
        let mut shifts = Array::new();
        for shift in &on_call.shifts {
            let mut inline = InlineTable::new();
            inline.insert("start", datetime_text(shift.start).into());
            inline.insert("end", datetime_text(shift.end).into());
            shifts.push(inline);
        }
        table["shifts"] = toml_edit::value(shifts);
    }
    if let Some(rotation) = on_call.rotation {
        let mut inline = InlineTable::new();
        inline.insert("first", rotation.first.to_string().into());
        inline.insert("every_weeks", i64::from(rotation.every_weeks).into());
        inline.insert("start", week_time_text(rotation.start).into());
        inline.insert("end", week_time_text(rotation.end).into());
        table["rotation"] = toml_edit::value(inline);
    }
    if let Some(calendar) = &on_call.calendar {
        table["calendar"] = toml_edit::value(calendar.as_str());
    }
    if let Some(name) = &on_call.calendar_match {
        table["calendar_match"] = toml_edit::value(name.as_str());
    }
    if !table.is_empty() {
        doc["on_call"] = Item::Table(table);
    }

    let mut table = Table::new();
    for (key, text) in [
        ("fr", &settings.auto_reply.fr),
        ("en", &settings.auto_reply.en),
    ] {
        if let Some(text) = text {
            table[key] = toml_edit::value(text.as_str());
        }
    }
    if !table.is_empty() {
        doc["auto_reply"] = Item::Table(table);
    }

    let mut table = Table::new();
    let mode = match settings.release.mode {
        ReleaseMode::Digest => "digest",
        ReleaseMode::Replay => "replay",
    };
    table["mode"] = commented(mode, "digest (default) | replay");
    doc["release"] = Item::Table(table);

    if let Some(command) = &settings.display.command {
        let mut table = Table::new();
        table["command"] = strings(command.iter().cloned());
        doc["display"] = Item::Table(table);
    }
    doc
}

fn strings(items: impl Iterator<Item = String>) -> Item {
    toml_edit::value(items.collect::<Array>())
}

/// A string value with a comment after it, as in the spec's example.
fn commented(text: &str, comment: &str) -> Item {
    let mut value = Value::from(text);
    value.decor_mut().set_suffix(format!("  # {comment}"));
    Item::Value(value)
}

/// `2026-11-27T18:00`, with seconds only when there are some.
fn datetime_text(datetime: DateTime) -> String {
    if datetime.second() == 0 && datetime.subsec_nanosecond() == 0 {
        format!(
            "{}T{:02}:{:02}",
            datetime.date(),
            datetime.hour(),
            datetime.minute()
        )
    } else {
        datetime.to_string()
    }
}

fn bound_text(bound: TimeOffBound) -> String {
    match bound {
        TimeOffBound::Date(date) => date.to_string(),
        TimeOffBound::DateTime(datetime) => datetime_text(datetime),
    }
}

/// `fri 18:00`.
fn week_time_text(week_time: WeekTime) -> String {
    let day = WEEKDAY_KEYS
        .get(week_time.weekday.to_monday_zero_offset() as usize)
        .unwrap_or(&"mon");
    format!(
        "{day} {:02}:{:02}",
        week_time.time.hour(),
        week_time.time.minute()
    )
}

/// Replaces `path` with `contents` atomically, readable by the user alone (0600).
///
/// The bytes go to a temporary file in the same directory, are synced, and the file is
/// renamed over `path`; the directory is synced too, so after a crash the file is either
/// the old one or the new one, never a mix. A symbolic link (a dotfiles repository) is
/// followed: its target is replaced, the link stays.
pub fn atomic_write(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;

    let path = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    create_private_dir(&dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".settings-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut file = builder.tempfile_in(&dir)?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    file.persist(&path).map_err(|e| e.error)?;
    #[cfg(unix)]
    std::fs::File::open(&dir)?.sync_all()?;
    Ok(())
}

/// Creates `dir` and its parents, readable by the user alone where it is new.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Saves `settings` to `path`, keeping what the user wrote there.
///
/// A file that does not validate (the user is editing it, or made a mistake) is never
/// overwritten: the save fails with [`std::io::ErrorKind::InvalidData`] and the reasons,
/// and the user's text stays as it is.
///
/// Why it was not saved is said in the language of `settings` (what the window shows).
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    let lang = crate::words::Lang::chosen(settings.language);
    let existing = super::read(path).map_err(|e| match e.why {
        crate::userfile::Refused::Io(io) => io,
        why => std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            crate::t!(
                lang,
                "settings-not-saved",
                path = path.display().to_string(),
                detail = why.said(lang)
            ),
        ),
    })?;
    if let Some(text) = &existing {
        if let Err(refusals) = super::parse(text, &path.display().to_string()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{}\n{}",
                    crate::t!(lang, "settings-not-saved-refused"),
                    refusals.lines(lang)
                ),
            ));
        }
    }
    atomic_write(path, to_toml(settings, existing.as_deref()).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(items: &[i64]) -> Vec<toml::Value> {
        items.iter().map(|&i| toml::Value::Integer(i)).collect()
    }

    #[test]
    fn the_common_subsequence_keeps_what_did_not_move() {
        let pairs = common_subsequence(&values(&[1, 2, 3, 4]), &values(&[1, 3, 5, 4]));
        assert_eq!(pairs, [(0, 0), (2, 1), (3, 3)]);
        assert!(common_subsequence(&values(&[]), &values(&[1])).is_empty());
    }

    #[test]
    fn date_times_are_written_with_seconds_only_when_there_are_some() {
        let day = jiff::civil::date(2026, 11, 27);
        assert_eq!(datetime_text(day.at(18, 0, 0, 0)), "2026-11-27T18:00");
        assert_eq!(datetime_text(day.at(18, 0, 5, 0)), "2026-11-27T18:00:05");
    }

    #[test]
    fn week_times_are_written_as_they_are_read() {
        let week_time = WeekTime {
            weekday: jiff::civil::Weekday::Sunday,
            time: jiff::civil::time(7, 5, 0, 0),
        };
        assert_eq!(week_time_text(week_time), "sun 07:05");
    }

    #[test]
    fn a_new_key_goes_after_the_user_keys_of_its_table() {
        let existing = "[crisis]\n# mine\nkeywords = [\"crise\"]  # words\n";
        let mut settings = super::super::parse(existing, "s").unwrap();
        settings.crisis.senders.push("Alex".to_string());
        let saved = to_toml(&settings, Some(existing));
        assert!(saved.starts_with(existing), "{saved}");
        assert!(saved.ends_with("senders = [\"Alex\"]\n"), "{saved}");
    }
}
