//! `merge` applies the rules `record` and `person add` apply: a bundle with any record
//! they would refuse is refused whole, naming the record by its place in the bundle and
//! never its contents, and the store is left as it was. Merging gives the same store
//! whatever the order of the bundles.

mod common;

use chrono::NaiveDate;
use common::{TestStore, example};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use talking_points::bundle::{self, Contents};
use talking_points::domain::{
    AssessedOutcome, Conversation, Id, Person, PersonKind, Service, StageBody, Withdrawal,
};
use talking_points::forms::Forms;
use talking_points::store::Store;

const NAME: &str = "Ùisdean Mac a' Phì";
const WORDS: &str = "I've been twice";

/// A store with one adult (assessment, plan, review) and one carer caring for them.
fn source() -> (TestStore, String, String) {
    let s = TestStore::new();
    s.with_service("Reablement");
    let adult = s.add_person(NAME, "Reablement");
    let carer = s
        .ok(&[
            "person",
            "add",
            "--name",
            "Ealasaid Rothach",
            "--service",
            "Reablement",
            "--kind",
            "carer",
            "--cares-for",
            &adult,
        ])
        .trim()
        .to_string();
    let out = s.record(&example(&adult));
    assert!(out.status.success());
    (s, adult, carer)
}

fn contents(s: &TestStore) -> Contents {
    let f = s.dir.path().join("src.tpb");
    s.ok(&["bundle", "--out", f.to_str().expect("utf-8")]);
    bundle::decode(&std::fs::read(&f).expect("read")).expect("decode")
}

fn write(dir: &Path, name: &str, c: &Contents) -> PathBuf {
    let f = dir.join(name);
    std::fs::write(&f, bundle::encode(c).expect("encode")).expect("write");
    f
}

/// The team store's records as a bundle's bytes (records only, no audit).
fn state(team: &TestStore) -> Vec<u8> {
    let f = team.dir.path().join("state.tpb");
    team.ok(&["bundle", "--out", f.to_str().expect("utf-8")]);
    std::fs::read(&f).expect("read")
}

fn conv_of<'a>(c: &'a mut Contents, stage: &str) -> &'a mut Conversation {
    c.conversations
        .iter_mut()
        .find(|x| x.stage().to_string() == stage)
        .expect("conversation at stage")
}

#[test]
fn merge_refuses_each_kind_of_invalid_record_and_changes_nothing() {
    let (src, adult, carer) = source();
    let good = contents(&src);
    let team = TestStore::new();
    team.with_service("Carers Centre");
    let before = state(&team);

    type Edit = Box<dyn Fn(&mut Contents)>;
    let adult_id: Id = adult.parse().expect("id");
    let carer_id: Id = carer.parse().expect("id");
    let idx = |c: &Contents, id: Id| c.people.iter().position(|p| p.id == id).expect("person");
    let cases: Vec<(&str, Edit, String)> = vec![
        (
            "unknown outcome",
            Box::new(|c| {
                if let StageBody::Assessment { outcomes } = &mut conv_of(c, "assessment").body {
                    outcomes[0].outcome = "flying_to_the_moon".into();
                }
            }),
            "outcomes[0].outcome".into(),
        ),
        (
            "date in the future",
            Box::new(|c| {
                conv_of(c, "review").date = NaiveDate::from_ymd_opt(2099, 1, 1).expect("date");
            }),
            ".date".into(),
        ),
        (
            "empty name",
            Box::new(move |c| {
                let i = idx(c, adult_id);
                c.people[i].name = "  ".into();
            }),
            format!("people[{}].name", idx(&good, adult_id)),
        ),
        (
            "carer caring for themself",
            Box::new(move |c| {
                let i = idx(c, carer_id);
                c.people[i].cares_for = Some(carer_id);
            }),
            format!("people[{}].cares_for", idx(&good, carer_id)),
        ),
        (
            "date of birth in the future",
            Box::new(move |c| {
                let i = idx(c, adult_id);
                c.people[i].dob = NaiveDate::from_ymd_opt(2090, 5, 5);
            }),
            format!("people[{}].dob", idx(&good, adult_id)),
        ),
        (
            "review with no plan",
            Box::new(|c| {
                c.conversations
                    .retain(|x| x.stage().to_string() != "planning")
            }),
            "outcomes[0].outcome".into(),
        ),
        (
            "free text where a status belongs",
            Box::new(|c| {
                if let StageBody::Review { outcomes } = &mut conv_of(c, "review").body {
                    outcomes[0].status = "she told me about her son in Oban".into();
                }
            }),
            "outcomes[0].status".into(),
        ),
        (
            "practitioner missing",
            Box::new(|c| conv_of(c, "planning").practitioner = String::new()),
            ".practitioner".into(),
        ),
    ];
    for (what, edit, place) in cases {
        let mut c = good.clone();
        edit(&mut c);
        let f = write(team.dir.path(), "bad.tpb", &c);
        let out = team
            .cmd()
            .args(["merge", f.to_str().expect("utf-8")])
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {err}");
        assert!(
            err.contains(&place) && err.contains("nothing was merged"),
            "{what}: {err}"
        );
        assert!(err.contains("bad.tpb"), "{what}: {err}");
        for secret in [
            NAME,
            WORDS,
            "son in Oban",
            "flying_to_the_moon",
            "2090-05-05",
        ] {
            assert!(!err.contains(secret), "{what}: {secret} in {err}");
        }
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
        assert_eq!(state(&team), before, "{what}: the store changed");
    }

    // The good bundle merges, and verify agrees.
    let f = write(team.dir.path(), "good.tpb", &good);
    team.ok(&["merge", f.to_str().expect("utf-8")]);
    assert!(team.ok(&["verify"]).starts_with("store is sound"));

    // A version that loses to a newer one is kept as an earlier revision, so it is
    // checked too: an old revision with an unknown outcome is refused.
    let kept = conv_of(&mut good.clone(), "assessment").clone();
    let corrected = format!(
        r#"{{"conversations": [{{"id": "{}", "person": "{}", "stage": "assessment", "date": "2025-05-02",
        "practitioner": "J. Byrne", "outcomes": [{{"outcome": "seeing_people", "own_words": "corrected"}}]}}]}}"#,
        kept.id, kept.person
    );
    assert!(team.record(&corrected).status.success());
    let after_correction = state(&team);
    let mut c = good.clone();
    if let StageBody::Assessment { outcomes } = &mut conv_of(&mut c, "assessment").body {
        outcomes[0].outcome = "flying_to_the_moon".into();
    }
    let f = write(team.dir.path(), "old.tpb", &c);
    let out = team
        .cmd()
        .args(["merge", f.to_str().expect("utf-8")])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("outcomes[0].outcome"), "{err}");
    assert_eq!(state(&team), after_correction);

    // A later bundle that turns a kept assessment into a plan is a stage change.
    let mut c = good.clone();
    let a = conv_of(&mut c, "assessment");
    a.revision += 1;
    a.body = StageBody::Planning {
        review_by: None,
        outcomes: vec![],
    };
    let f = write(team.dir.path(), "stage.tpb", &c);
    let out = team
        .cmd()
        .args(["merge", f.to_str().expect("utf-8")])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot change the stage"), "{err}");
}

#[test]
fn a_plan_and_its_review_may_arrive_in_different_bundles_in_either_order() {
    let (src, _, _) = source();
    let good = contents(&src);
    let mut with_plan = good.clone();
    with_plan
        .conversations
        .retain(|x| x.stage().to_string() != "review");
    let mut with_review = good.clone();
    with_review
        .conversations
        .retain(|x| x.stage().to_string() != "planning");
    for order in [[0, 1], [1, 0]] {
        let team = TestStore::new();
        let files = [
            write(team.dir.path(), "plan.tpb", &with_plan),
            write(team.dir.path(), "review.tpb", &with_review),
        ];
        team.ok(&[
            "merge",
            files[order[0]].to_str().expect("utf-8"),
            files[order[1]].to_str().expect("utf-8"),
        ]);
        assert_eq!(state(&team), state_of(&src), "order {order:?}");
    }
}

fn state_of(s: &TestStore) -> Vec<u8> {
    state(s)
}

// ---- order independence, by property ----

fn forms() -> Forms {
    Forms::embedded().expect("forms")
}

fn fixed_id(n: u8) -> Id {
    Id::from_parts(1_700_000_000_000 + n as u64, [n; 10])
}

const SERVICE_NAMES: [&str; 2] = ["Reablement", "Carers Centre"];
const PEOPLE_NAMES: [&str; 3] = ["Morag MacLeod", "王秀英", "Iain Mackay"];
const SAYINGS: [&str; 3] = ["the walking group", "my garden", "seeing my grandson"];

/// One bundle's worth of records about the same three people and three conversations,
/// with differences a second store could hold: other service ids, other names,
/// services and dates of birth, other revisions and words.
#[derive(Debug, Clone)]
struct Variant {
    service_seed: u8,
    people: Vec<(usize, usize, Option<u32>)>,
    /// (revision, words, outcome, withdrawn as recorded in error)
    conversations: Vec<(u32, usize, usize, bool)>,
}

fn variant() -> impl Strategy<Value = Variant> {
    (
        0u8..4,
        prop::collection::vec((0usize..3, 0usize..2, prop::option::of(1930u32..1990)), 3),
        prop::collection::vec(
            (0u32..3, 0usize..3, 0usize..2, prop::bool::weighted(0.25)),
            3,
        ),
    )
        .prop_map(|(service_seed, people, conversations)| Variant {
            service_seed,
            people,
            conversations,
        })
}

fn build(v: &Variant, outcomes: &[String]) -> Contents {
    let services: Vec<Service> = SERVICE_NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| Service {
            id: fixed_id(100 + v.service_seed * 2 + i as u8),
            name: (*n).into(),
            organisation: "Glenmore Council".into(),
            partnership: "Glenmore HSCP".into(),
        })
        .collect();
    let people: Vec<Person> = v
        .people
        .iter()
        .enumerate()
        .map(|(i, (name, svc, year))| Person {
            id: fixed_id(10 + i as u8),
            name: PEOPLE_NAMES[*name].into(),
            kind: PersonKind::Adult,
            service: services[*svc].id,
            dob: year.and_then(|y| NaiveDate::from_ymd_opt(y as i32, 3, 9)),
            cares_for: None,
        })
        .collect();
    let conversations = v
        .conversations
        .iter()
        .enumerate()
        .map(|(i, (rev, saying, outcome, withdrawn))| Conversation {
            id: fixed_id(50 + i as u8),
            person: people[i].id,
            date: NaiveDate::from_ymd_opt(2025, 5, 2).expect("date"),
            practitioner: "J. Byrne".into(),
            participants: vec![],
            form: "adult".into(),
            form_version: 1,
            revision: *rev,
            consent: None,
            withdrawn: withdrawn.then(|| Withdrawal {
                by: "J. Byrne".into(),
                at: format!("2026-01-0{}T10:00:00Z", saying + 1),
                reason: "recorded for the wrong person".into(),
            }),
            body: StageBody::Assessment {
                outcomes: vec![AssessedOutcome {
                    outcome: outcomes[*outcome].clone(),
                    own_words: SAYINGS[*saying].into(),
                    why: String::new(),
                    strengths: String::new(),
                    resources: vec![],
                    priority: false,
                }],
            },
        })
        .collect();
    Contents {
        services,
        people,
        conversations,
    }
}

/// Everything a merge writes, with services given by name (so that stores built by
/// merges in separate runs, where the first store's service id is already held, compare)
/// and each conversation's earlier revisions.
fn dump(store: &Store) -> String {
    let c = bundle::contents_of(store).expect("contents");
    let mut v = serde_json::to_value(&c).expect("json");
    let name = |id: &str| {
        c.services
            .iter()
            .find(|s| s.id.to_string() == id)
            .map(|s| s.name.clone())
            .expect("service")
    };
    for s in v["services"].as_array_mut().expect("list") {
        s["id"] = serde_json::Value::Null;
    }
    for p in v["people"].as_array_mut().expect("list") {
        let n = name(p["service"].as_str().expect("id"));
        p["service"] = n.into();
    }
    let revisions: Vec<Vec<Conversation>> = c
        .conversations
        .iter()
        .map(|x| store.revisions_of(&x.id).expect("revisions"))
        .collect();
    format!("{v}\n{}", serde_json::to_string(&revisions).expect("json"))
}

fn merged(dir: &Path, name: &str, runs: &[Vec<PathBuf>]) -> (String, Vec<u8>) {
    let store = Store::open(&dir.join(name)).expect("open");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    for files in runs {
        bundle::merge(&store, files, &forms(), today, &mut |_, _| {}).expect("merge");
    }
    let exact = bundle::encode(&bundle::contents_of(&store).expect("contents")).expect("encode");
    (dump(&store), exact)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn merging_in_any_order_gives_the_same_store(vs in prop::collection::vec(variant(), 3)) {
        let f = forms();
        let outcomes: Vec<String> = f
            .framework_for(PersonKind::Adult)
            .expect("adult form")
            .outcomes
            .iter()
            .filter(|o| o.category != "process")
            .take(2)
            .map(|o| o.id.clone())
            .collect();
        let dir = tempfile::tempdir().expect("dir");
        let files: Vec<PathBuf> = vs
            .iter()
            .enumerate()
            .map(|(i, v)| write(dir.path(), &format!("{i}.tpb"), &build(v, &outcomes)))
            .collect();
        let (a, a_exact) = merged(dir.path(), "a", std::slice::from_ref(&files));
        let rev: Vec<PathBuf> = files.iter().rev().cloned().collect();
        let (b, b_exact) = merged(dir.path(), "b", &[rev]);
        let rot = vec![files[1].clone(), files[2].clone(), files[0].clone()];
        let (c, c_exact) = merged(dir.path(), "c", &[rot]);
        // One merge of all the bundles: the very same records, ids included.
        prop_assert_eq!(&a_exact, &b_exact);
        prop_assert_eq!(&a_exact, &c_exact);
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
        // Bundles merged one at a time, in two orders: the same records and revisions.
        let one_by_one: Vec<Vec<PathBuf>> = files.iter().map(|f| vec![f.clone()]).collect();
        let (d, _) = merged(dir.path(), "d", &one_by_one);
        let backwards: Vec<Vec<PathBuf>> = one_by_one.iter().rev().cloned().collect();
        let (e, _) = merged(dir.path(), "e", &backwards);
        prop_assert_eq!(&d, &e);
        prop_assert_eq!(&a, &d);
        // A withdrawal made in any store wins over every version that is not withdrawn.
        let store = Store::open(&dir.path().join("a")).expect("open");
        for (i, _) in vs[0].conversations.iter().enumerate() {
            let any = vs.iter().any(|v| v.conversations[i].3);
            let held = store.conversation(&fixed_id(50 + i as u8)).expect("read").expect("held");
            prop_assert_eq!(held.withdrawn.is_some(), any);
        }
    }
}

#[test]
fn a_person_held_in_two_services_resolves_the_same_way_in_either_order() {
    let outcomes = vec!["seeing_people".to_string(), "feeling_safe".to_string()];
    let base = Variant {
        service_seed: 0,
        people: vec![(0, 0, None), (1, 0, None), (2, 0, None)],
        conversations: vec![(0, 0, 0, false), (0, 0, 0, false), (0, 0, 0, false)],
    };
    let mut moved = base.clone();
    moved.service_seed = 1;
    moved.people[0].1 = 1;
    let dir = tempfile::tempdir().expect("dir");
    let fa = write(dir.path(), "a.tpb", &build(&base, &outcomes));
    let fb = write(dir.path(), "b.tpb", &build(&moved, &outcomes));
    let (x, _) = merged(dir.path(), "x", &[vec![fa.clone()], vec![fb.clone()]]);
    let (y, _) = merged(dir.path(), "y", &[vec![fb], vec![fa]]);
    assert_eq!(x, y);
}
