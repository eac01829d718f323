//! The screens, each a component: it turns an action into a change of its own state
//! and a list of [`Effect`]s, draws itself from `&self`, and names its keys by the
//! keymap's contexts. No screen can reach the store: [`Ctx`] carries only what is
//! read-only for the whole session.

pub mod add_person;
pub mod caseload;
pub mod dashboard;
pub mod editor;
pub mod person;
pub mod prompt;
pub mod view;

use super::app::Action;
use super::effect::Effect;
use super::keymap::Context;
use super::theme::Theme;
use crate::forms::Forms;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

/// What every screen may read: never the store.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub forms: &'a Forms,
    pub theme: &'a Theme,
    pub today: NaiveDate,
    pub practitioner: &'a str,
    /// The terminal's size (columns, rows).
    pub size: (u16, u16),
}

/// The title row, where a screen draws, and the footer, in a window `area`.
pub fn rows_of(area: Rect) -> [Rect; 3] {
    let body = Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(2),
        ..area
    };
    let top = Rect {
        height: area.height.min(1),
        ..area
    };
    let foot = Rect {
        y: body.bottom(),
        height: area.height.saturating_sub(1).min(1),
        ..area
    };
    [top, body, foot]
}

impl Ctx<'_> {
    /// Where a screen draws in a window of this size (see [`rows_of`]).
    pub fn body(&self) -> Rect {
        let (w, h) = self.size;
        rows_of(Rect::new(0, 0, w, h))[1]
    }
}

/// A screen: its own state, changed only by [`Component::update`].
pub trait Component {
    /// Changes the screen's own state and says what else must happen.
    fn update(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect>;
    /// Draws the screen's body.
    fn draw(&self, ctx: &Ctx, f: &mut Frame, area: Rect);
    /// The keymap contexts in force, most particular first (the keymap adds the ones
    /// that hold everywhere).
    fn contexts(&self) -> Vec<Context>;
    /// Whether keys go to a text field.
    fn typing(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests;
