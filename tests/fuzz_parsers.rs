//! Property and fuzz tests for every parser: form TOML, `record` JSON, bundles, dates,
//! periods and the command line. Each is fed valid documents (which must be accepted),
//! the same documents mutated (bit flips, cut short, spliced with another valid
//! document, nested deep, values swapped in the JSON tree) and random bytes. None may
//! panic or take long; `record` and `merge` rejected by the real command change nothing
//! in the store. The inputs kept in `tests/corpus/<parser>/` (crashers found, edge cases)
//! are replayed on every run.
//!
//! The default run does a few tens of thousands of cases. `FUZZ_CASES=N` spreads about N
//! generated cases over the parsers, e.g.
//! `FUZZ_CASES=1000000 cargo test --release --test fuzz_parsers`.

use chrono::NaiveDate;
use clap::{CommandFactory, Parser};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};
use talking_points::bundle::{self, Contents};
use talking_points::cli::args::Cli;
use talking_points::domain::{Conversation, Id, Person, PersonKind, Service};
use talking_points::forms::{EMBEDDED, Forms, check_sources};
use talking_points::record::{self, Lookup};
use talking_points::rollup::Period;

const TODAY: (i32, u32, u32) = (2026, 11, 23);
/// A parser that takes longer than this over one input is as good as hung.
const SLOW: Duration = Duration::from_secs(2);
/// After this long on one input the watchdog stops the whole run and shows the input.
const HUNG: Duration = Duration::from_secs(20);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("date")
}

// ---------------------------------------------------------------------------------------
// Budget and time limits

/// How many cases a parser gets: its share of `FUZZ_CASES` when set, else `default`.
fn cases(share: f64, default: u32) -> u32 {
    match std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        Some(total) => ((total * share).ceil() as u32).max(1),
        None => default,
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        // Shrinking a long run's failure can take long; a minute is plenty.
        max_shrink_time: 60_000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz_parsers.proptest-regressions"
        )))),
        ..Config::default()
    })
}

/// Every case counted, for the figures printed at the end of each test.
static CASES_RUN: AtomicU64 = AtomicU64::new(0);

type Running = HashMap<std::thread::ThreadId, (&'static str, Instant, Vec<u8>)>;

/// The input each test thread is working on, and since when.
fn running() -> &'static Mutex<Running> {
    static RUNNING: OnceLock<Mutex<Running>> = OnceLock::new();
    RUNNING.get_or_init(|| {
        std::thread::spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(200));
                let hung = running()
                    .lock()
                    .map(|m| {
                        m.values()
                            .find(|(_, t, _)| t.elapsed() > HUNG)
                            .map(|(l, _, i)| (*l, i.clone()))
                    })
                    .unwrap_or(None);
                if let Some((label, input)) = hung {
                    let shown = String::from_utf8_lossy(&input[..input.len().min(4000)])
                        .escape_debug()
                        .to_string();
                    eprintln!(
                        "the {label} parser has spent over {HUNG:?} on one input, which hangs it: {shown}"
                    );
                    std::process::abort();
                }
            }
        });
        Mutex::new(HashMap::new())
    })
}

/// Runs `f` on `input` under the watchdog and the time limit.
fn timed<T>(label: &'static str, input: &[u8], f: impl FnOnce() -> T) -> T {
    let me = std::thread::current().id();
    let started = Instant::now();
    if let Ok(mut m) = running().lock() {
        m.insert(me, (label, started, input.to_vec()));
    }
    let out = f();
    if let Ok(mut m) = running().lock() {
        m.remove(&me);
    }
    let took = started.elapsed();
    CASES_RUN.fetch_add(1, Ordering::Relaxed);
    assert!(
        took < SLOW,
        "the {label} parser took {took:?} over one input of {} bytes: {}",
        input.len(),
        String::from_utf8_lossy(&input[..input.len().min(400)]).escape_debug()
    );
    out
}

// ---------------------------------------------------------------------------------------
// Mutations

/// What is spliced into documents: the characters parsers split on, numbers at their
/// limits, dates that do not exist, and text a terminal or a store might choke on.
const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "=",
    "\n",
    "\r\n",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "-1",
    "0",
    "1e999",
    "-0",
    "18446744073709551616",
    "9223372036854775808",
    "\u{0}",
    "\u{1b}[2J",
    "\u{9b}",
    "\u{202e}",
    "\u{200d}",
    "\u{feff}",
    "\u{fffd}",
    "'''",
    "\"\"\"",
    "[[",
    "]]",
    "#",
    "2099-12-31",
    "2024-02-30",
    "0000-00-00",
    "9999-99-99",
    "outcomes",
    "conversations",
    "stage",
    "review",
    "planning",
    "assessment",
    "person",
    "blake3 ",
    "TPBUNDLE 1\n",
    "TPBUNDLE 2\n",
    "kind",
    "framework",
    "..",
    "-Q",
    "Q5",
];

#[derive(Clone, Debug)]
enum Op {
    Flip(Index, u8),
    Set(Index, u8),
    Insert(Index, Vec<u8>),
    Token(Index, Index),
    Delete(Index, u16),
    Truncate(Index),
    Duplicate(Index, u16),
    /// A piece of another valid document (donor, from, length) put in at a place.
    Splice(Index, Index, u16, Index),
    /// Brackets opened many times over, to find recursion without a limit.
    Nest(Index, u16, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| Op::Flip(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Op::Set(i, b)),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, v)| Op::Insert(i, v)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Op::Token(i, t)),
        2 => (any::<Index>(), 1u16..200).prop_map(|(i, n)| Op::Delete(i, n)),
        1 => any::<Index>().prop_map(Op::Truncate),
        1 => (any::<Index>(), 1u16..400).prop_map(|(i, n)| Op::Duplicate(i, n)),
        2 => (any::<Index>(), any::<Index>(), 1u16..2000, any::<Index>()).prop_map(|(d, f, n, a)| Op::Splice(d, f, n, a)),
        1 => (any::<Index>(), 1u16..5000, any::<u8>()).prop_map(|(i, n, k)| Op::Nest(i, n, k)),
    ]
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 1..5)
}

fn at(i: &Index, len: usize) -> usize {
    i.index(len + 1)
}

fn mutate(base: &[u8], ops: &[Op], donors: &[Vec<u8>]) -> Vec<u8> {
    let mut b = base.to_vec();
    for o in ops {
        let len = b.len();
        match o {
            Op::Flip(i, bit) if len > 0 => b[i.index(len)] ^= 1 << bit,
            Op::Set(i, v) if len > 0 => b[i.index(len)] = *v,
            Op::Flip(..) | Op::Set(..) => {}
            Op::Insert(i, v) => {
                let p = at(i, len);
                b.splice(p..p, v.iter().copied());
            }
            Op::Token(i, t) => {
                let p = at(i, len);
                let tok = TOKENS[t.index(TOKENS.len())].as_bytes();
                b.splice(p..p, tok.iter().copied());
            }
            Op::Delete(i, n) => {
                let p = at(i, len);
                let end = (p + *n as usize).min(len);
                b.drain(p..end);
            }
            Op::Truncate(i) => b.truncate(at(i, len)),
            Op::Duplicate(i, n) => {
                let p = at(i, len);
                let end = (p + *n as usize).min(len);
                let piece = b[p..end].to_vec();
                b.splice(end..end, piece);
            }
            Op::Splice(d, f, n, a) => {
                if donors.is_empty() {
                    continue;
                }
                let donor = &donors[d.index(donors.len())];
                let from = at(f, donor.len()).min(donor.len());
                let end = (from + *n as usize).min(donor.len());
                let p = at(a, len);
                b.splice(p..p, donor[from..end].iter().copied());
            }
            Op::Nest(i, n, k) => {
                let p = at(i, len);
                let (open, close): (&[u8], &[u8]) = match k % 4 {
                    0 => (b"[", b"]"),
                    1 => (b"{\"a\":", b"}"),
                    2 => (b"{a=", b"}"),
                    _ => (b"[", b""),
                };
                let mut piece = open.repeat(*n as usize);
                piece.extend_from_slice(b"1");
                piece.extend(close.repeat(*n as usize));
                b.splice(p..p, piece);
            }
        }
    }
    b
}

/// A case: a valid document as it is, one mutated, or bytes from nowhere.
#[derive(Clone, Debug)]
enum Case {
    Valid(Index),
    Mutated(Index, Vec<Op>),
    Random(Vec<u8>),
}

fn case() -> impl Strategy<Value = Case> {
    prop_oneof![
        1 => any::<Index>().prop_map(Case::Valid),
        8 => (any::<Index>(), ops()).prop_map(|(i, o)| Case::Mutated(i, o)),
        2 => prop::collection::vec(any::<u8>(), 0..600).prop_map(Case::Random),
    ]
}

impl Case {
    /// The input bytes, and whether they are a valid document untouched.
    fn bytes(&self, docs: &[Vec<u8>]) -> (Vec<u8>, bool) {
        match self {
            Case::Valid(i) => (docs[i.index(docs.len())].clone(), true),
            Case::Mutated(i, o) => {
                let base = &docs[i.index(docs.len())];
                let m = mutate(base, o, docs);
                let same = m == *base;
                (m, same)
            }
            Case::Random(b) => (b.clone(), false),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Valid documents

/// xorshift64*: reproducible valid documents from a number.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng((seed + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const OUTCOMES: [&str; 10] = [
    "feeling_safe",
    "having_things_to_do",
    "seeing_people",
    "staying_well",
    "living_as_you_want",
    "dealing_with_stigma",
    "confidence_morale",
    "skills",
    "mobility",
    "reduced_symptoms",
];

fn words(rng: &mut Rng) -> String {
    let bits = [
        "Mòrag's walking group",
        "港口 王秀英",
        "🚶 👍🏽 👨‍👩‍👧",
        "السلام عليكم",
        "a \"quoted\" \\ back\\slash",
        "line one\nline two\ttabbed",
        "right\u{202e}to left",
    ];
    let n = 1 + rng.below(3);
    (0..n)
        .map(|_| rng.pick(&bits).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

fn date(days: u64) -> String {
    let d = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date") + chrono::Days::new(days);
    d.format("%Y-%m-%d").to_string()
}

/// Two adults and a carer, known to the in-memory store below.
struct People {
    service: Service,
    people: Vec<Person>,
}

fn people() -> &'static People {
    static P: OnceLock<People> = OnceLock::new();
    P.get_or_init(|| {
        let id = |n: u8| Id::from_parts(1_700_000_000_000 + n as u64, [n; 10]);
        let service = Service {
            id: id(1),
            name: "Reablement".into(),
            organisation: "Glenmore Council".into(),
            partnership: "Glenmore HSCP".into(),
        };
        let person = |n: u8, name: &str, kind, cares_for| Person {
            id: id(n),
            name: name.into(),
            kind,
            service: id(1),
            dob: NaiveDate::from_ymd_opt(1941, 3, 9),
            cares_for,
        };
        let people = vec![
            person(10, "Morag MacLeod", PersonKind::Adult, None),
            person(11, "王秀英", PersonKind::Adult, None),
            person(12, "Ùisdean Mac a' Phì", PersonKind::Carer, Some(id(10))),
        ];
        People { service, people }
    })
}

/// What `prepare` asks of a store, held in memory: the people above, no conversations.
struct Memory;

impl Lookup for Memory {
    fn person(&self, id: &Id) -> Result<Option<Person>, String> {
        Ok(people().people.iter().find(|p| p.id == *id).cloned())
    }
    fn conversations_of(&self, _: &Id) -> Result<Vec<Conversation>, String> {
        Ok(Vec::new())
    }
    fn conversation(&self, _: &Id) -> Result<Option<Conversation>, String> {
        Ok(None)
    }
}

/// A valid `record` file: one to three conversations about the two adults.
fn record_doc(seed: u64) -> Value {
    let mut rng = Rng::new(seed);
    let ps = &people().people;
    let p = ps[rng.below(2) as usize].id.to_string();
    let day = rng.below(600);
    let d = date(day);
    let outcome = *rng.pick(&OUTCOMES);
    let assessment = |rng: &mut Rng| {
        json!({"person": p, "stage": "assessment", "date": d, "practitioner": "J. Byrne",
               "participants": ["person", "carer"],
               "outcomes": [{"outcome": rng.pick(&OUTCOMES), "own_words": words(rng),
                             "why": words(rng), "resources": ["community"], "priority": true}]})
    };
    let plan = |rng: &mut Rng| {
        json!({"person": p, "stage": "planning", "date": d, "practitioner": "A. Practitioner",
               "review_by": date(day + 90),
               "outcomes": [{"outcome": outcome, "statement": words(rng),
                             "actions": [{"who": "community", "what": words(rng), "by": date(day + 30)}]}]})
    };
    let convs = match rng.below(3) {
        0 => vec![assessment(&mut rng)],
        1 => {
            let review = json!({"person": p, "stage": "review", "date": d, "practitioner": "J. Byrne",
                "outcomes": [{"outcome": outcome, "status": "partly_met", "helped": words(&mut rng),
                              "contributors": ["community", "person"], "barriers": ["transport"],
                              "own_words": words(&mut rng), "next": "continue"},
                             {"outcome": "listened_to", "status": "met"}]});
            vec![plan(&mut rng), review]
        }
        _ => vec![assessment(&mut rng), plan(&mut rng)],
    };
    json!({ "conversations": convs })
}

fn record_docs() -> &'static Vec<Vec<u8>> {
    static D: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    D.get_or_init(|| {
        (0..40)
            .map(|i| {
                let v = record_doc(i);
                if i % 2 == 0 {
                    serde_json::to_vec_pretty(&v)
                } else {
                    serde_json::to_vec(&v)
                }
                .expect("json")
            })
            .collect()
    })
}

fn forms() -> &'static Forms {
    static F: OnceLock<Forms> = OnceLock::new();
    F.get_or_init(|| Forms::embedded().expect("the embedded forms"))
}

/// `record`'s parser and checks, as the command runs them, without a store.
fn record_check(text: &str) -> Result<Vec<Conversation>, String> {
    let incoming = record::parse(text).map_err(|e| e.to_string())?;
    record::prepare(incoming, forms(), &Memory, today()).map_err(|e| e.to_string())
}

/// The JSON of valid bundles: conversations from the valid `record` files.
fn bundle_contents() -> &'static Vec<Contents> {
    static C: OnceLock<Vec<Contents>> = OnceLock::new();
    C.get_or_init(|| {
        (0..12)
            .map(|i| {
                let mut conversations = Vec::new();
                for d in record_docs().iter().skip(i).step_by(7) {
                    let text = std::str::from_utf8(d).expect("utf-8");
                    conversations.extend(record_check(text).expect("a valid record file"));
                }
                Contents {
                    services: vec![people().service.clone()],
                    people: people().people.clone(),
                    conversations,
                }
            })
            .collect()
    })
}

fn bundle_docs() -> &'static Vec<Vec<u8>> {
    static D: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    D.get_or_init(|| {
        bundle_contents()
            .iter()
            .map(|c| bundle::encode(c).expect("encode"))
            .collect()
    })
}

fn form_docs() -> Vec<Vec<u8>> {
    EMBEDDED
        .iter()
        .map(|(_, t)| t.as_bytes().to_vec())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Forms (TOML)

/// Checks the embedded set with file `which` replaced by `text`.
fn forms_with(which: usize, text: &[u8]) -> Result<Forms, Vec<String>> {
    let sources: Vec<(String, String)> = EMBEDDED
        .iter()
        .enumerate()
        .map(|(i, (n, t))| {
            let body = if i == which {
                String::from_utf8_lossy(text).into_owned()
            } else {
                t.to_string()
            };
            (n.to_string(), body)
        })
        .collect();
    check_sources(&sources).map_err(|ps| ps.iter().map(|p| p.to_string()).collect())
}

#[test]
fn forms_toml_never_panics_and_accepts_the_valid_set() {
    let docs = form_docs();
    let mut runner = runner(cases(0.02, 2000));
    let started = Instant::now();
    runner
        .run(&(case(), any::<Index>()), |(c, which)| {
            let (bytes, valid) = c.bytes(&docs);
            // A whole document stands in for the file it came from; a mutated or random
            // one replaces any file of the set.
            let which = match &c {
                Case::Valid(i) | Case::Mutated(i, _) => i.index(docs.len()),
                Case::Random(_) => which.index(docs.len()),
            };
            let res = timed("forms", &bytes, || forms_with(which, &bytes));
            match res {
                Ok(_) => {}
                Err(problems) => {
                    prop_assert!(!valid, "the valid forms were refused: {problems:?}");
                    prop_assert!(!problems.is_empty(), "a refusal must say why");
                    prop_assert!(problems.iter().all(|p| !p.trim().is_empty()));
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "forms: {} cases in {:?}",
        runner_cases(&runner),
        started.elapsed()
    );
}

fn runner_cases(r: &TestRunner) -> u32 {
    r.config().cases
}

// ---------------------------------------------------------------------------------------
// `record` JSON

/// A change made inside the JSON tree rather than its bytes, so the checks behind the
/// parser are reached: a value swapped for one of another type or an odd one, a field
/// taken away, an unknown field added, or a piece of another file put in.
#[derive(Clone, Debug)]
enum TreeOp {
    Replace(Index, Index),
    Remove(Index),
    AddField(Index, Index),
    Graft(Index, Index, Index),
}

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1e300),
        json!(u64::MAX),
        json!(""),
        json!(" "),
        json!("x".repeat(70_000)),
        json!("2099-01-01"),
        json!("2024-02-30"),
        json!("2025-13-01"),
        json!(" 2024-01-01 "),
        json!("\u{0}\u{1b}[2J\u{9b}31m"),
        json!("\u{202e}\u{200d}"),
        json!([]),
        json!({}),
        json!(["person", "person"]),
        json!("seeing_people"),
        json!("listened_to"),
        json!("review"),
        json!("planning"),
        json!("assessment"),
        json!("carer"),
        json!("met"),
        json!("not_met"),
        json!("00000000-0000-0000-0000-000000000000"),
        json!(people().people[2].id.to_string()),
        json!(people().people[0].id.to_string()),
    ]
}

fn tree_op() -> impl Strategy<Value = TreeOp> {
    prop_oneof![
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TreeOp::Replace(a, b)),
        2 => any::<Index>().prop_map(TreeOp::Remove),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TreeOp::AddField(a, b)),
        2 => (any::<Index>(), any::<Index>(), any::<Index>()).prop_map(|(a, b, c)| TreeOp::Graft(a, b, c)),
    ]
}

/// Every JSON pointer in `v`, the root first.
fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(
                    x,
                    format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(here);
}

fn tree_mutate(mut v: Value, ops: &[TreeOp], donors: &[Value]) -> Value {
    let odd = odd_values();
    for o in ops {
        let mut ps = Vec::new();
        pointers(&v, String::new(), &mut ps);
        let pick = |i: &Index| ps[i.index(ps.len())].clone();
        match o {
            TreeOp::Replace(p, x) => {
                if let Some(slot) = v.pointer_mut(&pick(p)) {
                    *slot = odd[x.index(odd.len())].clone();
                }
            }
            TreeOp::Remove(p) => {
                let p = pick(p);
                let Some((parent, last)) = p.rsplit_once('/') else {
                    continue;
                };
                match v.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.remove(&last.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(Value::Array(a)) => {
                        if let Ok(i) = last.parse::<usize>()
                            && i < a.len()
                        {
                            a.remove(i);
                        }
                    }
                    _ => {}
                }
            }
            TreeOp::AddField(p, x) => {
                if let Some(Value::Object(m)) = v.pointer_mut(&pick(p)) {
                    m.insert("own_word".into(), odd[x.index(odd.len())].clone());
                }
            }
            TreeOp::Graft(p, d, q) => {
                let donor = &donors[d.index(donors.len())];
                let mut dps = Vec::new();
                pointers(donor, String::new(), &mut dps);
                let piece = donor
                    .pointer(&dps[q.index(dps.len())])
                    .cloned()
                    .unwrap_or(Value::Null);
                if let Some(slot) = v.pointer_mut(&pick(p)) {
                    *slot = piece;
                }
            }
        }
    }
    v
}

fn record_values() -> &'static Vec<Value> {
    static V: OnceLock<Vec<Value>> = OnceLock::new();
    V.get_or_init(|| {
        record_docs()
            .iter()
            .map(|d| serde_json::from_slice(d).expect("json"))
            .collect()
    })
}

#[test]
fn record_json_never_panics_and_accepts_valid_files() {
    let docs = record_docs();
    let mut runner = runner(cases(0.30, 30_000));
    let started = Instant::now();
    runner
        .run(&case(), |c| {
            let (bytes, valid) = c.bytes(docs);
            let text = String::from_utf8_lossy(&bytes);
            let res = timed("record", &bytes, || record_check(&text));
            match res {
                Ok(convs) => {
                    if valid {
                        let v: Value = serde_json::from_slice(&bytes).expect("json");
                        let n = v["conversations"].as_array().map_or(0, |a| a.len());
                        prop_assert_eq!(convs.len(), n);
                    }
                }
                Err(m) => {
                    prop_assert!(!valid, "a valid file was refused: {m}");
                    prop_assert!(!m.trim().is_empty());
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "record bytes: {} cases in {:?}",
        runner_cases(&runner),
        started.elapsed()
    );
}

#[test]
fn record_json_tree_mutations_are_accepted_only_when_they_still_hold() {
    let values = record_values();
    let mut runner = runner(cases(0.25, 15_000));
    let started = Instant::now();
    runner
        .run(
            &(any::<Index>(), prop::collection::vec(tree_op(), 1..4)),
            |(i, o)| {
                let base = &values[i.index(values.len())];
                let v = tree_mutate(base.clone(), &o, values);
                let text = serde_json::to_string(&v).expect("json");
                let res = timed("record", text.as_bytes(), || record_check(&text));
                match res {
                    Ok(convs) => {
                        // What was accepted is what the file says: every text kept whole.
                        for (c, raw) in convs
                            .iter()
                            .zip(v["conversations"].as_array().into_iter().flatten())
                        {
                            prop_assert_eq!(
                                Some(c.practitioner.as_str()),
                                raw["practitioner"].as_str().or(Some(""))
                            );
                            prop_assert_eq!(
                                Some(c.date.format("%Y-%m-%d").to_string()),
                                raw["date"].as_str().map(|s| s.trim().to_string())
                            );
                            prop_assert!(c.date <= today(), "a future date was accepted");
                        }
                    }
                    Err(m) => prop_assert!(!m.trim().is_empty()),
                }
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "record tree: {} cases in {:?}",
        runner_cases(&runner),
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// Bundles

/// A bundle whose JSON was changed and whose checksum was then made to fit, as someone
/// editing a bundle by hand would: the JSON parser is reached, not only the checksum.
fn rechecksum(json: &[u8]) -> Vec<u8> {
    let mut out = format!("{} {}\n", bundle::MAGIC, bundle::VERSION).into_bytes();
    out.extend_from_slice(json);
    out.extend_from_slice(format!("\nblake3 {}\n", blake3::hash(json).to_hex()).as_bytes());
    out
}

fn bundle_json(doc: &[u8]) -> &[u8] {
    let start = doc.iter().position(|&b| b == b'\n').map_or(0, |p| p + 1);
    let end = doc
        .windows(8)
        .rposition(|w| w == b"\nblake3 ")
        .unwrap_or(doc.len());
    &doc[start..end.max(start)]
}

#[test]
fn bundles_never_panic_and_round_trip() {
    let docs = bundle_docs();
    let jsons: Vec<Vec<u8>> = docs.iter().map(|d| bundle_json(d).to_vec()).collect();
    let mut runner = runner(cases(0.18, 20_000));
    let started = Instant::now();
    runner
        .run(&(case(), any::<bool>()), |(c, refit)| {
            let (bytes, valid) = match (&c, refit) {
                (Case::Mutated(i, o), true) => {
                    let j = mutate(&jsons[i.index(jsons.len())], o, &jsons);
                    (rechecksum(&j), false)
                }
                _ => c.bytes(docs),
            };
            let res = timed("bundle", &bytes, || bundle::decode(&bytes));
            match res {
                Ok(contents) => {
                    if valid && let Case::Valid(i) | Case::Mutated(i, _) = &c {
                        prop_assert_eq!(&contents, &bundle_contents()[i.index(docs.len())]);
                    }
                    // Whatever was accepted is written back and read again the same.
                    let again = bundle::encode(&contents).expect("encode");
                    prop_assert_eq!(bundle::decode(&again).ok(), Some(contents));
                }
                Err(m) => {
                    prop_assert!(!valid, "a valid bundle was refused: {m}");
                    prop_assert!(!m.trim().is_empty());
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "bundles: {} cases in {:?}",
        runner_cases(&runner),
        started.elapsed()
    );
}

// Backups: their file format is being added alongside this suite. When its reader
// lands, give it a test here shaped like the bundle one above (valid backups accepted
// and read back the same; mutated, re-checksummed, truncated and random ones refused
// whole without a panic), and a `tests/corpus/backup/` directory replayed below.

// ---------------------------------------------------------------------------------------
// Dates and periods

/// The rule, written out independently: `YYYY-MM-DD` (surrounding blanks allowed) naming
/// a day that exists.
fn date_oracle(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &t[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

fn date_text() -> impl Strategy<Value = String> {
    let digitish = prop::sample::select(vec![
        '0', '1', '2', '3', '9', '-', ' ', '٣', '３', '+', 'e', '\u{0}', '\u{202e}',
    ]);
    prop_oneof![
        3 => (0i32..10000, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        2 => ((0i32..10000, 0u32..14, 0u32..33), prop::sample::select(vec!["", " ", "\t", "\n", "\u{a0}", "\u{3000}"]), prop::sample::select(vec!["", " ", "\r\n", "x"]))
            .prop_map(|((y, m, d), a, b)| format!("{a}{y:04}-{m:02}-{d:02}{b}")),
        2 => (prop::collection::vec(digitish, 0..14)).prop_map(|v| v.into_iter().collect()),
        1 => "\\PC{0,16}",
        1 => any::<String>(),
    ]
}

#[test]
fn dates_are_accepted_exactly_when_real() {
    let mut runner = runner(cases(0.10, 20_000));
    let started = Instant::now();
    runner
        .run(&date_text(), |s| {
            let got = timed("date", s.as_bytes(), || record::parse_date(&s));
            prop_assert_eq!(got.as_ref().ok().copied(), date_oracle(&s), "{:?}", s);
            if let Err(m) = got {
                prop_assert!(!m.trim().is_empty());
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "dates: {} cases in {:?}",
        runner_cases(&runner),
        started.elapsed()
    );
}

fn period_text() -> impl Strategy<Value = String> {
    let fy =
        (1900i32..2200, -2i32..3).prop_map(|(y, k)| format!("{y}-{:02}", (y + k).rem_euclid(100)));
    prop_oneof![
        2 => fy.clone(),
        2 => (fy, "[0-6qQ]{1,2}", prop::sample::select(vec!["-Q", "-q", "Q", "-", "--Q"])).prop_map(|(f, q, sep)| format!("{f}{sep}{q}")),
        2 => (date_text(), date_text(), prop::sample::select(vec!["..", " .. ", "...", ".", "..."])).prop_map(|(a, b, sep)| format!("{a}{sep}{b}")),
        1 => "[0-9Q.\\- ]{0,24}",
        1 => "\\PC{0,24}",
        1 => any::<String>(),
    ]
}

#[test]
fn periods_never_panic_and_read_back_as_written() {
    let mut runner = runner(cases(0.10, 20_000));
    let started = Instant::now();
    runner
        .run(&period_text(), |s| {
            let got = timed("period", s.as_bytes(), || Period::parse(&s));
            match got {
                Ok(p) => {
                    prop_assert!(p.start() <= p.end(), "{:?} ends before it starts", s);
                    prop_assert_eq!(Period::parse(&p.label()), Ok(p));
                    if let Some((a, b)) = s.trim().split_once("..") {
                        prop_assert_eq!(Some(p.start()), date_oracle(a));
                        prop_assert_eq!(Some(p.end()), date_oracle(b));
                    }
                }
                Err(m) => {
                    prop_assert!(!m.trim().is_empty());
                    // A financial year written right is never refused.
                    let t = s.trim();
                    if t.len() == 7 && t.is_ascii() {
                        let y: Option<i32> = t[..4].parse().ok();
                        let ok = y.is_some_and(|y| {
                            t[..4].bytes().all(|b| b.is_ascii_digit())
                                && t[4..] == format!("-{:02}", (y + 1) % 100)
                        });
                        prop_assert!(!ok, "{:?} was refused: {}", s, m);
                    }
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "periods: {} cases in {:?}",
        runner_cases(&runner),
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// The command line

/// Every subcommand path and option the command line knows, read from clap itself so
/// that commands added later are fuzzed too.
fn arg_words() -> &'static Vec<String> {
    static W: OnceLock<Vec<String>> = OnceLock::new();
    W.get_or_init(|| {
        fn walk(c: &clap::Command, out: &mut Vec<String>) {
            for a in c.get_arguments() {
                if let Some(l) = a.get_long() {
                    out.push(format!("--{l}"));
                }
                if let Some(s) = a.get_short() {
                    out.push(format!("-{s}"));
                }
                for v in a.get_possible_values() {
                    out.push(v.get_name().to_string());
                }
            }
            for s in c.get_subcommands() {
                out.push(s.get_name().to_string());
                walk(s, out);
            }
        }
        let mut out = Vec::new();
        walk(&Cli::command(), &mut out);
        out.extend(
            [
                "-",
                "--",
                "-h",
                "--help",
                "-V",
                "--version",
                "2025-26",
                "2025-26-Q3",
                "2025-04-01..2025-09-30",
                "2024-02-30",
                "1941-03-09",
                "0",
                "-1",
                "5",
                "18446744073709551616",
                "",
                " ",
                "=",
                "--people=1",
                "--store=",
                "a\u{0}b",
                "\u{1b}[2J",
                "\u{202e}",
                "港口",
                "/dev/null",
                ".",
                "..",
            ]
            .map(String::from),
        );
        out.sort();
        out.dedup();
        out
    })
}

#[derive(Clone, Debug)]
enum ArgPiece {
    Word(Index),
    Text(String),
    Bytes(Vec<u8>),
}

fn arg_piece() -> impl Strategy<Value = ArgPiece> {
    prop_oneof![
        8 => any::<Index>().prop_map(ArgPiece::Word),
        2 => "\\PC{0,12}".prop_map(ArgPiece::Text),
        1 => prop::collection::vec(any::<u8>(), 0..12).prop_map(ArgPiece::Bytes),
    ]
}

fn os(p: &ArgPiece) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    match p {
        ArgPiece::Word(i) => arg_words()[i.index(arg_words().len())].clone().into(),
        ArgPiece::Text(s) => s.into(),
        ArgPiece::Bytes(b) => std::ffi::OsString::from_vec(b.clone()),
    }
}

#[test]
fn the_command_line_never_panics_and_usage_errors_exit_2() {
    Cli::command().debug_assert();
    let mut runner = runner(cases(0.05, 8000));
    let started = Instant::now();
    runner
        .run(&prop::collection::vec(arg_piece(), 0..8), |pieces| {
            let mut argv = vec![std::ffi::OsString::from("talking-points")];
            argv.extend(pieces.iter().map(os));
            let shown = format!("{argv:?}");
            let res = timed("arguments", shown.as_bytes(), || {
                Cli::try_parse_from(argv.clone())
                    .map_err(|e| (e.kind(), e.exit_code(), e.render().to_string()))
            });
            if let Err((kind, code, text)) = res {
                use clap::error::ErrorKind;
                let asked = matches!(kind, ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
                prop_assert_eq!(code, if asked { 0 } else { 2 }, "{}: {:?}", shown, kind);
                prop_assert!(!text.trim().is_empty());
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "arguments: {} cases in {:?}",
        runner_cases(&runner),
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// Nothing changes on rejection: the real commands on a real store

use talking_points::cli;
use talking_points::store::Store;

/// Everything a user could see of the store.
fn snapshot(path: &Path) -> String {
    let store = Store::open(path).expect("open the store");
    let contents = bundle::contents_of(&store).expect("read the store");
    let audit = store.audit_entries().expect("audit").len();
    let draft: Option<Value> = store.load_draft("editor").expect("draft");
    format!(
        "{}\n{audit}\n{draft:?}",
        serde_json::to_string(&contents).expect("json")
    )
}

fn run_cli(store: &Path, args: &[&std::ffi::OsStr]) -> Result<String, String> {
    let mut argv: Vec<std::ffi::OsString> = vec!["talking-points".into(), "--store".into()];
    argv.push(store.into());
    argv.extend(args.iter().map(|a| a.to_os_string()));
    let parsed = Cli::try_parse_from(argv).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut err = Vec::new();
    cli::run(parsed, &mut out, &mut err).map_err(|f| f.message)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A store holding the people above and one of the valid files.
fn real_store(dir: &Path) -> PathBuf {
    let path = dir.join("store");
    let store = Store::open(&path).expect("new store");
    store.add_service(&people().service).expect("service");
    for p in &people().people {
        store.add_person(p).expect("person");
    }
    let text = std::str::from_utf8(&record_docs()[1]).expect("utf-8");
    let convs = record::prepare(
        record::parse(text).expect("parse"),
        forms(),
        &store,
        today(),
    )
    .expect("prepare");
    store.save_conversations(&convs).expect("save");
    path
}

#[test]
fn record_and_merge_refused_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = real_store(dir.path());
    let file = dir.path().join("input");
    let counts = Mutex::new([[0usize; 2]; 2]);
    let mut runner = runner(cases(0.0002, 80));
    let started = Instant::now();
    runner
        .run(
            &(
                any::<bool>(),
                any::<Index>(),
                prop::collection::vec(op(), 0..4),
                any::<bool>(),
            ),
            |(merge, i, o, refit)| {
                let bytes = if merge {
                    let docs = bundle_docs();
                    let doc = &docs[i.index(docs.len())];
                    if refit {
                        rechecksum(&mutate(bundle_json(doc), &o, docs))
                    } else {
                        mutate(doc, &o, docs)
                    }
                } else {
                    let docs = record_docs();
                    mutate(&docs[i.index(docs.len())], &o, docs)
                };
                let command = if merge { "merge" } else { "record" };
                std::fs::write(&file, &bytes).expect("write the input");
                let before = snapshot(&store);
                let res = timed("command", &bytes, || {
                    run_cli(&store, &[command.as_ref(), file.as_os_str()])
                });
                let after = snapshot(&store);
                let mut n = counts.lock().expect("counts");
                match res {
                    Err(m) => {
                        n[usize::from(merge)][0] += 1;
                        prop_assert_eq!(
                            &before,
                            &after,
                            "`{}` refused ({}) yet changed the store",
                            command,
                            m
                        );
                        prop_assert!(!m.trim().is_empty());
                    }
                    Ok(out) => {
                        n[usize::from(merge)][1] += 1;
                        for id in out.lines().filter(|l| !l.is_empty() && !merge) {
                            prop_assert!(after.contains(id), "printed id {} is not held", id);
                        }
                    }
                }
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let n = counts.into_inner().expect("counts");
    eprintln!(
        "commands: record refused {} accepted {}, merge refused {} accepted {}, in {:?}",
        n[0][0],
        n[0][1],
        n[1][0],
        n[1][1],
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------
// The kept corpus

fn corpus(parser: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(parser);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} cannot be read: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read a corpus file"),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "the corpus {} is empty", dir.display());
    out
}

/// `ok-…` files must be accepted, `bad-…` refused; others only must not panic or hang.
fn expect(name: &str, accepted: bool, why: &str) {
    if name.starts_with("ok-") {
        assert!(accepted, "corpus {name} was refused: {why}");
    } else if name.starts_with("bad-") {
        assert!(!accepted, "corpus {name} was accepted");
    }
}

#[test]
fn the_corpus_replays() {
    // Forms: `<ok|bad>-<file of the set it replaces>-<what>.toml`.
    for (name, bytes) in corpus("forms") {
        let which = EMBEDDED
            .iter()
            .position(|(n, _)| {
                let stem = Path::new(n)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("");
                name.split('-').nth(1) == Some(stem)
            })
            .unwrap_or_else(|| panic!("corpus forms/{name} names no file of the set"));
        let res = timed("forms", &bytes, || forms_with(which, &bytes));
        expect(&name, res.is_ok(), &format!("{:?}", res.err()));
    }
    for (name, bytes) in corpus("record") {
        let text = String::from_utf8_lossy(&bytes);
        let res = timed("record", &bytes, || record_check(&text));
        expect(&name, res.is_ok(), &format!("{:?}", res.err()));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes) in corpus("bundle") {
        let path = dir.path().join(&name);
        std::fs::write(&path, &bytes).expect("write");
        let res = timed("bundle", &bytes, || bundle::read(&path));
        expect(&name, res.is_ok(), &format!("{:?}", res.err()));
    }
    // Dates, periods and arguments: JSON lists of cases.
    for (name, bytes) in corpus("date") {
        let list: Vec<(String, bool)> = serde_json::from_slice(&bytes).expect(&name);
        for (s, ok) in list {
            let got = timed("date", s.as_bytes(), || record::parse_date(&s));
            assert_eq!(got.is_ok(), ok, "date/{name}: {s:?} gave {got:?}");
        }
    }
    for (name, bytes) in corpus("period") {
        let list: Vec<(String, bool)> = serde_json::from_slice(&bytes).expect(&name);
        for (s, ok) in list {
            let got = timed("period", s.as_bytes(), || Period::parse(&s));
            assert_eq!(got.is_ok(), ok, "period/{name}: {s:?} gave {got:?}");
        }
    }
    for (name, bytes) in corpus("args") {
        let list: Vec<(Vec<String>, bool)> = serde_json::from_slice(&bytes).expect(&name);
        for (args, ok) in list {
            let argv = std::iter::once("talking-points".to_string()).chain(args.iter().cloned());
            let got = timed("arguments", args.join(" ").as_bytes(), || {
                Cli::try_parse_from(argv).map(|_| ()).map_err(|e| e.kind())
            });
            assert_eq!(got.is_ok(), ok, "args/{name}: {args:?} gave {got:?}");
        }
    }
}
