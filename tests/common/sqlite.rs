//! Running `sql/rollup.sql` over a data package in SQLite, as an analyst would, so
//! tests can compare what it recomputes with what `report` publishes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

pub fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// (level, unit, measure, framework, outcome_id, term) of a long-table count.
pub type Key = (String, String, String, String, String, String);

pub fn long_counts(text: &str) -> BTreeMap<Key, u64> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let mut out = BTreeMap::new();
    for r in rdr.records() {
        let r = r.unwrap();
        let get = |n: &str| r[h.iter().position(|x| x == n).unwrap()].to_string();
        let v: u64 = get("value")
            .parse()
            .unwrap_or_else(|_| panic!("a value in {r:?}"));
        if v > 0 {
            out.insert(
                (
                    get("level"),
                    get("unit"),
                    get("measure"),
                    get("framework"),
                    get("outcome_id"),
                    get("term"),
                ),
                v,
            );
        }
    }
    out
}

pub fn sqlite(db: &Path, args: &[&str]) -> String {
    let out = Command::new("sqlite3").arg(db).args(args).output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "sqlite3 {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Loads a data package into a new SQLite database and runs sql/rollup.sql for a period.
pub fn recompute_in_sqlite(pkg: &Path, period: (&str, &str, &str), today: &str) -> String {
    let db = pkg.join("rollup.db");
    let _ = std::fs::remove_file(&db);
    sqlite(
        &db,
        &[&format!(".read {}", pkg.join("schema.sql").display())],
    );
    for t in [
        "people",
        "conversations",
        "outcomes",
        "outcome_definitions",
        "outcome_national",
    ] {
        let file = pkg.join(format!("{t}.csv"));
        sqlite(
            &db,
            &[&format!(".import --csv --skip 1 {} {t}", file.display())],
        );
    }
    sqlite(
        &db,
        &[&format!(
            "CREATE TABLE params AS SELECT '{}' AS period, '{}' AS period_start, '{}' AS period_end, '{today}' AS today;",
            period.0, period.1, period.2
        )],
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("sql/rollup.sql");
    sqlite(
        &db,
        &[
            "-csv",
            "-header",
            &format!(".read {}", script.display()),
            "SELECT level, unit, period, measure, coalesce(framework, '') AS framework, coalesce(outcome_id, '') AS outcome_id, coalesce(term, '') AS term, value FROM rollup_long;",
        ],
    )
}
