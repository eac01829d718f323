//! The record indexes as a whole: worked out again from the records (after a restore,
//! whose backup leaves them out), and moved once from the one-key-per-entry trees an
//! earlier version kept them in (see [`super::bucketed`]).

use super::bucketed::{
    ALL, DATE_CONVERSATIONS, PERSON_CONVERSATIONS, SERVICE_PEOPLE, service_person_key,
};
use super::envelope::{Kind, decode};
use super::{Result, Store, date_conv_key, person_conv_key};
use crate::domain::{Conversation, Person};

/// Keys moved per batch when an earlier version's index is moved over.
const MOVE_CHUNK: usize = 65_536;

impl Store {
    /// Moves indexes kept by an earlier version into their present trees, then drops the
    /// old trees. Safe to repeat after an interruption: moving a key twice adds nothing.
    pub(crate) fn upgrade_indexes(&self) -> Result<()> {
        let names = self.db.tree_names();
        for (layout, old, convert) in ALL {
            if !names.iter().any(|n| &n[..] == old.as_bytes()) {
                continue;
            }
            let from = self.db.open_tree(old)?;
            let to = self.db.open_tree(layout.name)?;
            let mut keys = Vec::with_capacity(MOVE_CHUNK);
            for k in from.iter().keys() {
                keys.extend(convert(&k?));
                if keys.len() == MOVE_CHUNK {
                    keys.sort_unstable();
                    layout.add_sorted(&to, &keys)?;
                    keys.clear();
                }
            }
            keys.sort_unstable();
            layout.add_sorted(&to, &keys)?;
            self.flush()?;
            self.db.drop_tree(old)?;
            self.flush()?;
        }
        Ok(())
    }

    /// Works the three indexes out again from the records. A record that cannot be read
    /// is left out, as `verify` will say.
    pub(crate) fn rebuild_indexes(&self) -> Result<()> {
        let mut by_service = Vec::new();
        for kv in self.people.iter() {
            let (_, v) = kv?;
            if let Ok(p) = decode::<Person>(Kind::Person, &v) {
                by_service.push(service_person_key(&p.service, &p.id));
            }
        }
        let (mut by_person, mut by_date) = (Vec::new(), Vec::new());
        for kv in self.conversations.iter() {
            let (_, v) = kv?;
            if let Ok(c) = decode::<Conversation>(Kind::Conversation, &v) {
                by_person.push(person_conv_key(&c));
                by_date.push(date_conv_key(&c));
            }
        }
        for (layout, tree, mut keys) in [
            (SERVICE_PEOPLE, &self.idx_service_person, by_service),
            (PERSON_CONVERSATIONS, &self.idx_person_conv, by_person),
            (DATE_CONVERSATIONS, &self.idx_date_conv, by_date),
        ] {
            keys.sort_unstable();
            keys.dedup();
            tree.clear()?;
            layout.add_sorted(tree, &keys)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Id;

    fn reads(s: &Store) -> (Vec<Vec<Id>>, Vec<Vec<Conversation>>, Vec<Conversation>) {
        let services = s.services().expect("services");
        let people = s.people().expect("people");
        (
            services
                .iter()
                .map(|sv| {
                    let ps = s.people_in_service(&sv.id).expect("service");
                    ps.iter().map(|p| p.id).collect()
                })
                .collect(),
            people
                .iter()
                .map(|p| s.conversations_of(&p.id).expect("person"))
                .collect(),
            s.conversations().expect("all"),
        )
    }

    // A store whose indexes an earlier version kept one key per entry opens with them
    // moved into the present trees: the old trees go, and every read agrees.
    #[test]
    fn indexes_an_earlier_version_kept_are_moved_on_open() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("store");
        let forms = crate::forms::Forms::embedded().expect("forms");
        let before = {
            let s = Store::open(&path).expect("open");
            let opts = crate::seed::SeedOptions {
                people: 60,
                seed: 5,
            };
            crate::seed::generate(&s, &forms, &opts, &mut |_| {}).expect("seed");
            reads(&s)
        };
        assert!(before.2.len() > 100, "a store with conversations to index");
        {
            // The indexes as an earlier version kept them.
            let db = sled::open(path.join("db")).expect("db");
            for (layout, old, _) in ALL {
                let now = db.open_tree(layout.name).expect("tree");
                let was = db.open_tree(old).expect("tree");
                for k in layout.iter(&now) {
                    let k = k.expect("key");
                    let k = if layout == SERVICE_PEOPLE {
                        [&k[..16], &k[17..]].concat()
                    } else {
                        k
                    };
                    was.insert(k, &[]).expect("insert");
                }
                db.drop_tree(layout.name).expect("drop");
            }
            db.flush().expect("flush");
        }
        let s = Store::open(&path).expect("reopen");
        let names = s.db.tree_names();
        for (layout, old, _) in ALL {
            assert!(
                !names.iter().any(|n| &n[..] == old.as_bytes()),
                "{old} left"
            );
            assert!(!s.db.open_tree(layout.name).expect("tree").is_empty());
        }
        assert_eq!(reads(&s), before);
        let v = s.verify().expect("verify");
        assert!(v.is_sound(), "{:?}", v.issues);
    }
}
