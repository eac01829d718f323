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

impl Ctx<'_> {
    /// Where a screen draws: the window less the title row and the footer.
    pub fn body(&self) -> Rect {
        let (w, h) = self.size;
        Rect::new(0, 1, w, h.saturating_sub(2))
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
