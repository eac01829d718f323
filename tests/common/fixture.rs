//! A small store with fixed ids and dates, so screens draw the same every time.

use chrono::NaiveDate;
use talking_points::domain::{
    Action, AssessedOutcome, Conversation, Id, Person, PersonKind, PlannedOutcome, ReviewedOutcome,
    Service, StageBody,
};
use talking_points::forms::Forms;
use talking_points::store::Store;
use talking_points::tui::app::App;
use talking_points::tui::theme::Theme;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn id(n: u8) -> Id {
    Id::from_parts(1_700_000_000_000 + n as u64, [n; 10])
}

pub const TODAY: &str = "2026-11-23";

/// People in two services; Morag has an assessment and a plan whose review is overdue.
pub fn store(dir: &std::path::Path) -> Store {
    let s = Store::open(&dir.join("store")).unwrap();
    let reab = Service {
        id: id(1),
        name: "Reablement".into(),
        organisation: "Glenmore Council".into(),
        partnership: "Glenmore HSCP".into(),
    };
    let carers = Service {
        id: id(2),
        name: "Carers Centre".into(),
        organisation: "Glenmore Carers".into(),
        partnership: "Glenmore HSCP".into(),
    };
    s.add_service(&reab).unwrap();
    s.add_service(&carers).unwrap();
    let people = [
        Person {
            id: id(10),
            name: "Morag MacLeod".into(),
            kind: PersonKind::Adult,
            service: reab.id,
            dob: Some(d("1941-03-09")),
            cares_for: None,
        },
        Person {
            id: id(11),
            name: "王秀英".into(),
            kind: PersonKind::Carer,
            service: carers.id,
            dob: None,
            cares_for: Some(id(10)),
        },
        Person {
            id: id(12),
            name: "Ùisdean Mac a' Phì".into(),
            kind: PersonKind::Adult,
            service: reab.id,
            dob: Some(d("1950-11-30")),
            cares_for: None,
        },
    ];
    for p in &people {
        s.add_person(p).unwrap();
    }
    let a = Conversation {
        id: id(20),
        person: id(10),
        date: d("2025-05-02"),
        practitioner: "J. Byrne".into(),
        participants: vec!["person".into(), "carer".into()],
        form: "adult".into(),
        form_version: 1,
        revision: 0,
        consent: None,
        withdrawn: None,
        body: StageBody::Assessment {
            outcomes: vec![AssessedOutcome {
                outcome: "seeing_people".into(),
                own_words: "I miss my walking group".into(),
                why: "my friends are there".into(),
                strengths: String::new(),
                resources: vec![],
                priority: true,
            }],
        },
    };
    let p = Conversation {
        id: id(21),
        person: id(10),
        date: d("2025-05-09"),
        practitioner: "J. Byrne".into(),
        participants: vec!["person".into()],
        form: "adult".into(),
        form_version: 1,
        revision: 0,
        consent: None,
        withdrawn: None,
        body: StageBody::Planning {
            review_by: Some(d("2025-08-01")),
            outcomes: vec![PlannedOutcome {
                outcome: "seeing_people".into(),
                statement: "I want to get back to my walking group".into(),
                actions: vec![Action {
                    who: "community".into(),
                    what: "a volunteer walks with me".into(),
                    by: Some(d("2025-06-01")),
                }],
            }],
        },
    };
    s.save_conversations(&[a, p]).unwrap();
    s
}

/// Seven more people at Reablement, each with a plan for two outcomes and a review of
/// both in 2025-26 (met, partly met and not met in turn, a barrier now and then), so
/// the dashboard has numbers, bars and stories to show.
pub fn add_reviews(s: &Store) {
    const STATUS: [&str; 3] = ["met", "partly_met", "not_met"];
    const OUTCOMES: [&str; 2] = ["seeing_people", "feeling_safe"];
    let mut conversations = Vec::new();
    for n in 0..7u8 {
        let who = id(30 + n);
        s.add_person(&Person {
            id: who,
            name: format!("Person {}", n + 1),
            kind: PersonKind::Adult,
            service: id(1),
            dob: None,
            cares_for: None,
        })
        .unwrap();
        let base = |conv: u8, date: &str, body| Conversation {
            id: id(conv),
            person: who,
            date: d(date),
            practitioner: "J. Byrne".into(),
            participants: vec!["person".into()],
            form: "adult".into(),
            form_version: 1,
            revision: 0,
            consent: None,
            withdrawn: None,
            body,
        };
        conversations.push(base(
            100 + n,
            "2025-06-02",
            StageBody::Planning {
                review_by: Some(d("2025-12-01")),
                outcomes: OUTCOMES
                    .iter()
                    .map(|o| PlannedOutcome {
                        outcome: o.to_string(),
                        statement: "to get out and about again".into(),
                        actions: vec![],
                    })
                    .collect(),
            },
        ));
        // A day apart, so the stories (latest first) always come in one order.
        let reviewed = format!("2025-11-{:02}", 10 + n);
        conversations.push(base(
            120 + n,
            &reviewed,
            StageBody::Review {
                outcomes: OUTCOMES
                    .iter()
                    .enumerate()
                    .map(|(k, o)| ReviewedOutcome {
                        outcome: o.to_string(),
                        status: STATUS[(usize::from(n) + k) % 3].into(),
                        helped: "the lunch club".into(),
                        contributors: vec![],
                        hindered: String::new(),
                        barriers: if n % 2 == 0 {
                            vec!["transport".into()]
                        } else {
                            vec![]
                        },
                        own_words: format!("Review words of person {}", n + 1),
                        next: None,
                    })
                    .collect(),
            },
        ));
    }
    s.save_conversations(&conversations).unwrap();
}

pub fn app(dir: &std::path::Path, theme: Theme) -> App {
    let mut app = App::new(store(dir), Forms::embedded().unwrap(), theme, d(TODAY)).unwrap();
    app.practitioner = "J. Byrne".into();
    app
}

/// Names and words that try to steer the terminal: an OSC title change, a screen clear,
/// a C1 CSI, NUL and BEL, a right-to-left override, zero-width joiners.
pub const HOSTILE: [&str; 5] = [
    "Evil\u{1b}]0;pwned\u{7}Name",
    "Clear\u{1b}[2J\u{1b}[H\u{9b}6nScreen",
    "Nul\u{0}Bell\u{7}Delete\u{7f}",
    "Flip\u{202e}deR\u{2066}iso\u{2069}",
    "Zwj👨\u{200d}👩\u{200d}👧\u{200d}",
];

/// The fixture's store with people named as above, as a merged bundle could bring
/// them in, and an assessment with such words.
pub fn hostile_app(dir: &std::path::Path) -> (App, Vec<Id>) {
    let app = app(dir, Theme::new(true, false));
    let mut ids = Vec::new();
    for (i, name) in HOSTILE.iter().enumerate() {
        let p = Person {
            id: Id::from_parts(1_700_000_100_000 + i as u64, [i as u8 + 100; 10]),
            name: name.to_string(),
            kind: PersonKind::Adult,
            service: id(1),
            dob: None,
            cares_for: None,
        };
        app.store.add_person(&p).expect("add");
        let c = Conversation {
            id: Id::from_parts(1_700_000_200_000 + i as u64, [i as u8 + 100; 10]),
            person: p.id,
            date: d("2025-05-02"),
            practitioner: HOSTILE[(i + 1) % HOSTILE.len()].to_string(),
            participants: vec!["person".into()],
            form: "adult".into(),
            form_version: 1,
            revision: 0,
            consent: None,
            withdrawn: None,
            body: StageBody::Assessment {
                outcomes: vec![AssessedOutcome {
                    outcome: "seeing_people".into(),
                    own_words: HOSTILE.join("\n"),
                    why: HOSTILE[i].into(),
                    strengths: String::new(),
                    resources: vec![],
                    priority: true,
                }],
            },
        };
        app.store.save_conversations(&[c]).expect("save");
        ids.push(p.id);
    }
    let mut app =
        App::new(app.store, app.forms, Theme::new(true, false), d(TODAY)).expect("reopen the app");
    app.practitioner = "J. Byrne".into();
    (app, ids)
}
