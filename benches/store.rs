//! How long the store takes over the things a practitioner waits for: saving one
//! conversation (flushed to disk), reading a person's timeline, and checking a record
//! file. Run with `cargo bench --bench store`.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use talking_points::domain::{
    AssessedOutcome, Conversation, Id, Person, PersonKind, Service, StageBody,
};
use talking_points::store::Store;

fn conversation(person: Id, n: usize) -> Conversation {
    Conversation {
        id: Id::new(),
        person,
        date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new((n % 300) as u64),
        practitioner: "J. Byrne".into(),
        participants: vec!["person".into()],
        form: "adult".into(),
        form_version: 1,
        revision: 0,
        consent: None,
        withdrawn: None,
        body: StageBody::Assessment {
            outcomes: vec![AssessedOutcome {
                outcome: "seeing_people".into(),
                own_words: "I want to walk to the harbour again — 港口 🚶 ".repeat(8),
                why: "my friends are there".into(),
                ..Default::default()
            }],
        },
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s")).unwrap();
    let svc = Service {
        id: Id::new(),
        name: "Reablement".into(),
        organisation: "C".into(),
        partnership: "P".into(),
    };
    store.add_service(&svc).unwrap();
    let person = Person {
        id: Id::new(),
        name: "Morag".into(),
        kind: PersonKind::Adult,
        service: svc.id,
        dob: None,
        cares_for: None,
    };
    store.add_person(&person).unwrap();
    // A caseload's shape: a thousand people with a few conversations each, over a year,
    // so each save rewrites small index entries (a person's, a day's).
    let people: Vec<Person> = (0..1000)
        .map(|_| Person {
            id: Id::new(),
            ..person.clone()
        })
        .collect();
    for p in &people {
        store.add_person(p).unwrap();
    }
    let mut n = 0;
    c.bench_function("save one conversation among 1,000 people, flushed", |b| {
        b.iter(|| {
            n += 1;
            store
                .save_conversations(&[conversation(people[n % people.len()].id, n)])
                .unwrap();
        })
    });
    // One person gathering every conversation: their index entry grows with each.
    let mut n = 0;
    c.bench_function("save one conversation, flushed", |b| {
        b.iter(|| {
            n += 1;
            store
                .save_conversations(&[conversation(person.id, n)])
                .unwrap();
        })
    });
    c.bench_function("read a timeline of the saved conversations", |b| {
        b.iter(|| black_box(store.conversations_of(&person.id).unwrap().len()))
    });
    let file = serde_json::json!({"conversations": (0..100).map(|i| conversation(person.id, i)).map(|mut c| { c.revision = 0; let mut v = serde_json::to_value(&c).unwrap(); v.as_object_mut().unwrap().remove("id"); v }).collect::<Vec<_>>()}).to_string();
    c.bench_function("parse a 100-conversation record file", |b| {
        b.iter(|| black_box(talking_points::record::parse(&file).unwrap().len()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
