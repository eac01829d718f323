//! `backup`, `restore` and `salvage`: keeping the records safe, and getting them back.

use super::{Failure, Out, default_store};
use crate::store::envelope::Kind;
use crate::store::salvage::Scan;
use crate::store::{Store, errors};
use std::path::{Path, PathBuf};

fn store_path(cli: &super::args::Cli) -> Result<PathBuf, Failure> {
    match &cli.store {
        Some(p) => Ok(p.clone()),
        None => default_store(),
    }
}

/// `verify`; when the database cannot even be opened, its files are read directly and
/// the records found damaged there are named.
pub fn verify(cli: &super::args::Cli, out: Out) -> Result<(), Failure> {
    let store = match super::open_store(cli) {
        Ok(s) => s,
        Err(f) => {
            let path = store_path(cli)?;
            if f.message.contains("salvage") && path.join("db").is_dir() {
                name_damage(&path, out)?;
            }
            return Err(f);
        }
    };
    super::verify(&store, out)
}

/// Lists the records whose every copy in the files fails its checksum.
fn name_damage(path: &Path, out: Out) -> Result<(), Failure> {
    let Ok(scan) = Scan::store_dir(path) else {
        return Ok(());
    };
    let mut lost: Vec<_> = scan
        .damaged
        .keys()
        .filter(|k| !scan.good.contains_key(*k))
        .collect();
    lost.sort();
    for (kind, key) in lost {
        writeln!(
            out,
            "{} {}: every copy in the database files fails its checksum",
            kind.name(),
            crate::store::show_key(key)
        )?;
    }
    Ok(())
}

pub fn backup(store: &Store, file: &Path, out: Out) -> Result<(), Failure> {
    let counts = store.backup(file)?;
    writeln!(
        out,
        "backed up {} into {} (restore it with `talking-points --store NEWSTORE restore {}`)",
        counts.line(),
        file.display(),
        file.display()
    )?;
    Ok(())
}

pub fn restore(cli: &super::args::Cli, file: &Path, out: Out) -> Result<(), Failure> {
    let path = store_path(cli)?;
    let store = Store::open_for_import(&path)?;
    store.keep_until_exit();
    let counts = store.restore(file)?;
    let r = store.verify()?;
    if !r.is_sound() {
        return Err(Failure::new(format!(
            "restored {} into {}, but verify finds {} problem(s); run `talking-points verify` to see them",
            counts.line(),
            path.display(),
            r.issues.len()
        )));
    }
    writeln!(
        out,
        "restored {} into {}; the store is sound",
        counts.line(),
        path.display()
    )?;
    Ok(())
}

pub fn salvage(cli: &super::args::Cli, new_store: &Path, out: Out) -> Result<(), Failure> {
    let source = store_path(cli)?;
    if !source.join("db").is_dir() {
        return Err(Failure::new(format!(
            "{} holds no talking-points database to salvage; give the damaged store with --store DIR",
            source.display()
        )));
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&source, new_store) {
        return Err(Failure::usage(
            "salvage writes into a new store; give --out a directory other than the damaged store",
        ));
    }
    // Nobody may write the damaged store while its files are read.
    let Some(_lock) = crate::store::guard::take_store_lock(&source)
        .map_err(|e| Failure::new(errors::describe_io(&source, &e)))?
    else {
        return Err(Failure::new(format!(
            "store {} is in use by another talking-points process; close it and salvage again",
            source.display()
        )));
    };
    let scan =
        Scan::store_dir(&source).map_err(|e| Failure::new(errors::describe_io(&source, &e)))?;
    let target = Store::open_for_import(new_store)?;
    target.keep_until_exit();
    let report = target.salvage_from(&scan)?;
    let verdict = target.verify()?;
    target.log(
        "salvage",
        "store",
        &format!("{} recovered, {} lost", report.recovered(), report.lost()),
    )?;
    writeln!(
        out,
        "read {} files ({} bytes) of {}",
        report.files,
        report.bytes,
        source.display()
    )?;
    for kind in Kind::ALL {
        let Some(t) = report.tallies.get(&kind) else {
            continue;
        };
        let mut line = format!(
            "  {:<18} {:>7} recovered, {:>5} lost",
            kind.name(),
            t.recovered,
            t.lost
        );
        if t.older > 0 {
            line.push_str(&format!(", {} from an older copy", t.older));
        }
        if t.left_out > 0 {
            line.push_str(&format!(
                ", {} left out (erased, or their service or person was lost)",
                t.left_out
            ));
        }
        writeln!(out, "{line}")?;
    }
    if report.unidentified > 0 {
        writeln!(
            out,
            "  {} damaged fragments could not be matched to a record",
            report.unidentified
        )?;
    }
    if !report.secret_found {
        writeln!(
            out,
            "  the store's secret key was lost: person keys in new exports will differ from earlier ones"
        )?;
    }
    writeln!(
        out,
        "salvaged {} records into {} ({} lost); records deleted before the damage may have come back, so check drafts",
        report.recovered(),
        new_store.display(),
        report.lost()
    )?;
    if !verdict.is_sound() {
        return Err(Failure::new(format!(
            "the salvaged store has {} problem(s); run `talking-points --store {} verify` to see them",
            verdict.issues.len(),
            new_store.display()
        )));
    }
    Ok(())
}
