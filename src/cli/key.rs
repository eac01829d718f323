//! `key export`, `key import` and `key fingerprint`: one partnership key in every store,
//! so the same person has the same pseudonym in every export (see
//! [`crate::partnership_key`]). The key itself is only ever written to an owner-only
//! file; commands print its fingerprint.

use super::{Failure, Out, open_store};
use crate::partnership_key::{decode, encode, fingerprint};
use clap::Subcommand;
use std::path::{Path, PathBuf};

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Write this store's key to FILE (owner-only), to import into the partnership's
    /// other stores.
    Export {
        /// The file to write the key to (created owner-only); keep it as safe as the
        /// store, as it links pseudonyms back to people.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Make the key in FILE this store's key (needs --replace when the store holds
    /// records and a different key).
    Import {
        /// The key file, as `key export --out` wrote it in another store.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Replace a different key the store already uses: pseudonyms in new exports
        /// change, and no longer match earlier exports from this store.
        #[arg(long)]
        replace: bool,
    },
    /// Print a short fingerprint of the store's key, to check that two stores hold the
    /// same key without showing it.
    Fingerprint,
}

pub fn run(cli: &super::args::Cli, cmd: &KeyCommand, out: Out) -> Result<(), Failure> {
    match cmd {
        KeyCommand::Export { out: file } => export(cli, file, out),
        KeyCommand::Import { file, replace } => import(cli, file, *replace, out),
        KeyCommand::Fingerprint => {
            let store = open_store(cli)?;
            writeln!(out, "{}", fingerprint(&store.secret()?))?;
            Ok(())
        }
    }
}

fn export(cli: &super::args::Cli, file: &Path, out: Out) -> Result<(), Failure> {
    let store = open_store(cli)?;
    let key = store.secret()?;
    crate::outfile::write_bytes(file, encode(&key).as_bytes())?;
    let fp = fingerprint(&key);
    store.log("key export", "store", &fp)?;
    writeln!(
        out,
        "wrote the key (fingerprint {fp}) to {}; keep it owner-only, and import it into each of the partnership's stores with `talking-points key import FILE`",
        file.display()
    )?;
    Ok(())
}

fn import(cli: &super::args::Cli, file: &Path, replace: bool, out: Out) -> Result<(), Failure> {
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", file.display())))?;
    let key = decode(&bytes).map_err(|why| {
        Failure::new(format!(
            "{} is not a partnership key file ({why}); use the file `talking-points key export` wrote",
            file.display()
        ))
    })?;
    let store = open_store(cli)?;
    let old = store.secret()?;
    let (old_fp, new_fp) = (fingerprint(&old), fingerprint(&key));
    if old == key {
        writeln!(
            out,
            "this store already uses that key (fingerprint {new_fp}); nothing changed"
        )?;
        return Ok(());
    }
    // A store with no records has published no pseudonyms worth keeping.
    if !replace && !store.is_empty()? {
        return Err(Failure::new(format!(
            "this store already has records and a different key (fingerprint {old_fp}, the file's is {new_fp}); \
             if you replace it, pseudonyms in new exports will change and no longer match earlier \
             exports from this store: add --replace to go ahead"
        )));
    }
    store.replace_secret(&key)?;
    store.log("key import", "store", &format!("{old_fp} -> {new_fp}"))?;
    writeln!(
        out,
        "this store now uses the partnership key (fingerprint {new_fp}, was {old_fp}); \
         pseudonyms in new exports are the partnership's"
    )?;
    warn_if_shared(file, out)?;
    Ok(())
}

/// A key file other accounts can read lets them make the partnership's pseudonyms; say
/// so rather than change a file the user owns.
#[cfg(unix)]
fn warn_if_shared(file: &Path, out: Out) -> Result<(), Failure> {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(m) = std::fs::metadata(file)
        && m.permissions().mode() & 0o077 != 0
    {
        writeln!(
            out,
            "note: {} can be read by other accounts; delete it or make it owner-only (chmod 600)",
            file.display()
        )?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn warn_if_shared(_: &Path, _: Out) -> Result<(), Failure> {
    Ok(())
}
