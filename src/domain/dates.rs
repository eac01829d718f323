//! Dates as people write them: `YYYY-MM-DD`, and in the interface also `today` and a
//! span from today (`+3d`, `+2w`, `+3m`, `+1y`).

use super::quote;
use chrono::{Days, Months, NaiveDate};

/// A calendar date written `YYYY-MM-DD`, which must exist (no 31 June, no month 13).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let shape_ok = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!(
            "`{}` is not a date; write it as YYYY-MM-DD",
            quote(s)
        ));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("`{}` is not a real date (YYYY-MM-DD)", quote(s)))
}

/// A date typed into the interface: `YYYY-MM-DD`, `today`, or `+N` followed by `d`
/// (days), `w` (weeks), `m` (months) or `y` (years) from `today`. A month on from
/// 31 January is the last day of February.
pub fn resolve(s: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let t = s.trim().to_lowercase();
    if t == "today" {
        return Ok(today);
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_date(s);
    }
    let Some(span) = t.strip_prefix('+') else {
        return parse_date(s).map_err(|_| {
            format!(
                "`{}` is not a date; write YYYY-MM-DD, today, or +2w, +3m from today",
                quote(s)
            )
        });
    };
    let bad = || {
        format!(
            "`{}` is not a span from today; write a number and d, w, m or y, as in +2w",
            quote(s)
        )
    };
    let unit = span.chars().last().ok_or_else(bad)?;
    let n: u32 = span[..span.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| bad())?;
    let out = match unit {
        'd' => today.checked_add_days(Days::new(n.into())),
        'w' => today.checked_add_days(Days::new(u64::from(n) * 7)),
        'm' => today.checked_add_months(Months::new(n)),
        'y' => n
            .checked_mul(12)
            .and_then(|m| today.checked_add_months(Months::new(m))),
        _ => return Err(bad()),
    };
    out.ok_or_else(|| format!("`{}` is too far from today", quote(s)))
}

/// What a typed date will be saved as, to show beside the field: the resolved date when
/// it differs from what was typed, otherwise nothing.
pub fn shown_as(s: &str, today: NaiveDate) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    match resolve(t, today) {
        Ok(d) if d.to_string() != t => Some(format!("= {}", d.format("%a %-d %b %Y"))),
        Ok(_) => None,
        Err(_) => Some("not a date yet".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn spans_count_from_today() {
        let today = d("2026-11-23");
        assert_eq!(resolve("today", today), Ok(today));
        assert_eq!(resolve(" Today ", today), Ok(today));
        assert_eq!(resolve("+2w", today), Ok(d("2026-12-07")));
        assert_eq!(resolve("+3m", today), Ok(d("2027-02-23")));
        assert_eq!(resolve("+10d", today), Ok(d("2026-12-03")));
        assert_eq!(resolve("+1y", today), Ok(d("2027-11-23")));
        assert_eq!(resolve("2027-01-05", today), Ok(d("2027-01-05")));
        // A month on from the 31st is the month's last day.
        assert_eq!(resolve("+1m", d("2027-01-31")), Ok(d("2027-02-28")));
    }

    #[test]
    fn nonsense_is_refused_with_the_forms_accepted() {
        let today = d("2026-11-23");
        for bad in [
            "+",
            "+w",
            "+2x",
            "+-2w",
            "tomorrow",
            "2027-02-30",
            "2027",
            "+99999999999y",
            "+é",
        ] {
            let e = resolve(bad, today).unwrap_err();
            assert!(e.contains("YYYY-MM-DD") || e.contains("+2w"), "{bad}: {e}");
        }
        assert!(resolve("+4294967295y", today).is_err());
    }

    #[test]
    fn the_resolved_date_is_shown_when_it_differs() {
        let today = d("2026-11-23");
        assert_eq!(shown_as("+3m", today).as_deref(), Some("= Tue 23 Feb 2027"));
        assert_eq!(shown_as("2027-02-23", today), None);
        assert_eq!(shown_as("", today), None);
        assert_eq!(shown_as("+3", today).as_deref(), Some("not a date yet"));
    }
}
