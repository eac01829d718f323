//! The domain model: partnerships, services, people and conversations, and the rules a
//! practitioner would expect them to follow. No I/O lives here: storage, the command line
//! and the interface all go through these types.

pub mod conversation;
mod conversation_de;
pub mod dates;
pub mod history;
pub mod ids;
pub mod org;
pub mod person;
pub mod search;
pub mod text;
pub mod validate;

pub use conversation::{
    Action, AssessedOutcome, Consent, Conversation, Place, PlannedOutcome, ReviewedOutcome, Stage,
    StageBody, Withdrawal,
};
pub use ids::Id;
pub use org::Service;
pub use person::{Person, PersonKind};
pub use text::quote;
pub use validate::{Problem, validate_conversation, validate_correction, validate_person};
