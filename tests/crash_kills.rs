//! SIGKILL at a random moment during `merge`, `seed`, `record` of conversations large
//! enough to leave the database's main file, and typing in the interface. After each
//! kill the store opens (no "in use"), `verify` passes, everything saved before is
//! intact, a merge is all or nothing, every id `record` printed is held with its words,
//! and the draft holds everything typed more than a second before the kill.
//!
//! Each kill lands at a random moment within the time the command takes on this
//! machine, measured first. `CRASH_SCALE=N` runs N times as many trials (see
//! `scripts/crash-trials`).

mod common;

use common::pty::{BIN, CTRL_S, ENTER, TODAY, Tui};
use serde_json::{Value, json};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn scale() -> usize {
    std::env::var("CRASH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// xorshift64*: kill moments reproducible from the trial number.
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
        self.next() % n.max(1)
    }
    /// A moment within `d`.
    fn within(&mut self, d: Duration) -> Duration {
        Duration::from_micros(self.below(d.as_micros() as u64))
    }
}

fn tp(store: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--store")
        .arg(store)
        .env("TALKING_POINTS_TODAY", TODAY)
        .env_remove("TALKING_POINTS_FORMS")
        .env_remove("TALKING_POINTS_STORE")
        .stdin(Stdio::null());
    c
}

/// Runs the binary and insists on success, naming "in use" if that is the reason.
fn run_ok(store: &Path, args: &[&str], context: &str) -> String {
    let out = tp(store).args(args).output().expect("run talking-points");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("in use"),
        "{context}: the store is still locked after the kill: {stderr}"
    );
    assert!(
        out.status.success(),
        "{context}: `talking-points {}` failed ({}): {stderr}",
        args.join(" "),
        out.status
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// `verify` passes; returns its counts (services, people, conversations).
fn sound(store: &Path, context: &str) -> (u64, u64, u64) {
    let v = run_ok(store, &["verify"], context);
    assert!(v.starts_with("store is sound"), "{context}: verify: {v}");
    let n: Vec<u64> = v
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    (n[0], n[1], n[2])
}

fn show(store: &Path, id: &str, context: &str) -> Value {
    serde_json::from_str(&run_ok(store, &["person", "show", id, "--json"], context))
        .expect("person show --json")
}

/// A copy as `cp -a` makes it: the store's owner-only modes come along.
fn copy_dir(from: &Path, to: &Path) {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(to)
        .expect("make a directory");
    for e in std::fs::read_dir(from).expect("read a directory").flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy a file");
        }
    }
}

/// Runs `cmd`, kills it (SIGKILL) after `after` unless it has finished, and reaps it.
/// Returns whether the kill landed on a running process, and its standard output.
fn run_and_kill(mut cmd: Command, after: Duration) -> (bool, Vec<u8>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let began = Instant::now();
    let landed = loop {
        if child.try_wait().expect("wait").is_some() {
            break false;
        }
        if began.elapsed() >= after {
            // `Child::kill` is SIGKILL on Unix; `wait` reaps it, its lock with it.
            let _ = child.kill();
            break true;
        }
        std::thread::sleep(Duration::from_micros(200));
    };
    let _ = child.wait();
    let mut out = Vec::new();
    let _ = child.stdout.take().expect("stdout").read_to_end(&mut out);
    (landed, out)
}

/// How long `args` takes on a copy of `base` (the middle of three runs), so kills can
/// land across all of it.
fn calibrate(base: &Path, work: &Path, args: &[&str]) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let store = work.join("calibrate");
            copy_dir(base, &store);
            let began = Instant::now();
            run_ok(&store, args, "calibration");
            let took = began.elapsed();
            std::fs::remove_dir_all(&store).expect("clean up");
            took
        })
        .collect();
    times.sort();
    times[1]
}

/// A store with one service, two people, and their conversations: one small, one of
/// about 200 KiB (the database keeps values that large in files of their own).
struct Base {
    _dir: tempfile::TempDir,
    store: PathBuf,
    people: [String; 2],
    shown: [Value; 2],
}

fn conversation_file(person: &str, words: &str, practitioner: &str) -> String {
    json!({"conversations": [
        {"person": person, "stage": "assessment", "date": "2025-05-02", "practitioner": practitioner,
         "participants": ["person"],
         "outcomes": [{"outcome": "seeing_people", "own_words": words, "why": "港口 🚶", "priority": true}]},
        {"person": person, "stage": "planning", "date": "2025-05-09", "practitioner": practitioner,
         "review_by": "2025-08-01",
         "outcomes": [{"outcome": "seeing_people", "statement": "Mòrag's walking group",
                       "actions": [{"who": "community", "what": "a volunteer walks with me", "by": "2025-06-01"}]}]}
    ]})
    .to_string()
}

fn large_words() -> String {
    "Bha mi aig a' bhùth 港口 🚶 السلام عليكم ".repeat(4500)
}

impl Base {
    fn new() -> Base {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = dir.path().join("base");
        run_ok(
            &store,
            &[
                "org",
                "add",
                "--partnership",
                "Glenmore HSCP",
                "--organisation",
                "Glenmore Council",
                "--service",
                "Reablement",
            ],
            "setup",
        );
        let add = |name: &str| {
            run_ok(
                &store,
                &["person", "add", "--name", name, "--service", "Reablement"],
                "setup",
            )
            .trim()
            .to_string()
        };
        let people = [add("Morag MacLeod"), add("王秀英")];
        for (p, words) in people.iter().zip(["small words", &large_words()]) {
            let f = dir.path().join("setup.json");
            std::fs::write(&f, conversation_file(p, words, "J. Byrne")).expect("write");
            run_ok(&store, &["record", f.to_str().expect("path")], "setup");
        }
        let shown = [
            show(&store, &people[0], "setup"),
            show(&store, &people[1], "setup"),
        ];
        Base {
            _dir: dir,
            store,
            people,
            shown,
        }
    }

    /// The base's people and conversations are all still there, unchanged.
    fn intact(&self, store: &Path, context: &str) {
        for (p, before) in self.people.iter().zip(&self.shown) {
            let now = show(store, p, context);
            let kept = |v: &Value| v["conversations"].as_array().cloned().unwrap_or_default();
            assert_eq!(
                now["person"], before["person"],
                "{context}: a person changed"
            );
            let now_convs = kept(&now);
            for c in kept(before) {
                assert!(
                    now_convs.contains(&c),
                    "{context}: a saved conversation changed or vanished"
                );
            }
        }
    }
}

/// Kills that must land on a running process in each test; trials go on until they
/// have (a kill can come after the command has finished), up to three times as many.
fn wanted(n: usize) -> usize {
    n * scale()
}

/// Prints and checks how many kills landed on a running process.
fn report(what: &str, landed: usize, trials: usize, wanted: usize, started: Instant) {
    eprintln!(
        "{what}: {landed} kills landed on a running process in {trials} trials ({:?})",
        started.elapsed()
    );
    assert!(
        landed >= wanted,
        "{what}: only {landed} of {trials} kills landed, {wanted} wanted; the timing is off"
    );
}

#[test]
fn merge_killed_at_random_is_all_or_nothing() {
    let started = Instant::now();
    let base = Base::new();
    let work = tempfile::tempdir().expect("temp dir");
    // Three bundles of 200 people each, with their own services and people.
    let bundles: Vec<(PathBuf, u64, u64)> = (0..3)
        .map(|k| {
            let src = work.path().join(format!("source{k}"));
            run_ok(
                &src,
                &["seed", "--people", "200", "--seed", &(k + 11).to_string()],
                "setup",
            );
            let (_, people, convs) = sound(&src, "setup");
            let b = work.path().join(format!("b{k}.bundle"));
            run_ok(
                &src,
                &["bundle", "--out", b.to_str().expect("path")],
                "setup",
            );
            (b, people, convs)
        })
        .collect();
    let (_, base_people, base_convs) = sound(&base.store, "setup");
    let mut took = calibrate(
        &base.store,
        work.path(),
        &["merge", bundles[0].0.to_str().expect("path")],
    );
    let want = wanted(55);
    let mut landed = 0;
    let mut trials = 0;
    while landed < want && trials < 3 * want {
        let t = trials;
        trials += 1;
        let mut rng = Rng::new(t as u64);
        let (bundle, people, convs) = &bundles[t % bundles.len()];
        let store = work.path().join(format!("t{t}"));
        copy_dir(&base.store, &store);
        let after = rng.within(took * 17 / 20);
        let context = format!("merge trial {t}, kill after {after:?}");
        let mut cmd = tp(&store);
        cmd.arg("merge").arg(bundle);
        let (hit, _) = run_and_kill(cmd, after);
        landed += usize::from(hit);
        if !hit {
            // The command ran faster than calibrated (a busy machine calibrates slow).
            took = took * 4 / 5;
        }
        let (_, p, c) = sound(&store, &context);
        let none = (base_people, base_convs);
        let all = (base_people + people, base_convs + convs);
        assert!(
            (p, c) == none || (p, c) == all,
            "{context}: the merge is held in part: {p} people, {c} conversations \
             (none: {none:?}, all: {all:?})"
        );
        base.intact(&store, &context);
        if t % 7 == 0 {
            // The store takes the merge again, whole.
            run_ok(&store, &["merge", bundle.to_str().expect("path")], &context);
            let (_, p, c) = sound(&store, &context);
            assert_eq!((p, c), all, "{context}: the merge after the kill");
        }
        std::fs::remove_dir_all(&store).expect("clean up");
    }
    report("merge", landed, trials, want, started);
}

#[test]
fn seed_killed_at_random_keeps_the_store_sound() {
    let started = Instant::now();
    let base = Base::new();
    let work = tempfile::tempdir().expect("temp dir");
    let mut took = calibrate(&base.store, work.path(), &["seed", "--people", "400"]);
    let want = wanted(45);
    let mut landed = 0;
    let mut trials = 0;
    let next = work.path().join("next.json");
    std::fs::write(
        &next,
        conversation_file(&base.people[0], "after the kill", "A. N. Other"),
    )
    .expect("write");
    while landed < want && trials < 3 * want {
        let t = trials;
        trials += 1;
        let mut rng = Rng::new(1000 + t as u64);
        let store = work.path().join(format!("t{t}"));
        copy_dir(&base.store, &store);
        let after = rng.within(took * 17 / 20);
        let context = format!("seed trial {t}, kill after {after:?}");
        let mut cmd = tp(&store);
        cmd.args(["seed", "--people", "400", "--seed", &t.to_string()]);
        let (hit, _) = run_and_kill(cmd, after);
        landed += usize::from(hit);
        if !hit {
            // The command ran faster than calibrated (a busy machine calibrates slow).
            took = took * 4 / 5;
        }
        sound(&store, &context);
        base.intact(&store, &context);
        if t % 5 == 0 {
            // The store takes more records.
            run_ok(&store, &["record", next.to_str().expect("path")], &context);
            sound(&store, &context);
        }
        std::fs::remove_dir_all(&store).expect("clean up");
    }
    report("seed", landed, trials, want, started);
}

#[test]
fn record_of_large_conversations_killed_at_random_keeps_every_printed_id() {
    let started = Instant::now();
    let base = Base::new();
    let work = tempfile::tempdir().expect("temp dir");
    let words = format!("{} — the second time", large_words());
    let file = work.path().join("large.json");
    std::fs::write(
        &file,
        conversation_file(&base.people[0], &words, "Large F. Practitioner"),
    )
    .expect("write");
    let mut took = calibrate(
        &base.store,
        work.path(),
        &["record", file.to_str().expect("path")],
    );
    let want = wanted(45);
    let mut landed = 0;
    let mut trials = 0;
    while landed < want && trials < 3 * want {
        let t = trials;
        trials += 1;
        let mut rng = Rng::new(2000 + t as u64);
        let store = work.path().join(format!("t{t}"));
        copy_dir(&base.store, &store);
        let after = rng.within(took * 17 / 20);
        let context = format!("record trial {t}, kill after {after:?}");
        let mut cmd = tp(&store);
        cmd.arg("record").arg(&file);
        let (hit, out) = run_and_kill(cmd, after);
        landed += usize::from(hit);
        if !hit {
            // The command ran faster than calibrated (a busy machine calibrates slow).
            took = took * 4 / 5;
        }
        let text = String::from_utf8_lossy(&out);
        let mut lines: Vec<&str> = text.split('\n').collect();
        lines.pop(); // a line cut short by the kill does not count
        sound(&store, &context);
        base.intact(&store, &context);
        let now = show(&store, &base.people[0], &context);
        let new: Vec<&Value> = now["conversations"]
            .as_array()
            .expect("conversations")
            .iter()
            .filter(|c| c["practitioner"] == "Large F. Practitioner")
            .collect();
        assert!(
            new.is_empty() || new.len() == 2,
            "{context}: the file is held in part"
        );
        if let Some(a) = new.iter().find(|c| c["stage"] == "assessment") {
            assert_eq!(
                a["outcomes"][0]["own_words"].as_str(),
                Some(words.as_str()),
                "{context}: the large words changed"
            );
        }
        for id in lines {
            assert!(
                new.iter().any(|c| c["id"] == id),
                "{context}: printed id {id} is not held"
            );
        }
        std::fs::remove_dir_all(&store).expect("clean up");
    }
    report("record (large)", landed, trials, want, started);
}

/// What the draft holds in the first outcome's own words, read from the store.
fn drafted_words(store: &Path) -> Option<String> {
    use talking_points::tui::editor::{Draft, FieldKind};
    use talking_points::tui::field::Value as FieldValue;
    let s = talking_points::store::Store::open(store).expect("open the store after the kill");
    let d: Draft = s.load_draft("editor").expect("read the draft")?;
    d.values.values().flatten().find_map(|(k, v)| match (k, v) {
        (FieldKind::OwnWords, FieldValue::Text(t)) => Some(t.clone()),
        _ => None,
    })
}

/// One typing trial: opens a new assessment, types at a person's pace, now and then
/// saves, and is killed at a random moment. Returns whether the kill landed.
fn typing_trial(base: &Base, work: &Path, t: usize) -> bool {
    const CHARS: &[char] = &[
        'a', 'e', 'r', ' ', 'M', 'ò', '港', '口', '🚶', 'ش', '.', 'z',
    ];
    let mut rng = Rng::new(3000 + t as u64);
    let store = work.join(format!("t{t}"));
    copy_dir(&base.store, &store);
    let context = format!("typing trial {t}");
    let mut tui = Tui::start(&store);
    tui.expect("Morag MacLeod", Duration::from_secs(10));
    tui.settle(0, Duration::from_secs(1));
    tui.press(ENTER);
    tui.press("a");
    tui.expect("About this conversation", Duration::from_secs(5));
    tui.press("\x0e"); // Ctrl-N: the first outcome, into its first field
    tui.expect("What matters, in their words", Duration::from_secs(5));
    let save_at = (rng.below(3) == 0).then(|| 5 + rng.below(20) as usize);
    let typing_for = Duration::from_millis(300 + rng.below(2200));
    let began = Instant::now();
    let mut typed: Vec<(Instant, char)> = Vec::new();
    let mut saved: Option<String> = None;
    while began.elapsed() < typing_for {
        let c = CHARS[rng.below(CHARS.len() as u64) as usize];
        let mut b = [0u8; 4];
        tui.send(c.encode_utf8(&mut b).as_bytes());
        typed.push((Instant::now(), c));
        if save_at == Some(typed.len()) {
            tui.press(CTRL_S);
            tui.expect("Saved", Duration::from_secs(5));
            saved = Some(typed.iter().map(|x| x.1).collect());
            // Saving goes back to the person: the typing is over.
            break;
        }
        std::thread::sleep(Duration::from_millis(10 + rng.below(80)));
    }
    let killed_at = Instant::now();
    let landed = tui.kill_9();
    drop(tui);

    sound(&store, &context);
    base.intact(&store, &context);
    let all: String = typed.iter().map(|x| x.1).collect();
    let old_enough: String = typed
        .iter()
        .filter(|x| killed_at.duration_since(x.0) > Duration::from_millis(1100))
        .map(|x| x.1)
        .collect();
    if let Some(words) = &saved {
        let now = show(&store, &base.people[0], &context);
        let held = now["conversations"]
            .as_array()
            .expect("conversations")
            .iter()
            .any(|c| c["outcomes"][0]["own_words"].as_str() == Some(words));
        assert!(held, "{context}: the saved words {words:?} are not held");
    }
    let draft = drafted_words(&store);
    match &draft {
        Some(d) => {
            assert!(
                all.starts_with(d.as_str()),
                "{context}: the draft {d:?} is not what was typed {all:?}"
            );
            assert!(
                d.chars().count() >= old_enough.chars().count(),
                "{context}: the draft {d:?} lacks words typed over a second before the kill: {old_enough:?}"
            );
        }
        None => assert!(
            saved.as_ref().map_or(0, |w| w.chars().count()) >= old_enough.chars().count(),
            "{context}: no draft, yet {old_enough:?} was typed over a second before the kill"
        ),
    }
    std::fs::remove_dir_all(&store).expect("clean up");
    landed
}

#[test]
fn typing_killed_at_random_keeps_the_draft() {
    let started = Instant::now();
    let base = Base::new();
    let work = tempfile::tempdir().expect("temp dir");
    let trials = wanted(24);
    // Three typists at once: the trials spend most of their time waiting.
    let landed: usize = std::thread::scope(|s| {
        let hands: Vec<_> = (0..3)
            .map(|k| {
                let (base, work) = (&base, work.path());
                s.spawn(move || {
                    (0..trials)
                        .filter(|t| t % 3 == k)
                        .filter(|t| typing_trial(base, work, *t))
                        .count()
                })
            })
            .collect();
        hands
            .into_iter()
            .map(|h| h.join().expect("a typing trial failed"))
            .sum()
    });
    report("typing", landed, trials, trials, started);
}
