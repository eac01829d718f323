//! The national mapping in the built-in forms is justified, outcome by outcome, by the
//! seed's "what people can expect" lines quoted word for word above each `national` list.

use std::collections::BTreeSet;
use talking_points::forms::Forms;

#[test]
fn every_national_mapping_quotes_a_seed_line_for_each_outcome_it_names() {
    let forms = Forms::embedded().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("forms");
    let mut reached = BTreeSet::new();
    for file in ["adult.toml", "carer.toml"] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut outcome = String::new();
        let mut quoted: BTreeSet<u8> = BTreeSet::new();
        let mut mapped = 0;
        for line in text.lines() {
            if let Some(id) = line.strip_prefix("id = \"") {
                outcome = id.trim_end_matches('"').to_string();
                quoted.clear();
            } else if let Some(q) = line.strip_prefix("#   ") {
                let (n, quote) = q.split_once(": ").unwrap();
                let n: u8 = n.parse().unwrap();
                let quote = quote.trim_matches('"');
                let national = forms
                    .national
                    .outcomes
                    .iter()
                    .find(|o| o.number == n)
                    .unwrap();
                assert!(
                    national.expect.iter().any(|e| e.contains(quote)),
                    "{file} {outcome}: \"{quote}\" is not one of outcome {n}'s lines"
                );
                quoted.insert(n);
            } else if let Some(list) = line.strip_prefix("national = [") {
                let nums: BTreeSet<u8> = list
                    .trim_end_matches(']')
                    .split(',')
                    .map(|n| n.trim().parse().unwrap())
                    .collect();
                assert_eq!(
                    nums, quoted,
                    "{file} {outcome}: each national outcome has its quote"
                );
                reached.extend(nums);
                mapped += 1;
            }
        }
        let fw = forms
            .frameworks
            .iter()
            .find(|f| format!("{}.toml", f.id) == file)
            .unwrap();
        assert_eq!(mapped, fw.outcomes.len(), "{file}: every outcome is mapped");
    }
    // Every national outcome but the workforce one (8) is reached.
    assert_eq!(reached, (1..=9).filter(|n| *n != 8).collect());
    // The adult outcomes the seed's outcome 9 lines describe reach it.
    let adult = forms.frameworks.iter().find(|f| f.id == "adult").unwrap();
    for id in ["responded_to", "reliability"] {
        assert!(adult.outcome(id).unwrap().national.contains(&9), "{id}");
    }
    // A carer's outcomes use only lines a carer could say: not outcome 4's, which speak
    // for people who use services themselves.
    let carer = forms.frameworks.iter().find(|f| f.id == "carer").unwrap();
    assert!(carer.outcomes.iter().all(|o| !o.national.contains(&4)));
}

#[test]
fn category_and_outcome_labels_spell_cared_for_one_way() {
    let forms = Forms::embedded().unwrap();
    for f in &forms.frameworks {
        let labels = f
            .categories
            .iter()
            .map(|c| &c.label)
            .chain(f.outcomes.iter().map(|o| &o.label));
        for l in labels {
            assert!(
                !l.contains("cared for person"),
                "{l}: write cared-for person"
            );
        }
    }
}
