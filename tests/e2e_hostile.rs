//! The real binary in a pseudo-terminal against hostile input: a megabyte pasted into
//! a text field, a 10,000-character name pasted into the add-person form, and names
//! holding escape sequences and control codes, which must never reach the terminal.

mod common;

use common::pty::{CTRL_S, ENTER, ESC, Tui, cli, store_with_person};
use std::time::{Duration, Instant};

fn conversations(store: &std::path::Path, id: &str) -> Vec<serde_json::Value> {
    let shown: serde_json::Value =
        serde_json::from_str(&cli(store, &["person", "show", id, "--json"])).expect("JSON");
    shown["conversations"]
        .as_array()
        .expect("conversations")
        .clone()
}

/// A megabyte of words in several scripts, with emoji joiners, right-to-left text, tabs
/// and control characters copied from elsewhere; line breaks as `\n`.
fn megabyte() -> String {
    let pieces = [
        "I want to walk to the harbour again with Mòrag, ",
        "港口 王秀英 ",
        "👨\u{200d}👩\u{200d}👧 👍🏽 ",
        "السلام عليكم ",
        "right\u{202e}to left\u{202c} ",
        "bell\u{7} nul\u{0} esc\u{1b}[2J csi\u{9b}31m ",
        "tab\there ",
        "\n",
    ];
    let mut s = String::with_capacity(1 << 20);
    let mut i = 0;
    while s.len() < 1 << 20 {
        s.push_str(pieces[i % pieces.len()]);
        i += 1;
    }
    s
}

#[test]
fn a_megabyte_pasted_through_the_terminal_is_saved_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let id = store_with_person(&store, "Morag MacLeod");
    let text = megabyte();

    let mut tui = Tui::start(&store);
    tui.expect("Morag MacLeod", Duration::from_secs(5));
    tui.settle(0, Duration::from_secs(1));
    tui.press(ENTER);
    tui.press("a");
    tui.expect("About this conversation", Duration::from_secs(2));
    tui.press("\x0e"); // Ctrl-N: the first outcome, into its first field
    tui.expect("What matters, in their words", Duration::from_secs(2));
    // Terminals send a pasted line break as a carriage return.
    let started = Instant::now();
    let from = tui.len();
    tui.paste(&text.replace('\n', "\r"));
    tui.settle(from, Duration::from_secs(30));
    let pasted = started.elapsed();
    let started = Instant::now();
    tui.press("!");
    let key_after = started.elapsed();
    tui.press(CTRL_S);
    tui.expect("Saved", Duration::from_secs(10)); // and back on the person
    tui.press(ESC);
    tui.press("q");
    let status = tui.wait_exit(Duration::from_secs(10));
    assert!(status.as_ref().is_some_and(|s| s.success()), "{status:?}");
    drop(tui);

    let convs = conversations(&store, &id);
    assert_eq!(convs.len(), 1);
    let words = convs[0]["outcomes"][0]["own_words"]
        .as_str()
        .expect("own words");
    assert!(
        words == format!("{text}!"),
        "the saved words differ from the paste: {} bytes saved, {} pasted",
        words.len(),
        text.len() + 1
    );
    eprintln!(
        "1 MB paste through the terminal: read and drawn in {pasted:?}; the next key drawn in {key_after:?}"
    );
    assert!(
        pasted < Duration::from_secs(10),
        "the paste took {pasted:?}"
    );
}

#[test]
fn a_ten_thousand_character_name_pasted_into_the_form_is_added_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    store_with_person(&store, "Morag MacLeod");
    let pieces = [
        "Mòrag ",
        "港口",
        "👨\u{200d}👩\u{200d}👧",
        "عليكم",
        "Ùisdean-",
    ];
    let name: String = pieces
        .iter()
        .cycle()
        .flat_map(|p| p.chars())
        .take(10_000)
        .collect();
    let name = name.trim().to_string();

    let mut tui = Tui::start(&store);
    tui.expect("Morag MacLeod", Duration::from_secs(5));
    tui.settle(0, Duration::from_secs(1));
    tui.press("a");
    tui.expect("Add a person", Duration::from_secs(2));
    let started = Instant::now();
    let from = tui.len();
    tui.paste(&name);
    tui.settle(from, Duration::from_secs(10));
    tui.press(CTRL_S);
    tui.expect("Added", Duration::from_secs(5));
    let took = started.elapsed();
    tui.press("q");
    assert!(tui.wait_exit(Duration::from_secs(5)).is_some());
    drop(tui);

    let list: serde_json::Value =
        serde_json::from_str(&cli(&store, &["person", "list", "--json"])).expect("JSON");
    let names: Vec<&str> = list
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(
        names.contains(&name.as_str()),
        "the long name is not held exactly"
    );
    eprintln!("10,000-character name: pasted and added in {took:?}");
}

#[test]
fn names_with_escape_sequences_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    {
        // As a merged bundle could bring them in: straight into the store.
        let (app, _) = common::fixture::hostile_app(dir.path());
        drop(app);
    }
    let mut tui = Tui::start(&store);
    tui.expect("pwned", Duration::from_secs(5));
    tui.settle(0, Duration::from_secs(1));
    // Every person, their conversation, and back.
    // (Some keys change nothing on some screens: send them and give the program a
    // moment rather than waiting for a redraw.)
    for _ in 0..8 {
        for key in [ENTER, ENTER, "j", ESC, ESC, "j"] {
            tui.send(key.as_bytes());
            std::thread::sleep(Duration::from_millis(40));
        }
    }
    tui.settle(tui.len(), Duration::from_millis(500));
    tui.press("q");
    assert!(tui.wait_exit(Duration::from_secs(5)).is_some());
    let out = tui.out.lock().unwrap().clone();
    drop(tui);
    let found = |needle: &[u8]| out.windows(needle.len()).any(|w| w == needle);
    for (what, bytes) in [
        ("an OSC sequence (window title)", &b"\x1b]"[..]),
        ("BEL", b"\x07"),
        ("NUL", b"\x00"),
        ("DEL", b"\x7f"),
        ("a C1 CSI", "\u{9b}".as_bytes()),
        ("a right-to-left override", "\u{202e}".as_bytes()),
        ("a directional isolate", "\u{2066}".as_bytes()),
        ("the injected clear and home", b"\x1b[2J\x1b[H"),
    ] {
        assert!(!found(bytes), "{what} reached the terminal");
    }
    // What can be shown is shown.
    assert!(
        found(b"]0;pwned"),
        "the printable part of the name is drawn"
    );
}
