//! A question on screen that must be answered before anything else: its answers close
//! it, keep it open (a typed reason), and say what else must happen.

use crate::domain::Stage;
use crate::tui::app::{Action, Prompt};
use crate::tui::effect::{AfterSave, Effect};
use crate::tui::theme::Theme;
use crate::tui::widgets::{block, centred};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Text;
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// The question after an answer (`None` once it is closed), and what else to do.
pub fn answer(p: Prompt, a: Action) -> (Option<Prompt>, Vec<Effect>) {
    let key = match a {
        Action::Answer(c) => Some(c),
        Action::Back => Some('\x1b'),
        Action::Enter => Some('\n'),
        Action::Save => Some('s'),
        _ => None,
    };
    let Some(key) = key else {
        return (Some(p), Vec::new());
    };
    // Letter answers are either case; a typed reason keeps its case.
    let lower = key.to_ascii_lowercase();
    let status = |s: &str| Effect::Status(s.to_string());
    match p {
        Prompt::Withdraw { id, mut reason } => match key {
            '\x1b' => (None, vec![status("Not withdrawn.")]),
            '\n' if reason.trim().is_empty() => (
                Some(Prompt::Withdraw { id, reason }),
                vec![status("A reason is required: type why, then Enter.")],
            ),
            '\n' => (
                None,
                vec![Effect::Withdraw {
                    id,
                    reason: reason.trim().to_string(),
                }],
            ),
            '\x08' => {
                reason.pop();
                (Some(Prompt::Withdraw { id, reason }), Vec::new())
            }
            c if !c.is_control() => {
                reason.push(c);
                (Some(Prompt::Withdraw { id, reason }), Vec::new())
            }
            _ => (Some(Prompt::Withdraw { id, reason }), Vec::new()),
        },
        Prompt::LeaveEditor | Prompt::Quit => {
            let then_quit = p == Prompt::Quit;
            match lower {
                's' => (
                    None,
                    vec![Effect::SaveEditor(if then_quit {
                        AfterSave::Quit
                    } else {
                        AfterSave::Leave
                    })],
                ),
                'd' => {
                    let mut fx = vec![Effect::RemoveDraft, Effect::Leave, Effect::RefreshPerson];
                    if then_quit {
                        fx.push(Effect::Quit);
                    }
                    fx.push(status("Not saved: the words were discarded."));
                    (None, fx)
                }
                '\x1b' | 'n' => (None, Vec::new()),
                _ => (Some(p), Vec::new()),
            }
        }
        Prompt::PartialReview {
            conversation,
            after,
            left,
        } => match lower {
            's' | 'y' | '\n' => (None, vec![Effect::SavePartialReview(conversation, after)]),
            '\x1b' | 'n' => (
                None,
                vec![status(
                    "Not saved yet: review the rest, or save again to leave them for later.",
                )],
            ),
            _ => (
                Some(Prompt::PartialReview {
                    conversation,
                    after,
                    left,
                }),
                Vec::new(),
            ),
        },
        Prompt::Recover(d) => match lower {
            '\n' | 'y' | 'c' => (None, vec![Effect::ResumeDraft(d)]),
            'd' => (
                None,
                vec![Effect::RemoveDraft, status("The draft was discarded.")],
            ),
            _ => (Some(Prompt::Recover(d)), Vec::new()),
        },
    }
}

/// The last `n` characters of `s`: the end of a typed answer, where the cursor is.
fn tail(s: &str, n: usize) -> String {
    let skip = s.chars().count().saturating_sub(n);
    s.chars().skip(skip).collect()
}

/// Draws the question over the screen.
pub fn draw(t: &Theme, p: &Prompt, f: &mut Frame, area: Rect) {
    let text = match p {
        Prompt::LeaveEditor => "These words are not saved yet.\n\ns  save them and leave\nd  discard them and leave\nEsc  stay and keep writing".to_string(),
        Prompt::Quit => "These words are not saved yet.\n\ns  save them and quit\nd  discard them and quit\nEsc  stay and keep writing".to_string(),
        Prompt::Withdraw { reason, .. } => format!(
            "Withdraw this conversation as recorded in error? It will count nowhere and this cannot be undone; it and its history are kept.\n\nReason: {}_\n\nEnter  withdraw   Esc  cancel",
            crate::text::safe(&tail(reason, 40))
        ),
        Prompt::PartialReview { left, .. } => format!(
            "This review leaves {} unreviewed.\n\nEnter  save it as it is\nEsc  go back and review the rest",
            crate::text::plural(*left, "planned outcome", "planned outcomes"),
        ),
        Prompt::Recover(d) => match &d.editing {
            Some(e) => format!(
                "Changes to the {} of {} that were not saved were kept as a draft ({}).\n\nEnter  continue it\nd  discard it",
                crate::tui::editor::stage_noun(d.stage),
                e.date,
                d.saved_at
            ),
            None => format!(
                "{} that was not saved was kept as a draft ({}).\n\nEnter  continue it\nd  discard it",
                match d.stage { Stage::Assessment => "An assessment", Stage::Planning => "A plan", Stage::Review => "A review" },
                d.saved_at
            ),
        },
    };
    // The box is as tall as the text once wrapped, so no answer is cut off.
    let height: usize = text
        .lines()
        .map(|l| crate::wrap::wrap(l, 54).len().max(1))
        .sum();
    let text = Text::from(text);
    let r = centred(area, 56, height as u16 + 2);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(block(t, "Question")),
        r,
    );
}
