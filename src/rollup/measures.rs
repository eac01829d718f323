//! Local measures in the spirit of the Community Care Outcomes Framework (seed 001):
//! people feeling safe, carers supported to continue caring and people who had a say.
//! (Plans reviewed within the agreed timescale is the report's own "plans reviewed by
//! their agreed date", so it is not repeated here under another name.) Each carries a
//! sentence saying how it was computed, for the report to print beside it.

use super::engine::{CARING_ROLE_CATEGORY, Layout};
use super::{Counts, Measure};
use crate::domain::PersonKind;

/// Adults' outcome for feeling safe.
const FEELING_SAFE: &str = "feeling_safe";
/// Outcomes recording whether the person had a say: adults', then carers'.
const HAD_A_SAY: [(&str, PersonKind); 2] = [
    ("having_a_say", PersonKind::Adult),
    ("say_in_services", PersonKind::Carer),
];

/// The rows (indices into `layout.rows`) with one of these outcome ids for these people.
fn rows_for(layout: &Layout<'_>, wanted: &[(&str, PersonKind)]) -> Vec<usize> {
    layout
        .rows
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            wanted
                .iter()
                .any(|(id, kind)| d.outcome.id == *id && d.framework.person_kind == *kind)
        })
        .map(|(i, _)| i)
        .collect()
}

fn quoted_labels(layout: &Layout<'_>, rows: &[usize]) -> Vec<String> {
    rows.iter()
        .filter_map(|&r| layout.rows.get(r))
        .map(|d| format!("\"{}\" ({}s)", d.outcome.label, d.framework.person_kind))
        .collect()
}

/// A measure of "met" among the latest reviews in the period of some outcomes.
fn met_share(
    layout: &Layout<'_>,
    counts: &[Counts],
    id: &str,
    label: &str,
    wanted: &[(&str, PersonKind)],
) -> Measure {
    let rows = rows_for(layout, wanted);
    let parts: Vec<Counts> = rows
        .iter()
        .filter_map(|&r| counts.get(r).copied())
        .collect();
    let mut total = Counts::default();
    for p in &parts {
        total += p;
    }
    let how = if rows.is_empty() {
        let ids: Vec<&str> = wanted.iter().map(|(id, _)| *id).collect();
        format!(
            "The forms have no outcome {}, so this measure cannot be counted.",
            ids.join(" or ")
        )
    } else {
        format!(
            "Of people whose latest review in the period rated {} met, partly met or not met, \
             those for whom it was met (no longer relevant is left out).",
            quoted_labels(layout, &rows).join(" or ")
        )
    };
    Measure {
        id: id.into(),
        label: label.into(),
        numerator: total.met,
        denominator: total.rated(),
        how,
        parts,
        rows,
    }
}

/// The local measures for one unit, from its framework-outcome counts (one per layout
/// row) and its carers (all caring-role outcomes met, with any rated).
pub(super) fn build(layout: &Layout<'_>, counts: &[Counts], carers: (u64, u64)) -> Vec<Measure> {
    let caring_label = layout
        .rows
        .iter()
        .find(|d| d.caring_role)
        .map_or(CARING_ROLE_CATEGORY, |d| d.category_label);
    let carers_how = if layout.rows.iter().any(|d| d.caring_role) {
        format!(
            "Of carers whose latest review in the period rated at least one outcome in the \
             carer framework's \"{caring_label}\" category met, partly met or not met, those \
             for whom every such outcome was met (no longer relevant is left out)."
        )
    } else {
        format!(
            "The carer framework has no `{CARING_ROLE_CATEGORY}` category, so this measure \
             cannot be counted."
        )
    };
    vec![
        met_share(
            layout,
            counts,
            "feeling_safe",
            "People whose outcome of feeling safe was met",
            &[(FEELING_SAFE, PersonKind::Adult)],
        ),
        Measure {
            id: "carers_supported".into(),
            label: "Carers supported to continue caring".into(),
            numerator: carers.0,
            denominator: carers.1,
            how: carers_how,
            parts: Vec::new(),
            rows: Vec::new(),
        },
        met_share(
            layout,
            counts,
            "had_a_say",
            "People who said they had a say",
            &HAD_A_SAY,
        ),
    ]
}
