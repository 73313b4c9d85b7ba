//! Reports laid out: aligned text for a terminal, and CSV a spreadsheet opens as is, in
//! French or English.
//!
//! CSV: UTF-8 with a byte-order mark (without it, Excel reads UTF-8 as the old Windows
//! code page and "février" comes out garbled; LibreOffice and scripts that know UTF-8
//! skip it), a header row, CRLF line ends (RFC 4180). In French, fields are separated by
//! `;` and decimals written with a comma, as French spreadsheets expect; in English, `,`
//! and `.`. Times are local, `YYYY-MM-DD HH:MM`, which spreadsheets read as date-times.
//! Text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) is
//! prefixed with `'`.

use super::{Hours, Interruption, Local, OnCallPeriod, Origin, Report, Statement};
use crate::t;
use crate::words::{month_name, month_short, weekday_short, Lang};
use jiff::civil::Date;

/// A number of hours: "63.00" / "63,00".
fn decimal(hours: Hours, lang: Lang) -> String {
    let text = format!("{:.2}", hours.rounded());
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// "Fri 2 Oct 18:00" / "ven. 2 oct. 18:00".
fn when(t: &Local, lang: Lang) -> String {
    let z = &t.0;
    t!(
        lang,
        "report-when",
        day = weekday_short(z.weekday(), lang),
        date = z.day().to_string(),
        month = month_short(z.month(), lang),
        time = z.strftime("%H:%M").to_string()
    )
}

/// "Mon 23 Nov 2026" / "lun. 23 nov. 2026".
fn day(d: Date, lang: Lang) -> String {
    t!(
        lang,
        "report-day",
        day = weekday_short(d.weekday(), lang),
        date = d.day().to_string(),
        month = month_short(d.month(), lang),
        year = d.year().to_string()
    )
}

/// "63.00 h" / "63,00 h".
fn hours(h: Hours, lang: Lang) -> String {
    t!(lang, "report-text-hours", hours = decimal(h, lang))
}

fn origins(origins: &[Origin], lang: Lang) -> String {
    origins
        .iter()
        .map(|o| match o {
            Origin::Schedule => t!(lang, "report-origin-schedule"),
            Origin::Calendar => t!(lang, "report-origin-calendar"),
            Origin::Manual => t!(lang, "report-origin-manual"),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn cut(p: &OnCallPeriod) -> bool {
    p.start != p.period_start || p.end != p.period_end
}

/// Columns aligned: numbers to the right, text to the left, two spaces apart.
struct Table {
    rows: Vec<Vec<String>>,
    right: Vec<bool>,
}

impl Table {
    fn new(right: &[bool]) -> Table {
        Table {
            rows: Vec::new(),
            right: right.to_vec(),
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn write(&self, out: &mut String) {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &self.rows {
            let mut line = String::from(" ");
            for (c, cell) in row.iter().enumerate() {
                let pad = widths[c].saturating_sub(cell.chars().count());
                line.push(' ');
                if self.right.get(c).copied().unwrap_or(false) {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                }
                line.push(' ');
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// The report for a person.
pub fn text(r: &Report, lang: Lang) -> String {
    let mut out = t!(
        lang,
        "report-title",
        first = day(r.days.first, lang),
        last = day(r.days.last, lang),
        zone = r.timezone.as_str()
    );
    out.push_str("\n\n");
    out.push_str(&t!(lang, "report-work"));
    out.push('\n');
    let mut apps = Table::new(&[false, true, true, true, true]);
    apps.row(vec![
        t!(lang, "report-col-app"),
        t!(lang, "report-col-held"),
        t!(lang, "report-col-silenced"),
        t!(lang, "report-col-delivered"),
        t!(lang, "report-col-crises"),
    ]);
    let figures = |name: &str, f: &super::Figures| {
        vec![
            name.to_string(),
            f.held.to_string(),
            f.silenced.to_string(),
            f.delivered.to_string(),
            f.crises.to_string(),
        ]
    };
    for app in &r.apps {
        apps.row(figures(&app.app, &app.figures));
    }
    apps.row(figures(&t!(lang, "report-text-total"), &r.total));
    apps.write(&mut out);

    let none = format!("  {}\n", t!(lang, "report-none"));
    out.push('\n');
    out.push_str(&t!(
        lang,
        "report-text-interruptions",
        count = r.interruptions.len().to_string()
    ));
    out.push('\n');
    if r.interruptions.is_empty() {
        out.push_str(&none);
    }
    let mut table = Table::new(&[false, false, false, false]);
    for i in &r.interruptions {
        table.row(vec![
            when(&i.at, lang),
            i.app.clone(),
            if i.on_call {
                t!(lang, "report-on-call-mark")
            } else {
                String::new()
            },
            i.why.clone(),
        ]);
    }
    table.write(&mut out);

    let worked = Hours(r.worked_outside.iter().map(|w| w.outside_hours.0).sum());
    out.push('\n');
    out.push_str(&t!(
        lang,
        "report-worked",
        count = r.worked_outside.len(),
        hours = decimal(worked, lang)
    ));
    out.push('\n');
    if r.worked_outside.is_empty() {
        out.push_str(&none);
    }
    let mut table = Table::new(&[false, false, true, false]);
    for w in &r.worked_outside {
        table.row(vec![
            when(&w.start, lang),
            when(&w.end, lang),
            hours(w.hours, lang),
            t!(
                lang,
                "report-worked-outside",
                hours = decimal(w.outside_hours, lang)
            ),
        ]);
    }
    table.write(&mut out);

    out.push('\n');
    out.push_str(&t!(
        lang,
        "report-on-call",
        hours = decimal(r.on_call_hours.hours, lang)
    ));
    out.push('\n');
    if r.on_call.is_empty() {
        out.push_str(&none);
    }
    let mut table = Table::new(&[false, false, true, false]);
    for p in &r.on_call {
        table.row(vec![
            when(&p.start, lang),
            when(&p.end, lang),
            hours(p.hours.hours, lang),
            origins(&p.origins, lang),
        ]);
    }
    table.write(&mut out);
    out.trim_end().to_string()
}

/// The on-call statement for a person.
pub fn statement_text(s: &Statement, lang: Lang) -> String {
    let mut out = t!(
        lang,
        "statement-title",
        month = month_name(s.month.first_day().month(), lang),
        year = s.month.first_day().year().to_string(),
        zone = s.timezone.as_str()
    );
    out.push_str("\n\n");
    let mut table = Table::new(&[false, false, true, true, true, true, false, false]);
    table.row(vec![
        t!(lang, "statement-col-start"),
        t!(lang, "statement-col-end"),
        t!(lang, "statement-col-hours"),
        t!(lang, "statement-col-night"),
        t!(lang, "statement-col-sunday"),
        t!(lang, "statement-col-holiday"),
        t!(lang, "statement-col-origin"),
        String::new(),
    ]);
    let numbers = |h: &super::hours::Split| {
        [h.hours, h.night_hours, h.sunday_hours, h.holiday_hours].map(|x| decimal(x, lang))
    };
    for p in &s.periods {
        let mut row = vec![when(&p.start, lang), when(&p.end, lang)];
        row.extend(numbers(&p.hours));
        row.push(origins(&p.origins, lang));
        if cut(p) {
            row.push(t!(
                lang,
                "statement-whole",
                start = when(&p.period_start, lang),
                end = when(&p.period_end, lang)
            ));
        }
        table.row(row);
    }
    let mut total = vec![t!(lang, "report-text-total"), String::new()];
    total.extend(numbers(&s.total));
    table.row(total);
    table.write(&mut out);
    out.push('\n');
    out.push_str(&t!(
        lang,
        "statement-interventions",
        count = s.interventions.len().to_string()
    ));
    out.push('\n');
    if s.interventions.is_empty() {
        out.push_str(&format!("  {}\n", t!(lang, "report-none")));
    }
    let mut table = Table::new(&[false, false, false]);
    for i in &s.interventions {
        table.row(vec![when(&i.at, lang), i.app.clone(), i.why.clone()]);
    }
    table.write(&mut out);
    out.trim_end().to_string()
}

/// CSV rows, with the language's separator. The header row and the first column's
/// section names are the file's format, which scripts and spreadsheets read: they stay
/// here, as they always were, not in the catalogue.
struct Csv {
    out: String,
    separator: char,
    lang: Lang,
}

impl Csv {
    fn new(lang: Lang, header: &[&str]) -> Csv {
        let mut csv = Csv {
            out: String::from("\u{feff}"),
            separator: if lang == Lang::Fr { ';' } else { ',' },
            lang,
        };
        csv.row(header.iter().map(|h| h.to_string()).collect());
        csv
    }

    fn row(&mut self, cells: Vec<String>) {
        let line: Vec<String> = cells.iter().map(|c| self.field(c)).collect();
        self.out.push_str(&line.join(&self.separator.to_string()));
        self.out.push_str("\r\n");
    }

    fn field(&self, cell: &str) -> String {
        let cell = if cell.starts_with(['=', '+', '-', '@']) {
            format!("'{cell}")
        } else {
            cell.to_string()
        };
        if cell.contains([self.separator, '"', '\n', '\r']) {
            format!("\"{}\"", cell.replace('"', "\"\""))
        } else {
            cell
        }
    }

    fn hours(&self, h: Hours) -> String {
        decimal(h, self.lang)
    }
}

fn stamp(t: &Local) -> String {
    t.0.strftime("%Y-%m-%d %H:%M").to_string()
}

/// The report for a spreadsheet: one row per app, total, interruption, period of work
/// outside your hours and on-call period, told apart by the first column.
pub fn csv(r: &Report, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let header: &[&str] = if fr {
        &[
            "rubrique",
            "appli",
            "retenues",
            "silencieuses",
            "distribuées",
            "crises",
            "début",
            "fin",
            "heures",
            "heures hors horaires",
            "astreinte",
            "origine",
            "motif",
        ]
    } else {
        &[
            "section",
            "app",
            "held",
            "silenced",
            "delivered",
            "crises",
            "start",
            "end",
            "hours",
            "hours outside your hours",
            "on call",
            "origin",
            "reason",
        ]
    };
    let mut csv = Csv::new(lang, header);
    let blank = |n: usize| vec![String::new(); n];
    let figures = |csv: &mut Csv, section: &str, app: &str, f: &super::Figures| {
        let mut row = vec![
            section.to_string(),
            app.to_string(),
            f.held.to_string(),
            f.silenced.to_string(),
            f.delivered.to_string(),
            f.crises.to_string(),
        ];
        row.extend(blank(7));
        csv.row(row);
    };
    for app in &r.apps {
        figures(
            &mut csv,
            if fr { "appli" } else { "app" },
            &app.app,
            &app.figures,
        );
    }
    figures(&mut csv, "total", "", &r.total);
    for i in &r.interruptions {
        let mut row = vec!["interruption".to_string(), i.app.clone()];
        row.extend(blank(4));
        row.extend([stamp(&i.at), String::new(), String::new(), String::new()]);
        row.push(yes_no(i.on_call, lang));
        row.push(String::new());
        row.push(i.why.clone());
        csv.row(row);
    }
    for w in &r.worked_outside {
        let mut row = vec![
            if fr {
                "travail hors horaires"
            } else {
                "worked outside your hours"
            }
            .to_string(),
            String::new(),
        ];
        row.extend(blank(4));
        row.extend([
            stamp(&w.start),
            stamp(&w.end),
            csv.hours(w.hours),
            csv.hours(w.outside_hours),
        ]);
        row.extend(blank(3));
        csv.row(row);
    }
    for p in &r.on_call {
        let mut row = vec![if fr { "astreinte" } else { "on call" }.to_string()];
        row.extend(blank(5));
        row.extend([
            stamp(&p.start),
            stamp(&p.end),
            csv.hours(p.hours.hours),
            String::new(),
            String::new(),
            origins(&p.origins, lang),
            String::new(),
        ]);
        csv.row(row);
    }
    csv.out
}

fn yes_no(yes: bool, lang: Lang) -> String {
    if yes {
        t!(lang, "report-yes")
    } else {
        t!(lang, "report-no")
    }
}

/// The on-call statement for a spreadsheet: one row per period (its part in the month),
/// a total row, and one row per intervention.
pub fn statement_csv(s: &Statement, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let header: &[&str] = if fr {
        &[
            "ligne",
            "début",
            "fin",
            "heures",
            "heures de nuit",
            "heures du dimanche",
            "heures fériées",
            "origine",
            "début de la période",
            "fin de la période",
            "appli",
            "motif",
        ]
    } else {
        &[
            "row",
            "start",
            "end",
            "hours",
            "night hours",
            "Sunday hours",
            "holiday hours",
            "origin",
            "period start",
            "period end",
            "app",
            "reason",
        ]
    };
    let mut csv = Csv::new(lang, header);
    let numbers = |csv: &Csv, h: &super::hours::Split| {
        [h.hours, h.night_hours, h.sunday_hours, h.holiday_hours].map(|x| csv.hours(x))
    };
    for p in &s.periods {
        let mut row = vec![
            if fr { "période" } else { "period" }.to_string(),
            stamp(&p.start),
            stamp(&p.end),
        ];
        row.extend(numbers(&csv, &p.hours));
        row.extend([
            origins(&p.origins, lang),
            stamp(&p.period_start),
            stamp(&p.period_end),
            String::new(),
            String::new(),
        ]);
        csv.row(row);
    }
    let mut total = vec!["total".to_string(), String::new(), String::new()];
    total.extend(numbers(&csv, &s.total));
    total.extend(vec![String::new(); 5]);
    csv.row(total);
    for i in &s.interventions {
        csv.row(intervention_row(i));
    }
    csv.out
}

fn intervention_row(i: &Interruption) -> Vec<String> {
    let mut row = vec!["intervention".to_string(), stamp(&i.at)];
    row.extend(vec![String::new(); 8]);
    row.extend([i.app.clone(), i.why.clone()]);
    row
}
