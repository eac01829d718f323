//! The person's own copy of their current support plan: their outcomes in their own
//! words, the actions (who, what, by when), the review date and who to contact, with no
//! ids and no codes. Pure: [`plan_copy`] picks the plan from the person's records, and
//! [`markdown`], [`html`] and [`text`] render it (the HTML prints on A4).

use crate::domain::text::printable;
use crate::domain::{Conversation, Person, Service, StageBody};
use crate::forms::{Forms, Vocab};
use chrono::NaiveDate;
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// The audit action recorded each time a copy is made (as subject access is).
pub const AUDIT_ACTION: &str = "plan-copy";

/// The formats a copy can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Text,
}

/// The copy in one format.
pub fn render(c: &PlanCopy, format: Format) -> String {
    match format {
        Format::Markdown => markdown(c),
        Format::Html => html(c),
        Format::Text => text(c),
    }
}

/// What the copy says, in the person's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanCopy {
    pub name: String,
    /// When the plan was agreed.
    pub agreed: NaiveDate,
    pub review_by: Option<NaiveDate>,
    pub outcomes: Vec<CopyOutcome>,
    /// Who to contact: the practitioner who agreed the plan, and their service.
    pub contact: String,
    pub service: Option<String>,
    pub produced: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyOutcome {
    /// The outcome's title from the form (never its id).
    pub title: String,
    /// What the person said matters, at the assessment before the plan.
    pub what_matters: String,
    /// The outcome as agreed, in the person's words.
    pub statement: String,
    pub actions: Vec<CopyAction>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyAction {
    pub who: String,
    pub what: String,
    pub by: Option<NaiveDate>,
}

/// The copy of the person's current plan: their latest support plan that counts (by
/// date, then by when recorded), with what they said at the latest assessment before
/// it. `None` when they have no plan.
pub fn plan_copy(
    person: &Person,
    service: Option<&Service>,
    convs: &[Conversation],
    forms: &Forms,
    produced: NaiveDate,
) -> Option<PlanCopy> {
    let counted = || convs.iter().filter(|c| c.counts());
    let plan = counted()
        .filter(|c| matches!(c.body, StageBody::Planning { .. }))
        .max_by_key(|c| (c.date, c.id))?;
    let StageBody::Planning {
        review_by,
        outcomes,
    } = &plan.body
    else {
        return None;
    };
    let assessment = counted()
        .filter(|c| matches!(c.body, StageBody::Assessment { .. }) && c.date <= plan.date)
        .max_by_key(|c| (c.date, c.id));
    let said = |outcome: &str| match assessment.map(|a| &a.body) {
        Some(StageBody::Assessment { outcomes }) => outcomes
            .iter()
            .find(|o| o.outcome == outcome)
            .map(|o| o.own_words.clone())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let title = |outcome: &str| {
        forms
            .framework(&plan.form)
            .and_then(|f| f.outcome(outcome))
            .map_or_else(|| "Another outcome".to_string(), |o| o.label.clone())
    };
    let who = |id: &str| {
        if id == "person" {
            "You".to_string()
        } else {
            forms.vocab.label(Vocab::ActionOwners, id).to_string()
        }
    };
    Some(PlanCopy {
        name: person.name.trim().to_string(),
        agreed: plan.date,
        review_by: *review_by,
        outcomes: outcomes
            .iter()
            .map(|o| CopyOutcome {
                title: title(&o.outcome),
                what_matters: said(&o.outcome),
                statement: o.statement.clone(),
                actions: o
                    .actions
                    .iter()
                    .map(|a| CopyAction {
                        who: who(&a.who),
                        what: a.what.clone(),
                        by: a.by,
                    })
                    .collect(),
            })
            .collect(),
        contact: plan.practitioner.trim().to_string(),
        service: service.map(|s| format!("{}, {}", s.name.trim(), s.organisation.trim())),
        produced,
    })
}

/// A date as a person reads it: 3 March 2026.
pub fn long_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn review_line(c: &PlanCopy) -> String {
    match c.review_by {
        Some(d) => format!("We will look at this plan again with you by {}.", long_date(d)),
        None => "No date has been set to look at this plan again; ask your contact to agree one with you.".to_string(),
    }
}

fn contact_line(c: &PlanCopy) -> String {
    match &c.service {
        Some(s) => format!("{} ({s})", c.contact),
        None => c.contact.clone(),
    }
}

fn action_line(a: &CopyAction) -> (String, String) {
    let when = a.by.map_or_else(
        || "no date set".to_string(),
        |d| format!("by {}", long_date(d)),
    );
    (format!("{}, {when}", a.who), a.what.clone())
}

fn title(c: &PlanCopy) -> String {
    format!("Support plan for {}", c.name)
}

fn agreed_line(c: &PlanCopy) -> String {
    format!(
        "Agreed on {}. This copy was made on {}.",
        long_date(c.agreed),
        long_date(c.produced)
    )
}

/// Text inside Markdown: printable, and with the characters that would change its
/// meaning escaped, so the person's words appear as they said them.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in printable(s).chars() {
        if "\\`*_[]<>#|~".contains(ch) {
            out.push('\\');
        }
        if ch == '\n' {
            out.push_str("  \n");
        } else {
            out.push(ch);
        }
    }
    out
}

pub fn markdown(c: &PlanCopy) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&title(c)));
    let _ = writeln!(o, "{}\n", md(&agreed_line(c)));
    for x in &c.outcomes {
        let _ = writeln!(o, "## {}\n", md(&x.title));
        if !x.what_matters.trim().is_empty() {
            let _ = writeln!(o, "**What matters to you:** {}\n", md(&x.what_matters));
        }
        let _ = writeln!(o, "**Your outcome, in your words:** {}\n", md(&x.statement));
        if x.actions.is_empty() {
            let _ = writeln!(o, "No actions agreed for this outcome.\n");
        } else {
            let _ = writeln!(o, "What will happen:\n");
            for a in &x.actions {
                let (who, what) = action_line(a);
                let _ = writeln!(o, "- **{}:** {}", md(&who), md(&what));
            }
            o.push('\n');
        }
    }
    let _ = writeln!(
        o,
        "## Looking at your plan again\n\n{}\n",
        md(&review_line(c))
    );
    let _ = writeln!(o, "## Who to contact\n\n{}", md(&contact_line(c)));
    o
}

fn esc(s: &str) -> String {
    crate::report_print::esc(&printable(s)).replace('\n', "<br>")
}

const STYLE: &str = "@page { size: A4; margin: 20mm 18mm; }\n\
html { font-family: sans-serif, 'Noto Color Emoji', 'Segoe UI Emoji', 'Apple Color Emoji'; font-size: 12pt; line-height: 1.4; color: #000; }\n\
body { margin: 0; max-width: 174mm; overflow-wrap: anywhere; }\n\
h1 { font-size: 18pt; margin: 0 0 0.3em; } h2 { font-size: 14pt; margin: 1.2em 0 0.3em; break-after: avoid; }\n\
section { break-inside: avoid; } p { margin: 0.3em 0; } ul { padding-left: 1.2em; }\n\
.label { font-weight: bold; } .meta { color: #333; }\n";

pub fn html(c: &PlanCopy) -> String {
    let t = esc(&title(c));
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"meta\">{}</p>\n",
        esc(&agreed_line(c))
    );
    for x in &c.outcomes {
        let _ = writeln!(o, "<section>\n<h2>{}</h2>", esc(&x.title));
        if !x.what_matters.trim().is_empty() {
            let _ = writeln!(
                o,
                "<p><span class=\"label\">What matters to you:</span> {}</p>",
                esc(&x.what_matters)
            );
        }
        let _ = writeln!(
            o,
            "<p><span class=\"label\">Your outcome, in your words:</span> {}</p>",
            esc(&x.statement)
        );
        if x.actions.is_empty() {
            let _ = writeln!(o, "<p>No actions agreed for this outcome.</p>");
        } else {
            let _ = writeln!(o, "<p>What will happen:</p>\n<ul>");
            for a in &x.actions {
                let (who, what) = action_line(a);
                let _ = writeln!(
                    o,
                    "<li><span class=\"label\">{}:</span> {}</li>",
                    esc(&who),
                    esc(&what)
                );
            }
            let _ = writeln!(o, "</ul>");
        }
        let _ = writeln!(o, "</section>");
    }
    let _ = writeln!(
        o,
        "<section>\n<h2>Looking at your plan again</h2>\n<p>{}</p>\n</section>\n<section>\n<h2>Who to contact</h2>\n<p>{}</p>\n</section>\n</body>\n</html>",
        esc(&review_line(c)),
        esc(&contact_line(c))
    );
    o
}

/// Plain text, wrapped to 76 columns by display width (wide characters count two).
pub fn text(c: &PlanCopy) -> String {
    const W: usize = 76;
    let mut o = String::new();
    let t = printable(&title(c));
    let _ = writeln!(o, "{t}\n{}\n", "=".repeat(t.width().min(W)));
    wrap_into(&mut o, &agreed_line(c), "", W);
    for x in &c.outcomes {
        let h = printable(&x.title);
        let _ = write!(o, "\n{h}\n{}\n", "-".repeat(h.width().min(W)));
        if !x.what_matters.trim().is_empty() {
            wrap_into(
                &mut o,
                &format!("What matters to you: {}", x.what_matters),
                "  ",
                W,
            );
        }
        wrap_into(
            &mut o,
            &format!("Your outcome, in your words: {}", x.statement),
            "  ",
            W,
        );
        if x.actions.is_empty() {
            wrap_into(&mut o, "No actions agreed for this outcome.", "", W);
        } else {
            wrap_into(&mut o, "What will happen:", "", W);
            for a in &x.actions {
                let (who, what) = action_line(a);
                wrap_into(&mut o, &format!("* {who}: {what}"), "    ", W);
            }
        }
    }
    let _ = writeln!(
        o,
        "\nLooking at your plan again\n--------------------------"
    );
    wrap_into(&mut o, &review_line(c), "", W);
    let _ = writeln!(o, "\nWho to contact\n--------------");
    wrap_into(&mut o, &contact_line(c), "", W);
    o
}

/// Appends `s` wrapped at word boundaries to `width` columns, continuation lines
/// indented by `indent`; a word wider than a line (or text without spaces, as Chinese
/// is written) is broken between characters.
fn wrap_into(out: &mut String, s: &str, indent: &str, width: usize) {
    for para in printable(s).split('\n') {
        let mut line = String::new();
        let flush = |out: &mut String, line: &mut String| {
            out.push_str(line.trim_end());
            out.push('\n');
            line.clear();
            line.push_str(indent);
        };
        for word in para.split_whitespace() {
            let room = width.saturating_sub(line.width());
            let sep = usize::from(!line.trim().is_empty());
            if word.width() + sep <= room {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                continue;
            }
            if !line.trim().is_empty() {
                flush(out, &mut line);
            }
            for ch in word.chars() {
                let w = ch.to_string().width();
                if line.width() + w > width && !line.trim().is_empty() {
                    flush(out, &mut line);
                }
                line.push(ch);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copy() -> PlanCopy {
        PlanCopy {
            name: "Màiri <b>NicLeòid</b>".into(),
            agreed: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap_or_default(),
            review_by: NaiveDate::from_ymd_opt(2026, 6, 3),
            outcomes: vec![CopyOutcome {
                title: "Seeing people".into(),
                what_matters: "Tha mi ag iarraidh a dhol don chèilidh".into(),
                statement: "我想每周见我的孙子 🙂 *every* week".into(),
                actions: vec![CopyAction {
                    who: "You".into(),
                    what: "Phone the lunch club".into(),
                    by: NaiveDate::from_ymd_opt(2026, 4, 1),
                }],
            }],
            contact: "Ali Khan".into(),
            service: Some("Reablement, Glenmore Council".into()),
            produced: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default(),
        }
    }

    #[test]
    fn every_format_carries_the_words_actions_review_date_and_contact() {
        let c = copy();
        for out in [markdown(&c), html(&c), text(&c)] {
            assert!(
                out.contains("Tha mi ag iarraidh a dhol don chèilidh"),
                "{out}"
            );
            assert!(out.contains("我想每周见我的孙子"), "{out}");
            assert!(out.contains("Phone the lunch club"), "{out}");
            assert!(out.contains("by 1 April 2026"), "{out}");
            assert!(out.contains("3 June 2026"), "{out}");
            assert!(out.contains("Ali Khan"), "{out}");
            assert!(out.contains("Reablement"), "{out}");
        }
    }

    #[test]
    fn html_escapes_words_and_markdown_keeps_them_literal() {
        let c = copy();
        let h = html(&c);
        assert!(h.contains("Màiri &lt;b&gt;NicLeòid&lt;/b&gt;"));
        assert!(!h.contains("<b>NicLeòid"));
        assert!(h.contains("size: A4"));
        let m = markdown(&c);
        assert!(m.contains("\\*every\\*"));
        assert!(m.contains("\\<b\\>"));
    }

    #[test]
    fn text_wraps_within_76_columns_counting_wide_characters() {
        let mut c = copy();
        c.outcomes[0].statement = "我想每周见我的孙子".repeat(12);
        c.outcomes[0].what_matters = "word ".repeat(60);
        let t = text(&c);
        for line in t.lines() {
            assert!(line.width() <= 76, "{line:?} is {} wide", line.width());
        }
        let joined: String = t.lines().map(str::trim).collect();
        assert!(joined.contains(&"我想每周见我的孙子".repeat(12)));
    }

    #[test]
    fn a_plan_without_a_review_date_says_so() {
        let mut c = copy();
        c.review_by = None;
        assert!(text(&c).contains("No date has been set"));
    }
}
