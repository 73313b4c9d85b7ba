//! The report's figure: the time to build a month's report (and its on-call statement)
//! from 100,000 history rows (target: under 200 ms), on a real SQLite file.

use couper::engine::Mode;
use couper::report::{self, Period, YearMonth};
use couper::settings::Settings;
use couper::store::{HistoryEntry, Kind, Store};
use couper::words::Lang;
use criterion::{criterion_group, criterion_main, Criterion};
use jiff::{SignedDuration, Timestamp};
use std::hint::black_box;
use std::time::Instant;

const ROWS: u32 = 100_000;

fn settings() -> Settings {
    couper::settings::parse(
        r#"
timezone = "Europe/Paris"
holidays = "FR"
[hours]
mon = ["09:00-12:30", "13:30-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-17:00"]
[on_call]
rotation = { first = "2026-10-02", every_weeks = 1, start = "fri 18:00", end = "mon 09:00" }
"#,
        "bench",
    )
    .expect("settings")
}

/// A month of history: 100,000 work decisions over 20 apps, with crises, modes and
/// on-call toggles among them.
fn history(store: &mut Store) {
    let start: Timestamp = "2026-10-01T00:00:00+02:00".parse().expect("time");
    let step = SignedDuration::from_secs(31 * 86_400 / i64::from(ROWS));
    let mut rows = Vec::with_capacity(10_000);
    for i in 0..ROWS {
        let at = start + step * i as i32;
        let (kind, extra) = match i % 100 {
            0 => (Kind::Crisis, false),
            1 => (Kind::Mode, false),
            2 => (Kind::OnCall, i % 200 == 2),
            3..=40 => (Kind::Hold, false),
            41..=50 => (Kind::Drop, false),
            51..=70 => (Kind::Release, false),
            _ => (Kind::Deliver, false),
        };
        let reason = match kind {
            Kind::Mode => serde_json::to_string(&Mode::On {
                until: at + SignedDuration::from_hours(1),
            })
            .expect("mode"),
            _ => "held: Work app 3 is a work app and Saturday 21:04 is outside your hours; delivered Monday 09:00".into(),
        };
        rows.push(HistoryEntry {
            at,
            kind,
            id: Some(i + 1),
            app: format!("workapp{}", i % 20),
            source: Some(format!("Work app {}", i % 20)),
            crisis: kind == Kind::Crisis,
            working: kind == Kind::Deliver,
            on_call: extra || kind == Kind::Crisis,
            reason,
        });
        if rows.len() == rows.capacity() {
            store.record_all(&rows).expect("rows");
            rows.clear();
        }
    }
    store.record_all(&rows).expect("rows");
}

fn month(c: &mut Criterion) {
    let settings = settings();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("couper.sqlite3");
    {
        let mut store = Store::open(&path).expect("store");
        history(&mut store);
    }
    let store = Store::open(&path).expect("store");
    let now: Timestamp = "2026-11-15T12:00:00+01:00".parse().expect("time");
    let october = Some("2026-10".parse::<YearMonth>().expect("month"));
    let build = || {
        let r = report::build(&settings, &store, Period::Month(october), now, Lang::En)
            .expect("report");
        let s = report::statement(&settings, &store, october, now, Lang::En).expect("statement");
        (r, s)
    };
    let (r, _) = build();
    assert_eq!(
        r.total.held + r.total.silenced + r.total.delivered + r.total.crises,
        u64::from(ROWS) / 100 * 78
    );
    let mut group = c.benchmark_group("report");
    group.sample_size(20);
    group.bench_function("a month from 100,000 rows", |b| {
        b.iter(|| black_box(build()))
    });
    group.finish();

    let rounds = 10;
    let t0 = Instant::now();
    for _ in 0..rounds {
        black_box(build());
    }
    println!(
        "FIGURE month's report and on-call statement from 100,000 history rows: {:.1} ms",
        t0.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds)
    );
}

criterion_group!(benches, month);
criterion_main!(benches);
