//! Any valid conversation round-trips through `record` and `person show --json`
//! unchanged: free text in any script (wide characters, emoji with ZWJ sequences and
//! skin tones, right-to-left text, combining marks, newlines, tabs, quotes, backslashes
//! and other control characters), every vocabulary, optional fields present or absent.

use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_talking-points");
const TODAY: &str = "2026-11-23";

const OUTCOMES: [&str; 15] = [
    "feeling_safe",
    "having_things_to_do",
    "seeing_people",
    "staying_well",
    "living_as_you_want",
    "dealing_with_stigma",
    "listened_to",
    "having_a_say",
    "treated_with_respect",
    "responded_to",
    "reliability",
    "confidence_morale",
    "skills",
    "mobility",
    "reduced_symptoms",
];
const PROCESS: [&str; 5] = [
    "listened_to",
    "having_a_say",
    "treated_with_respect",
    "responded_to",
    "reliability",
];
const PARTICIPANTS: [&str; 7] = [
    "person",
    "carer",
    "family",
    "advocate",
    "interpreter",
    "friend",
    "other",
];
const RESOURCES: [&str; 3] = ["personal", "family_friends", "community"];
const ACTION_OWNERS: [&str; 5] = ["person", "family_friends", "community", "service", "other"];
const STATUSES: [&str; 4] = ["met", "partly_met", "not_met", "no_longer_relevant"];
const CONTRIBUTORS: [&str; 4] = ["person", "family_friends", "community", "services"];
const BARRIERS: [&str; 9] = [
    "health_change",
    "service_unavailable_or_delayed",
    "transport",
    "money",
    "housing",
    "carer_or_family_circumstances",
    "person_chose_differently",
    "communication",
    "other",
];
const NEXT: [&str; 3] = ["continue", "revise", "close"];

// ---- the binary ---------------------------------------------------------------------

struct Store {
    dir: tempfile::TempDir,
    path: PathBuf,
}

struct Ran {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Store {
    fn new() -> Store {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        let s = Store { dir, path };
        s.ok(&[
            "org",
            "add",
            "--partnership",
            "Glenmore HSCP",
            "--organisation",
            "Glenmore Council",
            "--service",
            "Reablement",
        ]);
        s
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Ran {
        let mut c = Command::new(BIN);
        c.arg("--store")
            .arg(&self.path)
            .args(args)
            .env("TALKING_POINTS_TODAY", TODAY)
            .env_remove("TALKING_POINTS_FORMS")
            .env_remove("TALKING_POINTS_STORE")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("spawn talking-points");
        if let Some(text) = stdin {
            use std::io::Write;
            let mut pipe = child.stdin.take().expect("stdin");
            pipe.write_all(text.as_bytes()).expect("write stdin");
        }
        let out = child.wait_with_output().expect("run talking-points");
        Ran {
            ok: out.status.success(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args, None);
        assert!(r.ok, "{args:?} failed: {}", r.stderr);
        r.stdout
    }

    fn add_person(&self, name: &str) -> String {
        let name = format!("--name={name}");
        self.ok(&["person", "add", &name, "--service", "Reablement"])
            .trim()
            .to_string()
    }

    fn show(&self, person: &str) -> Value {
        serde_json::from_str(&self.ok(&["person", "show", person, "--json"]))
            .expect("person show --json is JSON")
    }

    /// Records `file` (by path, or on standard input) and returns the printed ids.
    fn record(&self, text: &str, by_path: Option<&Path>) -> Result<Vec<String>, String> {
        let r = match by_path {
            Some(p) => {
                std::fs::write(p, text).expect("write record file");
                self.run(&["record", p.to_str().expect("path")], None)
            }
            None => self.run(&["record", "-"], Some(text)),
        };
        if !r.ok {
            return Err(r.stderr);
        }
        Ok(r.stdout.lines().map(String::from).collect())
    }
}

// ---- strategies ---------------------------------------------------------------------

/// A piece of free text: ASCII, Gaelic, CJK, emoji, Arabic, whitespace and escapes.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[ -~]{1,12}",
        3 => select(vec!["à", "è", "ì", "ò", "ù", "À", "Ò", "Mòrag", "Ùisdean Mac a' Phì", "Dùn Èideann", "e\u{301}"])
            .prop_map(String::from),
        3 => select(vec!["港口", "王秀英", "漢字", "日本語のテキスト", "한국어", "ｆｕｌｌｗｉｄｔｈ"])
            .prop_map(String::from),
        3 => select(vec![
            "🚶", "👍🏽", "❤️", "👨‍👩‍👧", "🧑🏿‍🦽", "🏳️‍🌈", "🇬🇧", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "🚶‍♀️‍➡️",
        ])
        .prop_map(String::from),
        2 => select(vec!["مرحبا", "السلام عليكم", "עברית", "\u{200F}", "\u{202E}abc"]).prop_map(String::from),
        3 => select(vec!["\n", "\t", "\r\n", "\"", "\\", "'", "\\n", "\\u0041", "\u{200B}", "\u{FEFF}", "  "])
            .prop_map(String::from),
        1 => select(vec!["\u{7}", "\u{0}", "\u{1b}[31m", "\u{7f}", "\u{85}", "\u{2028}"]).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => prop::collection::vec(piece(), 1..10).prop_map(|v| v.concat()),
        1 => (prop::collection::vec(piece(), 1..6), 50usize..400)
            .prop_map(|(v, n)| v.concat().repeat(n)),
    ]
}

/// Text a required field accepts (not blank).
fn words() -> impl Strategy<Value = String> {
    text().prop_filter("not blank", |s| !s.trim().is_empty())
}

/// A list of distinct vocabulary values, in any order.
fn some_of(vocab: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    subsequence(vocab, 1..=vocab.len())
        .prop_shuffle()
        .prop_map(|v| v.into_iter().map(String::from).collect())
}

fn date(day: i64) -> String {
    let d =
        chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date") + chrono::Duration::days(day);
    d.format("%Y-%m-%d").to_string()
}

/// Puts the optional fields that are present into `o`.
fn put(o: &mut Map<String, Value>, fields: Vec<(&str, Option<Value>)>) {
    for (k, v) in fields {
        if let Some(v) = v {
            o.insert(k.to_string(), v);
        }
    }
}

fn opt_text() -> impl Strategy<Value = Option<Value>> {
    prop::option::of(text().prop_map(Value::from))
}

fn opt_list(vocab: &'static [&'static str]) -> impl Strategy<Value = Option<Value>> {
    prop::option::of(some_of(vocab).prop_map(|v| json!(v)))
}

fn head(day: i64, stage: &str) -> impl Strategy<Value = Map<String, Value>> + use<> {
    let stage = stage.to_string();
    (words(), opt_list(&PARTICIPANTS)).prop_map(move |(practitioner, participants)| {
        let mut o = Map::new();
        o.insert("stage".into(), json!(stage));
        o.insert("date".into(), json!(date(day)));
        o.insert("practitioner".into(), json!(practitioner));
        put(&mut o, vec![("participants", participants)]);
        o
    })
}

fn assessment(day: i64) -> impl Strategy<Value = Value> {
    let outcome = |id: String| {
        (
            opt_text(),
            opt_text(),
            opt_text(),
            opt_list(&RESOURCES),
            prop::option::of(Just(json!(true))),
        )
            .prop_map(move |(own_words, why, strengths, resources, priority)| {
                let mut o = Map::new();
                o.insert("outcome".into(), json!(id));
                put(
                    &mut o,
                    vec![
                        ("own_words", own_words),
                        ("why", why),
                        ("strengths", strengths),
                        ("resources", resources),
                        ("priority", priority),
                    ],
                );
                Value::Object(o)
            })
    };
    (
        head(day, "assessment"),
        subsequence(&OUTCOMES[..], 1..=5)
            .prop_shuffle()
            .prop_flat_map(move |ids| {
                ids.into_iter()
                    .map(|id| outcome(id.to_string()))
                    .collect::<Vec<_>>()
            }),
    )
        .prop_map(|(mut c, outcomes)| {
            c.insert("outcomes".into(), json!(outcomes));
            Value::Object(c)
        })
}

fn action(day: i64) -> impl Strategy<Value = Value> {
    (
        select(&ACTION_OWNERS[..]),
        words(),
        prop::option::of(0i64..120),
    )
        .prop_map(move |(who, what, by)| {
            let mut a = Map::new();
            a.insert("who".into(), json!(who));
            a.insert("what".into(), json!(what));
            put(&mut a, vec![("by", by.map(|b| json!(date(day + b))))]);
            Value::Object(a)
        })
}

fn plan(day: i64, ids: Vec<String>) -> impl Strategy<Value = Value> {
    let outcomes: Vec<_> = ids
        .into_iter()
        .map(|id| {
            (words(), prop::collection::vec(action(day), 0..=3)).prop_map(
                move |(statement, actions)| {
                    let mut o = Map::new();
                    o.insert("outcome".into(), json!(id));
                    o.insert("statement".into(), json!(statement));
                    if !actions.is_empty() {
                        o.insert("actions".into(), json!(actions));
                    }
                    Value::Object(o)
                },
            )
        })
        .collect();
    (head(day, "planning"), prop::option::of(0i64..200), outcomes).prop_map(
        move |(mut c, review_by, outcomes)| {
            put(
                &mut c,
                vec![("review_by", review_by.map(|r| json!(date(day + r))))],
            );
            c.insert("outcomes".into(), json!(outcomes));
            Value::Object(c)
        },
    )
}

/// A review of some of `planned` (a plan dated on or before it holds them) and perhaps
/// some process outcomes; at least one outcome in all.
fn review(day: i64, planned: Vec<String>) -> impl Strategy<Value = Value> {
    let outcome = |id: String| {
        (
            select(&STATUSES[..]),
            opt_text(),
            opt_list(&CONTRIBUTORS),
            opt_text(),
            opt_list(&BARRIERS),
            opt_text(),
            prop::option::of(select(&NEXT[..]).prop_map(Value::from)),
        )
            .prop_map(
                move |(status, helped, contributors, hindered, barriers, own_words, next)| {
                    let mut o = Map::new();
                    o.insert("outcome".into(), json!(id));
                    o.insert("status".into(), json!(status));
                    put(
                        &mut o,
                        vec![
                            ("helped", helped),
                            ("contributors", contributors),
                            ("hindered", hindered),
                            ("barriers", barriers),
                            ("own_words", own_words),
                            ("next", next),
                        ],
                    );
                    Value::Object(o)
                },
            )
    };
    let process: Vec<String> = PROCESS
        .iter()
        .map(|s| s.to_string())
        .filter(|p| !planned.contains(p))
        .collect();
    let min = usize::from(planned.is_empty());
    let n_planned = planned.len();
    (
        head(day, "review"),
        (
            subsequence(planned, 0..=n_planned),
            subsequence(process.clone(), min..=process.len().min(2)),
        )
            .prop_filter("something to review", |(a, b)| {
                !a.is_empty() || !b.is_empty()
            })
            .prop_map(|(a, b)| a.into_iter().chain(b).collect::<Vec<_>>())
            .prop_shuffle()
            .prop_flat_map(move |ids| ids.into_iter().map(outcome).collect::<Vec<_>>()),
    )
        .prop_map(|(mut c, outcomes)| {
            c.insert("outcomes".into(), json!(outcomes));
            Value::Object(c)
        })
}

/// One or two record files (conversations without `person`), and how each is written.
#[derive(Clone, Debug)]
struct Case {
    name: String,
    files: Vec<Vec<Value>>,
    style: u8,
}

fn case() -> impl Strategy<Value = Case> {
    (
        subsequence(&OUTCOMES[..], 1..=4).prop_shuffle(),
        0i64..900,
        0i64..60,
        0i64..120,
    )
        .prop_flat_map(|(planned, a_day, gap1, gap2)| {
            let planned: Vec<String> = planned.into_iter().map(String::from).collect();
            let p_day = a_day + gap1;
            let r_day = p_day + gap2;
            (
                assessment(a_day),
                plan(p_day, planned.clone()),
                review(r_day, planned),
                review(r_day, Vec::new()),
                0u8..7,
                words().prop_filter("no control characters in a name", |n| {
                    !n.chars().any(char::is_control)
                }),
                0u8..4,
            )
        })
        .prop_map(|(a, p, r, process_only, shape, name, style)| {
            let files = match shape {
                0 => vec![vec![a]],
                1 => vec![vec![p]],
                2 => vec![vec![a, p, r]],
                3 => vec![vec![p], vec![r]],
                4 => vec![vec![a], vec![p, r]],
                5 => vec![vec![process_only]],
                _ => vec![vec![a, p], vec![r, process_only]],
            };
            Case { name, files, style }
        })
}

/// JSON with every non-ASCII character written as a `\u` escape (surrogate pairs
/// beyond the BMP), as some tools write it.
fn ascii_json(v: &Value) -> String {
    let mut out = String::new();
    for ch in serde_json::to_string(v).expect("json").chars() {
        if ch.is_ascii() {
            out.push(ch);
        } else {
            let mut buf = [0u16; 2];
            for unit in ch.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// A conversation as shown, less what the store adds (`id`, `form`, `form_version`,
/// `revision`), after checking those.
fn strip(shown: &Value) -> Result<(String, Value), TestCaseError> {
    let mut c = shown.clone();
    let o = c
        .as_object_mut()
        .ok_or_else(|| TestCaseError::fail("conversation is not an object"))?;
    let id = o.remove("id").and_then(|v| v.as_str().map(String::from));
    let id = id.ok_or_else(|| TestCaseError::fail("conversation has no id"))?;
    prop_assert_eq!(o.remove("form"), Some(json!("adult")));
    prop_assert_eq!(o.remove("revision"), Some(json!(0)));
    prop_assert!(o.remove("form_version").is_some_and(|v| v.is_u64()));
    Ok((id, c))
}

fn run_case(store: &Store, n: usize, case: &Case) -> Result<(), TestCaseError> {
    let person = store.add_person(&case.name);
    let mut expected: Vec<(String, Value)> = Vec::new();
    for (f, convs) in case.files.iter().enumerate() {
        let convs: Vec<Value> = convs
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c["person"] = json!(person);
                c
            })
            .collect();
        let doc = json!({ "conversations": convs });
        let text = match case.style {
            0 => serde_json::to_string(&doc).expect("json"),
            1 => serde_json::to_string_pretty(&doc).expect("json"),
            _ => ascii_json(&doc),
        };
        let path = store.dir.path().join(format!("case-{n}-{f}.json"));
        let by_path = (case.style != 3).then_some(path.as_path());
        let ids = store
            .record(&text, by_path)
            .map_err(|e| TestCaseError::fail(format!("file {f} was refused: {e}")))?;
        prop_assert_eq!(ids.len(), convs.len(), "one id per conversation");
        expected.extend(ids.into_iter().zip(convs));
    }

    let shown = store.show(&person);
    prop_assert_eq!(&shown["person"]["name"], &json!(case.name.trim()));
    let got = shown["conversations"]
        .as_array()
        .ok_or_else(|| TestCaseError::fail("no conversations list"))?;
    prop_assert_eq!(got.len(), expected.len());
    for g in got {
        let (id, c) = strip(g)?;
        let Some((_, want)) = expected.iter().find(|(i, _)| *i == id) else {
            return Err(TestCaseError::fail(format!("{id} was never printed")));
        };
        prop_assert_eq!(&c, want, "conversation {} changed", id);
    }

    // What `person show --json` prints is what `record` reads: recording it back keeps
    // each conversation (same id) as its next revision, otherwise unchanged.
    let again = json!({ "conversations": got });
    let ids = store
        .record(&again.to_string(), None)
        .map_err(|e| TestCaseError::fail(format!("the shown conversations were refused: {e}")))?;
    let shown_ids: Vec<&str> = got.iter().filter_map(|c| c["id"].as_str()).collect();
    prop_assert_eq!(&ids, &shown_ids);
    let after = store.show(&person);
    let after = after["conversations"]
        .as_array()
        .ok_or_else(|| TestCaseError::fail("no conversations list"))?;
    prop_assert_eq!(after.len(), got.len());
    for (a, g) in after.iter().zip(got) {
        let mut want = g.clone();
        want["revision"] = json!(1);
        prop_assert_eq!(a, &want);
    }
    Ok(())
}

#[test]
fn any_valid_conversation_round_trips_unchanged() {
    let store = Store::new();
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let n = std::cell::Cell::new(0);
    let result = runner.run(&case(), |case| {
        n.set(n.get() + 1);
        run_case(&store, n.get(), &case)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn shown_ids_are_the_printed_ids_in_order() {
    let store = Store::new();
    let person = store.add_person("Mòrag MacLeòid");
    let c = |stage: &str, date: &str, outcomes: Value| {
        json!({"person": person, "stage": stage, "date": date, "practitioner": "J. Byrne 港口",
               "outcomes": outcomes})
    };
    let first = json!({"conversations": [
        c("assessment", "2025-05-02", json!([{"outcome": "seeing_people", "own_words": "🚶 I miss my walking group", "priority": true}])),
        c("planning", "2025-05-09", json!([{"outcome": "seeing_people", "statement": "I want to get back to my walking group"}])),
        c("review", "2025-08-01", json!([{"outcome": "seeing_people", "status": "partly_met"}, {"outcome": "listened_to", "status": "met"}])),
    ]});
    // The second file has one conversation on the same day as the review, and comes
    // later: it is shown after it.
    let second = json!({"conversations": [
        c("assessment", "2025-08-01", json!([{"outcome": "mobility", "own_words": "王秀英 helps me"}])),
        c("assessment", "2025-09-01", json!([{"outcome": "skills"}])),
    ]});
    let mut printed = store
        .record(&first.to_string(), None)
        .expect("first file recorded");
    printed.extend(
        store
            .record(&second.to_string(), None)
            .expect("second file recorded"),
    );
    assert_eq!(printed.len(), 5);
    for id in &printed {
        assert!(uuid::Uuid::parse_str(id).is_ok(), "printed {id:?}");
    }
    let shown = store.show(&person);
    let ids: Vec<&str> = shown["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, printed);
}
