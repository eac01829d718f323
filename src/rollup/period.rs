//! Reporting periods (DESIGN §3): a Scottish financial year (`2025-26`, 1 April 2025 to
//! 31 March 2026), a quarter of one (`2025-26-Q1` April–June … `Q4` January–March) or an
//! inclusive date range (`2025-04-01..2025-09-30`).

use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// What every period error ends with: the forms a period may take.
const FORMS: &str = "use a financial year such as 2025-26, a quarter such as 2025-26-Q1, \
                     or a date range such as 2025-04-01..2025-09-30";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Period {
    /// The financial year starting on 1 April of this year (`Year(2025)` is 2025-26).
    Year(i32),
    /// Quarter 1 to 4 of the financial year starting in this year. A quarter number
    /// outside 1..=4 (only possible by building the value by hand) is read as the
    /// nearest quarter.
    Quarter(i32, u8),
    /// From the first date to the second, both included.
    Range(NaiveDate, NaiveDate),
}

fn ymd(y: i32, m: u32, d: u32, fallback: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(fallback)
}

/// The year a financial year containing `d` starts in.
fn fy_start_year(d: NaiveDate) -> i32 {
    if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    }
}

fn fy_label(start_year: i32) -> String {
    format!("{start_year}-{:02}", (start_year + 1).rem_euclid(100))
}

/// The financial year a date falls in, as `2025-26`.
pub fn financial_year(d: NaiveDate) -> String {
    fy_label(fy_start_year(d))
}

/// The financial quarter a date falls in, as `2025-26-Q3`.
pub fn quarter(d: NaiveDate) -> String {
    let q = match d.month() {
        4..=6 => 1,
        7..=9 => 2,
        10..=12 => 3,
        _ => 4,
    };
    format!("{}-Q{q}", financial_year(d))
}

impl Period {
    /// Reads `2025-26`, `2025-26-Q1` or `2025-04-01..2025-09-30`. The error is one
    /// sentence naming what was wrong and the forms a period may take.
    pub fn parse(s: &str) -> Result<Period, String> {
        let t = s.trim();
        if t.is_empty() {
            return Err(format!("no period was given; {FORMS}"));
        }
        if let Some((a, b)) = t.split_once("..") {
            let start = parse_date(a.trim())?;
            let end = parse_date(b.trim())?;
            if end < start {
                return Err(format!(
                    "the period `{}` ends before it starts; put the earlier date first, {FORMS}",
                    crate::domain::quote(t)
                ));
            }
            return Ok(Period::Range(start, end));
        }
        let (fy, q) = match t.get(..7) {
            Some(fy) if t.len() == 7 => (fy, None),
            Some(fy) if t.len() == 10 && matches!(t.get(7..9), Some("-Q" | "-q")) => {
                (fy, t.get(9..))
            }
            _ => {
                return Err(format!(
                    "the period `{}` is not understood; {FORMS}",
                    crate::domain::quote(t)
                ));
            }
        };
        let year = parse_fy(fy).ok_or_else(|| {
            if looks_like_fy(fy) {
                format!(
                    "`{fy}` is not a financial year, whose second year must follow the first \
                     (as in 2025-26); {FORMS}"
                )
            } else {
                format!(
                    "the period `{}` is not understood; {FORMS}",
                    crate::domain::quote(t)
                )
            }
        })?;
        match q {
            None => Ok(Period::Year(year)),
            Some(q) => match q {
                "1" | "2" | "3" | "4" => Ok(Period::Quarter(year, q.as_bytes()[0] - b'0')),
                _ => Err(format!(
                    "`{}` names no quarter, as quarters run from Q1 (April to June) to Q4 \
                     (January to March); {FORMS}",
                    crate::domain::quote(t)
                )),
            },
        }
    }

    /// The financial year containing `d`.
    pub fn year_of(d: NaiveDate) -> Period {
        Period::Year(fy_start_year(d))
    }

    /// The financial quarter containing `d`.
    pub fn quarter_of(d: NaiveDate) -> Period {
        let q = match d.month() {
            4..=6 => 1,
            7..=9 => 2,
            10..=12 => 3,
            _ => 4,
        };
        Period::Quarter(fy_start_year(d), q)
    }

    /// The first day of the period.
    pub fn start(&self) -> NaiveDate {
        let min = NaiveDate::MIN;
        match *self {
            Period::Year(y) => ymd(y, 4, 1, min),
            Period::Quarter(y, q) => match q.clamp(1, 4) {
                1 => ymd(y, 4, 1, min),
                2 => ymd(y, 7, 1, min),
                3 => ymd(y, 10, 1, min),
                _ => ymd(y.saturating_add(1), 1, 1, min),
            },
            Period::Range(a, _) => a,
        }
    }

    /// The last day of the period (included).
    pub fn end(&self) -> NaiveDate {
        let max = NaiveDate::MAX;
        match *self {
            Period::Year(y) => ymd(y.saturating_add(1), 3, 31, max),
            Period::Quarter(y, q) => match q.clamp(1, 4) {
                1 => ymd(y, 6, 30, max),
                2 => ymd(y, 9, 30, max),
                3 => ymd(y, 12, 31, max),
                _ => ymd(y.saturating_add(1), 3, 31, max),
            },
            Period::Range(_, b) => b,
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start() <= d && d <= self.end()
    }

    /// The period as it is written on the command line: `2025-26`, `2025-26-Q1` or
    /// `2025-04-01..2025-09-30`.
    pub fn label(&self) -> String {
        match *self {
            Period::Year(y) => fy_label(y),
            Period::Quarter(y, q) => format!("{}-Q{}", fy_label(y), q.clamp(1, 4)),
            Period::Range(a, b) => format!("{}..{}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d")),
        }
    }

    /// The period in words, for report headings: "1 April 2025 to 31 March 2026".
    pub fn describe(&self) -> String {
        format!(
            "{} to {}",
            self.start().format("%-d %B %Y"),
            self.end().format("%-d %B %Y")
        )
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Period, String> {
        Period::parse(s)
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn looks_like_fy(s: &str) -> bool {
    s.len() == 7
        && s.get(..4).is_some_and(all_digits)
        && s.get(4..5) == Some("-")
        && s.get(5..).is_some_and(all_digits)
}

/// `2025-26` → 2025; `None` unless the second year follows the first.
fn parse_fy(s: &str) -> Option<i32> {
    if !looks_like_fy(s) {
        return None;
    }
    let y: i32 = s.get(..4)?.parse().ok()?;
    let yy: i32 = s.get(5..)?.parse().ok()?;
    ((y + 1).rem_euclid(100) == yy).then_some(y)
}

/// A strict `YYYY-MM-DD` date.
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shape = s.len() == 10
        && s.get(..4).is_some_and(all_digits)
        && s.get(4..5) == Some("-")
        && s.get(5..7).is_some_and(all_digits)
        && s.get(7..8) == Some("-")
        && s.get(8..).is_some_and(all_digits);
    if !shape {
        return Err(format!(
            "`{}` is not a date written as YYYY-MM-DD; {FORMS}",
            crate::domain::quote(s)
        ));
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let date = match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    date.ok_or_else(|| format!("`{}` is not a real date; {FORMS}", crate::domain::quote(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn financial_years() {
        let p = Period::parse("2025-26").unwrap();
        assert_eq!(p, Period::Year(2025));
        assert_eq!((p.start(), p.end()), (d(2025, 4, 1), d(2026, 3, 31)));
        assert_eq!(p.label(), "2025-26");
        assert_eq!(p.describe(), "1 April 2025 to 31 March 2026");
        assert_eq!(Period::parse(" 1999-00 ").unwrap(), Period::Year(1999));
        assert_eq!(Period::Year(1999).label(), "1999-00");
        assert!(p.contains(d(2025, 4, 1)) && p.contains(d(2026, 3, 31)));
        assert!(!p.contains(d(2025, 3, 31)) && !p.contains(d(2026, 4, 1)));
    }

    #[test]
    fn quarters() {
        let q = |s| {
            let p = Period::parse(s).unwrap();
            (p.start(), p.end(), p.label())
        };
        assert_eq!(
            q("2025-26-Q1"),
            (d(2025, 4, 1), d(2025, 6, 30), "2025-26-Q1".into())
        );
        assert_eq!(
            q("2025-26-Q2"),
            (d(2025, 7, 1), d(2025, 9, 30), "2025-26-Q2".into())
        );
        assert_eq!(
            q("2025-26-Q3"),
            (d(2025, 10, 1), d(2025, 12, 31), "2025-26-Q3".into())
        );
        assert_eq!(
            q("2025-26-q4"),
            (d(2026, 1, 1), d(2026, 3, 31), "2025-26-Q4".into())
        );
        assert_eq!(q("2023-24-Q4").1, d(2024, 3, 31));
    }

    #[test]
    fn ranges() {
        let p = Period::parse("2025-04-01..2025-09-30").unwrap();
        assert_eq!(p, Period::Range(d(2025, 4, 1), d(2025, 9, 30)));
        assert_eq!(p.label(), "2025-04-01..2025-09-30");
        let one = Period::parse("2024-02-29 .. 2024-02-29").unwrap();
        assert_eq!((one.start(), one.end()), (d(2024, 2, 29), d(2024, 2, 29)));
    }

    #[test]
    fn bad_periods_say_what_is_accepted() {
        for bad in [
            "",
            "2025",
            "2025-27",
            "2025-2026",
            "25-26",
            "2025-26-Q5",
            "2025-26-Q0",
            "2025-26-H1",
            "2025-26-Q12",
            "2025-09-30..2025-04-01",
            "2025-02-30..2025-03-01",
            "2025-04-01..2025-13-01",
            "2025-4-1..2025-9-30",
            "2025-04-01..",
            "..2025-04-01",
            "2025-04-01",
            "last year",
            "２０２５-26",
        ] {
            let e = Period::parse(bad).unwrap_err();
            assert!(e.contains("2025-26-Q1") && e.contains(".."), "{bad}: {e}");
            assert_eq!(e.matches(". ").count(), 0, "one sentence: {e}");
        }
        assert!(
            Period::parse("2025-27")
                .unwrap_err()
                .contains("second year")
        );
        assert!(
            Period::parse("2025-09-30..2025-04-01")
                .unwrap_err()
                .contains("ends before")
        );
        assert!(
            Period::parse("2025-02-30..2025-03-01")
                .unwrap_err()
                .contains("not a real date")
        );
    }

    #[test]
    fn years_and_quarters_of_dates() {
        assert_eq!(financial_year(d(2025, 4, 1)), "2025-26");
        assert_eq!(financial_year(d(2026, 3, 31)), "2025-26");
        assert_eq!(financial_year(d(2025, 3, 31)), "2024-25");
        assert_eq!(quarter(d(2025, 4, 1)), "2025-26-Q1");
        assert_eq!(quarter(d(2025, 9, 30)), "2025-26-Q2");
        assert_eq!(quarter(d(2025, 11, 5)), "2025-26-Q3");
        assert_eq!(quarter(d(2026, 1, 1)), "2025-26-Q4");
        assert_eq!(Period::quarter_of(d(2026, 2, 1)), Period::Quarter(2025, 4));
        assert_eq!(Period::year_of(d(2026, 2, 1)), Period::Year(2025));
        // Built by hand with a quarter out of range: read as the nearest, never a panic.
        assert_eq!(Period::Quarter(2025, 9).label(), "2025-26-Q4");
        assert_eq!(Period::Year(i32::MAX).end(), NaiveDate::MAX);
    }
}
