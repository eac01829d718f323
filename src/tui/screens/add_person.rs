//! The form to add a person: name, kind, service, date of birth and, for a carer, the
//! person cared for. It checks the person by the rule `person add` uses.

use super::{Component, Ctx};
use crate::domain::{Id, Person, PersonKind, Service, validate_person};
use crate::tui::app::Action;
use crate::tui::caseload::Row;
use crate::tui::effect::Effect;
use crate::tui::field::Input;
use crate::tui::keymap::Context;
use crate::tui::widgets::{block, draw_input, input_height};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

#[derive(Clone, Debug)]
pub struct AddPerson {
    pub fields: Vec<(String, Input)>,
    pub focus: usize,
    pub service_ids: Vec<Id>,
    pub adult_ids: Vec<Option<Id>>,
    /// Everyone on the caseload and their kind, to check who a carer cares for.
    pub known: Vec<(Id, PersonKind)>,
}

impl AddPerson {
    /// The form, offering the services and the adults on the caseload.
    pub fn new(services: &[Service], rows: &[Row]) -> AddPerson {
        let service_opts: Vec<(String, String)> = services
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect();
        let mut adults: Vec<&Row> = rows
            .iter()
            .filter(|r| r.kind == PersonKind::Adult)
            .collect();
        adults.sort_by(|a, b| a.name.cmp(&b.name));
        let mut cares = vec![("".to_string(), "nobody named".to_string())];
        cares.extend(adults.iter().map(|r| (r.id.to_string(), r.name.clone())));
        let first = service_opts.first().map(|s| s.0.clone());
        AddPerson {
            fields: vec![
                ("Name".into(), Input::line("")),
                (
                    "Kind".into(),
                    Input::choice(
                        vec![
                            ("adult".into(), "adult".into()),
                            ("carer".into(), "carer".into()),
                        ],
                        Some("adult"),
                    ),
                ),
                (
                    "Service".into(),
                    Input::choice(service_opts, first.as_deref()),
                ),
                ("Date of birth (YYYY-MM-DD)".into(), Input::line("")),
                ("Cares for (carers)".into(), Input::choice(cares, Some(""))),
            ],
            focus: 0,
            service_ids: services.iter().map(|s| s.id).collect(),
            adult_ids: adults.iter().map(|r| Some(r.id)).collect(),
            known: rows.iter().map(|r| (r.id, r.kind)).collect(),
        }
    }

    /// The person the form describes, checked; or what the footer says is wrong.
    fn person(&mut self, ctx: &Ctx) -> Result<Person, String> {
        let get = |i: usize| self.fields.get(i).map(|f| &f.1);
        let name = get(0).map(|i| i.string()).unwrap_or_default();
        let kind = if get(1).and_then(|i| i.chosen()).as_deref() == Some("carer") {
            PersonKind::Carer
        } else {
            PersonKind::Adult
        };
        let service = get(2)
            .and_then(|i| i.chosen())
            .and_then(|s| s.parse::<Id>().ok());
        let dob_text = get(3).map(|i| i.string()).unwrap_or_default();
        let cares_for = get(4)
            .and_then(|i| i.chosen())
            .and_then(|s| s.parse::<Id>().ok());
        let dob = match dob_text.trim() {
            "" => None,
            s => match crate::domain::dates::parse_date(s) {
                Ok(d) => Some(d),
                Err(m) => {
                    self.focus = 3;
                    return Err(format!("Not added: date of birth {m}."));
                }
            },
        };
        let Some(service) = service else {
            return Err("Not added: choose a service.".into());
        };
        let p = Person {
            id: Id::new(),
            name: name.trim().to_string(),
            kind,
            service,
            dob,
            cares_for: if kind == PersonKind::Carer {
                cares_for
            } else {
                None
            },
        };
        let problems = validate_person(&p, ctx.today, |id| {
            self.known.iter().find(|k| k.0 == *id).map(|k| k.1)
        });
        match problems.first() {
            Some(pr) => Err(format!("Not added: {}.", pr.message)),
            None => Ok(p),
        }
    }

    fn save(&mut self, ctx: &Ctx) -> Vec<Effect> {
        vec![match self.person(ctx) {
            Ok(p) => Effect::AddPerson(Box::new(p)),
            Err(msg) => Effect::Status(msg),
        }]
    }
}

impl Component for AddPerson {
    fn update(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect> {
        let n = self.fields.len();
        match a {
            Action::Type(i) => {
                use ratatui_textarea::Key;
                if let Some((_, Input::Line(t))) = self.fields.get_mut(self.focus) {
                    if i.key == Key::Enter {
                        self.focus = (self.focus + 1).min(n - 1);
                    } else {
                        t.input(i);
                    }
                }
            }
            Action::Paste(text) => {
                if let Some((_, Input::Line(t))) = self.fields.get_mut(self.focus) {
                    t.insert_str(crate::tui::field::pasted_line(&text));
                }
            }
            Action::NextField | Action::Down => self.focus = (self.focus + 1) % n,
            Action::PrevField | Action::Up => self.focus = (self.focus + n - 1) % n,
            Action::Left | Action::Right | Action::Toggle => {
                if let Some((_, i)) = self.fields.get_mut(self.focus) {
                    i.step(a != Action::Left);
                }
            }
            Action::Enter => {
                if self.focus + 1 < n {
                    self.focus += 1;
                } else {
                    return self.save(ctx);
                }
            }
            Action::Save => return self.save(ctx),
            Action::Back => return vec![Effect::Leave],
            _ => {}
        }
        Vec::new()
    }

    fn contexts(&self) -> Vec<Context> {
        if self.typing() {
            vec![Context::AddPerson]
        } else {
            vec![Context::AddPersonChoice, Context::AddPerson]
        }
    }

    fn typing(&self) -> bool {
        self.fields.get(self.focus).is_some_and(|f| f.1.is_text())
    }

    fn draw(&self, ctx: &Ctx, f: &mut Frame, area: Rect) {
        let a = self;
        let t = ctx.theme;
        let b = block(t, "Add a person");
        let inner = b.inner(area);
        f.render_widget(b, area);
        let w = inner.width.max(1);
        let mut y = inner.y;
        for (i, (label, input)) in a.fields.iter().enumerate() {
            if y + 1 >= inner.bottom() {
                break;
            }
            let focused = a.focus == i;
            let style = if focused { t.focus() } else { t.heading() };
            f.render_widget(
                Paragraph::new(Span::styled(format!("{label}:"), style)),
                Rect {
                    x: inner.x,
                    y,
                    width: w,
                    height: 1,
                },
            );
            y += 1;
            let h = input_height(input, w, *t)
                .min(3)
                .min(inner.bottom().saturating_sub(y));
            draw_input(
                t,
                input,
                focused,
                f,
                Rect {
                    x: inner.x,
                    y,
                    width: w,
                    height: h,
                },
            );
            y += h + 1;
        }
    }
}
