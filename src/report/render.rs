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
use crate::words::{month_name, weekday_short, Lang};
use jiff::civil::Date;

/// A number of hours: "63.00" / "63,00".
fn decimal(hours: Hours, lang: Lang) -> String {
    let text = format!("{:.2}", hours.rounded());
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

fn month_short(month: i8, lang: Lang) -> String {
    match lang {
        Lang::En => month_name(month, lang).chars().take(3).collect(),
        Lang::Fr => [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ][(month.clamp(1, 12) - 1) as usize]
            .to_string(),
    }
}

/// "Fri 2 Oct 18:00" / "ven. 2 oct. 18:00".
fn when(t: &Local, lang: Lang) -> String {
    let z = &t.0;
    format!(
        "{} {} {} {}",
        weekday_short(z.weekday(), lang),
        z.day(),
        month_short(z.month(), lang),
        z.strftime("%H:%M")
    )
}

/// "Mon 23 Nov 2026" / "lun. 23 nov. 2026".
fn day(d: Date, lang: Lang) -> String {
    format!(
        "{} {} {} {}",
        weekday_short(d.weekday(), lang),
        d.day(),
        month_short(d.month(), lang),
        d.year()
    )
}

fn origins(origins: &[Origin], lang: Lang) -> String {
    origins
        .iter()
        .map(|o| match (o, lang) {
            (Origin::Schedule, Lang::En) => "schedule",
            (Origin::Schedule, Lang::Fr) => "planning",
            (Origin::Calendar, Lang::En) => "calendar",
            (Origin::Calendar, Lang::Fr) => "calendrier",
            (Origin::Manual, Lang::En) => "by hand",
            (Origin::Manual, Lang::Fr) => "à la main",
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
    let fr = lang == Lang::Fr;
    let mut out = if fr {
        format!(
            "Rapport Couper, du {} au {} ({})\n\nNotifications de travail\n",
            day(r.days.first, lang),
            day(r.days.last, lang),
            r.timezone
        )
    } else {
        format!(
            "Couper report, {} to {} ({})\n\nWork notifications\n",
            day(r.days.first, lang),
            day(r.days.last, lang),
            r.timezone
        )
    };
    let mut apps = Table::new(&[false, true, true, true, true]);
    apps.row(
        if fr {
            ["appli", "retenues", "silencieuses", "distribuées", "crises"]
        } else {
            ["app", "held", "silenced", "delivered", "crises"]
        }
        .map(String::from)
        .to_vec(),
    );
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
    apps.row(figures("total", &r.total));
    apps.write(&mut out);

    let none = if fr { "  aucune\n" } else { "  none\n" };
    out.push_str(&if fr {
        format!(
            "\nInterruptions hors horaires : {} (crises passées hors de vos horaires)\n",
            r.interruptions.len()
        )
    } else {
        format!(
            "\nOff-hours interruptions: {} (crises let through outside your hours)\n",
            r.interruptions.len()
        )
    });
    if r.interruptions.is_empty() {
        out.push_str(none);
    }
    let mut table = Table::new(&[false, false, false, false]);
    for i in &r.interruptions {
        let on_call = match (i.on_call, fr) {
            (true, true) => "d'astreinte",
            (true, false) => "on call",
            (false, _) => "",
        };
        table.row(vec![
            when(&i.at, lang),
            i.app.clone(),
            on_call.to_string(),
            i.why.clone(),
        ]);
    }
    table.write(&mut out);

    let worked = Hours(r.worked_outside.iter().map(|w| w.outside_hours.0).sum());
    let times = r.worked_outside.len();
    out.push_str(&if fr {
        format!(
            "\nTravail choisi hors horaires : {times} fois, {} h\n",
            decimal(worked, lang)
        )
    } else {
        format!(
            "\nWorked outside your hours: {times} {}, {} h\n",
            if times == 1 { "time" } else { "times" },
            decimal(worked, lang)
        )
    });
    if r.worked_outside.is_empty() {
        out.push_str(none);
    }
    let mut table = Table::new(&[false, false, true, false]);
    for w in &r.worked_outside {
        table.row(vec![
            when(&w.start, lang),
            when(&w.end, lang),
            format!("{} h", decimal(w.hours, lang)),
            if fr {
                format!("dont {} h hors horaires", decimal(w.outside_hours, lang))
            } else {
                format!("{} h outside your hours", decimal(w.outside_hours, lang))
            },
        ]);
    }
    table.write(&mut out);

    out.push_str(&if fr {
        format!("\nAstreinte : {} h\n", decimal(r.on_call_hours.hours, lang))
    } else {
        format!("\nOn call: {} h\n", decimal(r.on_call_hours.hours, lang))
    });
    if r.on_call.is_empty() {
        out.push_str(none);
    }
    let mut table = Table::new(&[false, false, true, false]);
    for p in &r.on_call {
        table.row(vec![
            when(&p.start, lang),
            when(&p.end, lang),
            format!("{} h", decimal(p.hours.hours, lang)),
            origins(&p.origins, lang),
        ]);
    }
    table.write(&mut out);
    out.trim_end().to_string()
}

/// The on-call statement for a person.
pub fn statement_text(s: &Statement, lang: Lang) -> String {
    let fr = lang == Lang::Fr;
    let month = month_name(s.month.first_day().month(), lang);
    let year = s.month.first_day().year();
    let mut out = if fr {
        format!("Relevé d'astreinte, {month} {year} ({})\n\n", s.timezone)
    } else {
        format!("On-call statement, {month} {year} ({})\n\n", s.timezone)
    };
    let mut table = Table::new(&[false, false, true, true, true, true, false, false]);
    table.row(
        if fr {
            [
                "début", "fin", "heures", "nuit", "dimanche", "férié", "origine", "",
            ]
        } else {
            [
                "start", "end", "hours", "night", "Sunday", "holiday", "origin", "",
            ]
        }
        .map(String::from)
        .to_vec(),
    );
    let numbers = |h: &super::hours::Split| {
        [h.hours, h.night_hours, h.sunday_hours, h.holiday_hours].map(|x| decimal(x, lang))
    };
    for p in &s.periods {
        let mut row = vec![when(&p.start, lang), when(&p.end, lang)];
        row.extend(numbers(&p.hours));
        row.push(origins(&p.origins, lang));
        if cut(p) {
            let whole = format!(
                "{} – {}",
                when(&p.period_start, lang),
                when(&p.period_end, lang)
            );
            row.push(if fr {
                format!("(période entière : {whole})")
            } else {
                format!("(whole period: {whole})")
            });
        }
        table.row(row);
    }
    let mut total = vec!["total".to_string(), String::new()];
    total.extend(numbers(&s.total));
    table.row(total);
    table.write(&mut out);
    out.push_str(&if fr {
        format!(
            "\nInterventions (crises passées pendant l'astreinte) : {}\n",
            s.interventions.len()
        )
    } else {
        format!(
            "\nInterventions (crises let through while on call): {}\n",
            s.interventions.len()
        )
    });
    if s.interventions.is_empty() {
        out.push_str(if fr { "  aucune\n" } else { "  none\n" });
    }
    let mut table = Table::new(&[false, false, false]);
    for i in &s.interventions {
        table.row(vec![when(&i.at, lang), i.app.clone(), i.why.clone()]);
    }
    table.write(&mut out);
    out.trim_end().to_string()
}

/// CSV rows, with the language's separator.
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
    match (yes, lang) {
        (true, Lang::Fr) => "oui",
        (false, Lang::Fr) => "non",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
    .to_string()
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
