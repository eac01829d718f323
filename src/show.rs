//! Everything recorded about a person, in words a practitioner reads: for `person show`
//! and for the interface's reading view.

use crate::domain::{Conversation, Person, StageBody};
use crate::forms::{Forms, Vocab};
use crate::text::{field, safe};

fn labels(forms: &Forms, v: Vocab, ids: &[String]) -> String {
    ids.iter()
        .map(|i| forms.vocab.label(v, i).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn outcome_label(forms: &Forms, c: &Conversation, id: &str) -> String {
    forms
        .framework(&c.form)
        .and_then(|f| f.outcome(id))
        .map_or_else(|| id.to_string(), |o| o.label.clone())
}

pub fn person_text(
    p: &Person,
    service: &str,
    (cares_for, cared_for_by): (Option<&str>, &[String]),
    convs: &[Conversation],
    forms: &Forms,
) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", safe(&p.name)));
    out.push_str(&format!("  id         {}\n", p.id));
    out.push_str(&format!("  kind       {}\n", p.kind));
    out.push_str(&format!("  service    {}\n", safe(service)));
    if let Some(d) = p.dob {
        out.push_str(&format!("  born       {d}\n"));
    }
    if let Some(cf) = cares_for {
        out.push_str(&format!("  cares for  {}\n", safe(cf)));
    }
    for c in cared_for_by {
        out.push_str(&format!("  cared for by {}\n", safe(c)));
    }
    if convs.is_empty() {
        out.push_str("\nNo conversations recorded yet.\n");
    }
    for c in convs {
        out.push('\n');
        out.push_str(&conversation_text(c, forms));
    }
    out
}

/// One conversation, in words a practitioner reads (also the interface's read-only view).
pub fn conversation_text(c: &Conversation, forms: &Forms) -> String {
    let mut out = String::new();
    let stage = match c.stage() {
        crate::domain::Stage::Assessment => "Assessment",
        crate::domain::Stage::Planning => "Support plan",
        crate::domain::Stage::Review => "Review",
    };
    out.push_str(&format!(
        "{stage} {}  with {}  (conversation {}, form {} v{})\n",
        c.date,
        safe(&c.practitioner),
        c.id,
        c.form,
        c.form_version
    ));
    if !c.participants.is_empty() {
        out.push_str(&format!(
            "  Taking part: {}\n",
            labels(forms, Vocab::Participants, &c.participants)
        ));
    }
    if let Some(k) = c.consent {
        out.push_str(match (k.record, k.share) {
            (true, true) => "  Consent: to record and to share\n",
            (true, false) => "  Consent: to record, not to share\n",
            (false, _) => "  Consent: not given\n",
        });
    }
    if let Some(w) = &c.withdrawn {
        out.push_str(&format!(
            "  WITHDRAWN as recorded in error, {} by {}\n",
            safe(&w.at),
            safe(&w.by)
        ));
        field(&mut out, 4, "Reason", &w.reason);
    }
    match &c.body {
        StageBody::Assessment { outcomes } => {
            for o in outcomes {
                let pri = if o.priority { "  [priority]" } else { "" };
                out.push_str(&format!("  {}{pri}\n", outcome_label(forms, c, &o.outcome)));
                field(&mut out, 4, "In their words", &o.own_words);
                field(&mut out, 4, "Why it matters", &o.why);
                field(&mut out, 4, "Strengths and resources", &o.strengths);
                if !o.resources.is_empty() {
                    field(
                        &mut out,
                        4,
                        "Resources from",
                        &labels(forms, Vocab::Resources, &o.resources),
                    );
                }
            }
        }
        StageBody::Planning {
            review_by,
            outcomes,
        } => {
            if let Some(r) = review_by {
                out.push_str(&format!("  Review by: {r}\n"));
            }
            for o in outcomes {
                out.push_str(&format!("  {}\n", outcome_label(forms, c, &o.outcome)));
                field(&mut out, 4, "Outcome", &o.statement);
                for a in &o.actions {
                    let by = a.by.map(|d| format!(" (by {d})")).unwrap_or_default();
                    let who = forms.vocab.label(Vocab::ActionOwners, &a.who).to_string();
                    field(&mut out, 4, &format!("Action, {who}{by}"), &a.what);
                }
            }
        }
        StageBody::Review { outcomes } => {
            for o in outcomes {
                out.push_str(&format!(
                    "  {}: {}\n",
                    outcome_label(forms, c, &o.outcome),
                    forms.vocab.label(Vocab::ReviewStatus, &o.status)
                ));
                field(&mut out, 4, "What helped", &o.helped);
                if !o.contributors.is_empty() {
                    field(
                        &mut out,
                        4,
                        "Who contributed",
                        &labels(forms, Vocab::Contributors, &o.contributors),
                    );
                }
                field(&mut out, 4, "What got in the way", &o.hindered);
                if !o.barriers.is_empty() {
                    field(
                        &mut out,
                        4,
                        "Barriers",
                        &labels(forms, Vocab::Barriers, &o.barriers),
                    );
                }
                field(&mut out, 4, "In their words", &o.own_words);
                if let Some(n) = &o.next {
                    field(&mut out, 4, "Next", forms.vocab.label(Vocab::NextSteps, n));
                }
            }
        }
    }
    out
}
