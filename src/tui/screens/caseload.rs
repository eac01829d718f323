//! The caseload: everyone in the store with their last conversation and next review,
//! filtered by typing. It is the bottom screen, always open.

use super::{Component, Ctx};
use crate::tui::app::Action;
use crate::tui::caseload::{self, Row};
use crate::tui::effect::Effect;
use crate::tui::keymap::Context;
use crate::tui::widgets::block;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row as TableRow, Table};
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Debug, Default)]
pub struct Caseload {
    pub rows: Vec<Row>,
    pub filter: String,
    pub filtering: bool,
    pub selected: usize,
    /// The lines not read yet (the rest is read on scroll or filter).
    pub more: Option<crate::tui::caseload_load::MoreRows>,
}

impl Caseload {
    pub fn visible_rows(&self) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| caseload::matches(r, &self.filter))
            .collect()
    }

    /// Puts a person's freshly read row in place (or in order, if new).
    pub fn put_row(&mut self, row: Row) {
        let sorts_in = self.sorts_in_loaded(&row.name, &row.id);
        match self.rows.iter_mut().find(|r| r.id == row.id) {
            Some(r) => *r = row,
            None if !sorts_in => {}
            None => {
                self.rows.push(row);
                self.rows.sort_by_cached_key(|r| r.name.to_lowercase());
            }
        }
    }

    /// Clears the filter and selects a person (one just added).
    pub fn select(&mut self, id: &crate::domain::Id) {
        self.filter.clear();
        self.selected = self.rows.iter().position(|r| r.id == *id).unwrap_or(0);
    }
}

impl Component for Caseload {
    fn update(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect> {
        let n = self.visible_rows().len();
        let page = ctx.size.1.saturating_sub(6).max(1) as usize;
        if self.filtering {
            match a {
                Action::Type(i) => {
                    use ratatui_textarea::Key;
                    match i.key {
                        Key::Char(c) if !i.ctrl && !i.alt => self.filter.push(c),
                        Key::Backspace => {
                            self.filter.pop();
                        }
                        _ => {}
                    }
                    self.selected = 0;
                }
                Action::Paste(t) => {
                    self.filter.extend(t.chars().filter(|c| !c.is_control()));
                    self.selected = 0;
                }
                Action::Enter => self.filtering = false,
                Action::Back => {
                    self.filtering = false;
                    self.filter.clear();
                    self.selected = 0;
                }
                Action::Up | Action::Down => {
                    self.filtering = false;
                    return self.update(a, ctx);
                }
                _ => {}
            }
            return Vec::new();
        }
        match a {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(n.saturating_sub(1)),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = n.saturating_sub(1),
            Action::Filter => self.filtering = true,
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                self.selected = 0;
            }
            Action::Enter => {
                if let Some(r) = self.visible_rows().get(self.selected) {
                    return vec![Effect::OpenPerson(r.id)];
                }
            }
            Action::AddPerson => return vec![Effect::OpenAddPerson],
            Action::Dashboard => return vec![Effect::LoadDashboard],
            Action::Quit | Action::Back => return vec![Effect::Quit],
            _ => {}
        }
        Vec::new()
    }

    fn contexts(&self) -> Vec<Context> {
        if self.filtering {
            vec![Context::Filtering]
        } else {
            vec![Context::Caseload]
        }
    }

    fn typing(&self) -> bool {
        self.filtering
    }

    fn draw(&self, ctx: &Ctx, f: &mut Frame, area: Rect) {
        let t = ctx.theme;
        let rows = self.visible_rows();
        let [filter_area, table_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        let filter = if self.filtering || !self.filter.is_empty() {
            Line::from(vec![
                Span::styled("Filter: ", t.heading()),
                Span::raw(self.filter.clone()),
                Span::raw(format!(
                    "   {} of {}",
                    rows.len(),
                    crate::text::plural(self.people_total(), "person", "people")
                )),
            ])
        } else {
            Line::from(format!(
                "{}. Type / to filter.",
                crate::text::plural(self.people_total(), "person", "people")
            ))
        };
        f.render_widget(Paragraph::new(filter), filter_area);
        if self.filtering {
            let x = filter_area.x + 8 + self.filter.width() as u16;
            f.set_cursor_position(Position::new(
                x.min(filter_area.right().saturating_sub(1)),
                filter_area.y,
            ));
        }
        let wide = area.width >= 76;
        let height = table_area.height.saturating_sub(3) as usize;
        let selected = self.selected.min(rows.len().saturating_sub(1));
        let offset = selected.saturating_sub(height.saturating_sub(1));
        // The name column takes what the fixed columns leave; a name or service too long
        // for its column ends in `…` rather than being cut silently.
        const SERVICE_W: u16 = 18;
        let fixed = [5, 10, 18].iter().sum::<u16>() + if wide { SERVICE_W + 1 } else { 0 };
        let name_w = usize::from(table_area.width.saturating_sub(2 + 3 + fixed)).saturating_sub(2);
        let body: Vec<TableRow> = rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(height.max(1))
            .map(|(i, r)| {
                let due = match r.review_due {
                    Some(d) if r.overdue(ctx.today) => {
                        Span::styled(format!("OVERDUE {d}"), t.overdue())
                    }
                    Some(d) => Span::raw(d.to_string()),
                    None => Span::raw(""),
                };
                let last = r
                    .last
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "none yet".into());
                let mut cells = vec![
                    Line::from(format!(
                        "{} {}",
                        if i == selected { t.arrow() } else { " " },
                        crate::wrap::ellipsize(&r.name, name_w)
                    )),
                    Line::from(r.kind.as_str()),
                ];
                if wide {
                    cells.push(Line::from(crate::wrap::ellipsize(
                        &r.service,
                        usize::from(SERVICE_W),
                    )));
                }
                cells.push(Line::from(last));
                cells.push(Line::from(due));
                let row = TableRow::new(cells);
                if i == selected {
                    row.style(t.focus())
                } else {
                    row
                }
            })
            .collect();
        let mut widths = vec![Constraint::Fill(1), Constraint::Length(5)];
        let mut header = vec!["  Name", "Kind"];
        if wide {
            widths.push(Constraint::Length(SERVICE_W));
            header.push("Service");
        }
        widths.extend([Constraint::Length(10), Constraint::Length(18)]);
        header.extend(["Last", "Next review"]);
        let table = Table::new(body, widths)
            .header(TableRow::new(header).style(t.heading()))
            .column_spacing(1)
            .block(block(t, "Caseload"));
        f.render_widget(table, table_area);
        if rows.is_empty() {
            let msg = if self.rows.is_empty() {
                "No people yet. Press a to add one."
            } else {
                "Nobody matches the filter. Esc clears it."
            };
            let inner = Rect {
                x: table_area.x + 2,
                y: table_area.y + 2,
                width: table_area.width.saturating_sub(4),
                height: 1,
            };
            f.render_widget(Paragraph::new(msg), inner.intersection(table_area));
        }
    }
}
