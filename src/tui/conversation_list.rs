//! The Person screen's list of conversations, one line each in columns that line up
//! whatever the row holds ("1 outcome" or "12 outcomes", a withdrawn one or not): date,
//! stage, how many outcomes, practitioner (cut with `…` when long), and `WITHDRAWN`.

use super::editor::stage_title;
use super::widgets::pad;
use crate::domain::Conversation;
use crate::text::plural;
use crate::wrap::ellipsize;
use unicode_width::UnicodeWidthStr;

const GAP: &str = "  ";
const STAGE_W: usize = 10;
const WITHDRAWN: &str = "WITHDRAWN";

fn outcomes(c: &Conversation) -> String {
    plural(c.outcome_ids().len(), "outcome", "outcomes")
}

/// Each conversation's line in at most `width` columns. The columns are worked out
/// from the whole list, so they stay put as the list scrolls.
pub fn lines(convs: &[Conversation], width: usize) -> Vec<String> {
    let counts: Vec<String> = convs.iter().map(outcomes).collect();
    let outcomes_w = counts.iter().map(|n| n.width()).max().unwrap_or(0);
    let any_withdrawn = convs.iter().any(|c| !c.counts());
    let fixed = 10 + GAP.len() + STAGE_W + GAP.len() + outcomes_w + GAP.len();
    let marker = if any_withdrawn {
        GAP.len() + WITHDRAWN.len()
    } else {
        0
    };
    // As wide as the longest name, so `WITHDRAWN` sits close after the names.
    let longest = convs
        .iter()
        .map(|c| c.practitioner.width())
        .max()
        .unwrap_or(0);
    let who_w = width.saturating_sub(fixed + marker).min(longest);
    convs
        .iter()
        .zip(&counts)
        .map(|(c, n)| {
            let who = ellipsize(&c.practitioner, who_w);
            let mut line = format!(
                "{}{GAP}{}{GAP}{}{GAP}",
                c.date,
                pad(stage_title(c.stage()), STAGE_W),
                pad(n, outcomes_w),
            );
            if c.counts() {
                line.push_str(&who);
            } else {
                line.push_str(&pad(&who, who_w));
                line.push_str(GAP);
                line.push_str(WITHDRAWN);
            }
            ellipsize(&line, width)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Id, PlannedOutcome, ReviewedOutcome, StageBody, Withdrawal};

    fn conv(n: u8, practitioner: &str, outcomes: usize, withdrawn: bool) -> Conversation {
        let names = [
            "seeing_people",
            "feeling_safe",
            "staying_well",
            "listened_to",
        ];
        Conversation {
            id: Id::from_parts(1_700_000_000_000 + u64::from(n), [n; 10]),
            person: Id::from_parts(1_700_000_000_000, [0; 10]),
            date: "2025-05-09".parse().expect("date"),
            practitioner: practitioner.into(),
            participants: vec![],
            form: "adult".into(),
            form_version: 1,
            revision: 0,
            consent: None,
            withdrawn: withdrawn.then(|| Withdrawal {
                reason: "recorded in error".into(),
                by: "J. Byrne".into(),
                at: "2025-05-10T10:00:00Z".into(),
            }),
            body: if n.is_multiple_of(2) {
                StageBody::Planning {
                    review_by: None,
                    outcomes: names[..outcomes]
                        .iter()
                        .map(|o| PlannedOutcome {
                            outcome: o.to_string(),
                            ..Default::default()
                        })
                        .collect(),
                }
            } else {
                StageBody::Review {
                    outcomes: names[..outcomes]
                        .iter()
                        .map(|o| ReviewedOutcome {
                            outcome: o.to_string(),
                            ..Default::default()
                        })
                        .collect(),
                }
            },
        }
    }

    /// The display column where `needle` starts in `line`.
    fn col(line: &str, needle: &str) -> usize {
        line[..line.find(needle).expect("in the line")].width()
    }

    #[test]
    fn columns_line_up_and_long_names_end_in_an_ellipsis() {
        let list = vec![
            conv(1, "J. Byrne", 1, false),
            conv(2, "Dr Catrìona NicIllEathain-Ó Súilleabháin", 4, false),
            conv(3, "王秀英", 3, true),
            conv(4, "A. Practitioner", 1, true),
        ];
        // The list's inner width at 80×24 and at 60×18, less the selection mark.
        for width in [76, 56] {
            let lines = lines(&list, width);
            let who: Vec<usize> = lines
                .iter()
                .zip(&list)
                .map(|(l, c)| col(l, &c.practitioner.chars().take(2).collect::<String>()))
                .collect();
            assert!(who.iter().all(|w| *w == who[0]), "{width}: {lines:#?}");
            for l in &lines {
                assert!(l.width() <= width, "{width}: {l}");
            }
            assert!(lines[1].ends_with('…'), "{width}: {}", lines[1]);
            assert_eq!(col(&lines[2], WITHDRAWN), col(&lines[3], WITHDRAWN));
            assert!(lines[2].contains("3 outcomes") && lines[0].contains("1 outcome "));
        }
    }
}
