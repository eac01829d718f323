//! The form to add a person: name, kind, service, date of birth and, for a carer, the
//! person cared for. It checks the person by the rule `person add` uses.

use super::{Component, Ctx};
use crate::domain::{Id, Person, PersonKind, Service, validate_person};
use crate::tui::app::Action;
use crate::tui::caseload::Row;
use crate::tui::effect::Effect;
use crate::tui::field::Input;
use crate::tui::keymap::Context;
use crate::tui::picker::{self, Change, Picker};
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
    /// Who a carer cares for: typed and searched (focused after the fields).
    pub picker: Picker,
    /// Everyone on the caseload and their kind, to check who a carer cares for.
    pub known: Vec<(Id, PersonKind)>,
}

impl AddPerson {
    /// The form, offering the services; a carer's person cared for is searched by name.
    pub fn new(services: &[Service], rows: &[Row]) -> AddPerson {
        let service_opts: Vec<(String, String)> = services
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect();
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
            ],
            focus: 0,
            service_ids: services.iter().map(|s| s.id).collect(),
            picker: Picker::new(),
            known: rows.iter().map(|r| (r.id, r.kind)).collect(),
        }
    }

    /// Whether the kind chosen is carer, so the person cared for is asked.
    pub fn carer(&self) -> bool {
        self.fields.get(1).and_then(|f| f.1.chosen()).as_deref() == Some("carer")
    }

    /// Whether the focus is on the person-cared-for picker.
    pub fn picking(&self) -> bool {
        self.carer() && self.focus == self.fields.len()
    }

    /// How many places the focus moves through.
    fn stops(&self) -> usize {
        self.fields.len() + usize::from(self.carer())
    }

    /// Keys for the person-cared-for picker: typing asks the runner to search the
    /// store by name, up and down choose, Enter picks and moves on.
    fn pick_cared_for(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect> {
        let p = &mut self.picker;
        let change = match a {
            // Once someone is chosen the field is the form's last place: Enter adds, as
            // on the form's other fields (the keys and hints are the form's again).
            Action::Type(i) if i.key == ratatui_textarea::Key::Enter && !p.open() => {
                return self.save(ctx);
            }
            Action::Type(i) => p.input(&i),
            Action::Paste(s) => p.paste(&s),
            Action::Up => {
                p.move_by(-1);
                Change::Nothing
            }
            Action::Down => {
                p.move_by(1);
                Change::Nothing
            }
            // With nothing typed, Enter on the last place adds the person.
            Action::Enter if p.results.is_empty() && p.query.trim().is_empty() => {
                return self.save(ctx);
            }
            Action::Enter => p.pick(),
            Action::NextField => {
                self.focus = 0;
                Change::Nothing
            }
            Action::PrevField => {
                self.focus -= 1;
                Change::Nothing
            }
            Action::Save => return self.save(ctx),
            Action::Back => return vec![Effect::Leave],
            _ => Change::Nothing,
        };
        if change == Change::Query {
            return vec![Effect::SearchCaredFor(self.picker.query.clone())];
        }
        Vec::new()
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
        let cares_for = self.picker.chosen.as_ref().map(|c| c.id);
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
        // The picker offers only adults, found by the store's search.
        let picked = cares_for.filter(|_| kind == PersonKind::Carer);
        let problems = validate_person(&p, ctx.today, |id| {
            if picked == Some(*id) {
                return Some(PersonKind::Adult);
            }
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
        if self.picking() {
            return self.pick_cared_for(a, ctx);
        }
        let n = self.stops();
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
        if self.picking() && self.picker.open() {
            vec![Context::Picker, Context::AddPerson]
        } else if self.typing() {
            vec![Context::AddPerson]
        } else {
            vec![Context::AddPersonChoice, Context::AddPerson]
        }
    }

    fn typing(&self) -> bool {
        self.picking() || self.fields.get(self.focus).is_some_and(|f| f.1.is_text())
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
        if a.carer() {
            let r = Rect {
                x: inner.x,
                y: y.min(inner.bottom()),
                width: w,
                height: inner.bottom().saturating_sub(y).min(2),
            };
            picker::draw_field(t, &a.picker, a.picking(), f, r);
        }
        if a.picking() && a.picker.open() {
            picker::draw(t, &a.picker, "Who do they care for?", f, area);
        }
    }
}
