//! The full build is the oracle: helpers that compare an incremental session's output with
//! a fresh full build of the same files.

use docshift::pipeline::{BuildOptions, Change, FileMap, Round, Session};
use std::collections::BTreeMap;
use std::path::Path;

/// The bytes of every output file, by path.
pub fn materialize(files: &FileMap) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(path, file)| {
            let bytes = file.contents.read().expect("copied file exists");
            (path.clone(), bytes)
        })
        .collect()
}

/// A fresh full build of the site at `root`: its files and its round.
pub fn full_build(root: &Path) -> (BTreeMap<String, Vec<u8>>, Round) {
    full_build_with(root, BuildOptions::default())
}

/// [`full_build`] with `options`.
pub fn full_build_with(root: &Path, options: BuildOptions) -> (BTreeMap<String, Vec<u8>>, Round) {
    let mut session = Session::new(super::settings(root), options);
    let round = session.rebuild(&Change::Everything).expect("full build");
    (materialize(session.files().expect("files")), round)
}

/// Asserts that `session` (after `round`) has the same findings, counts, pages and output
/// bytes as a fresh full build; returns the full build's round.
pub fn assert_same_as_full(session: &Session, round: &Round, root: &Path, step: &str) -> Round {
    let incremental = materialize(session.files().expect("files"));
    let (full, full_round) = full_build_with(root, session.options());
    assert_eq!(
        round.diagnostics, full_round.diagnostics,
        "{step}: same findings"
    );
    assert_eq!(round.counts, full_round.counts, "{step}: same link counts");
    assert_eq!(round.pages, full_round.pages, "{step}: same pages");
    let inc_keys: Vec<_> = incremental.keys().collect();
    let full_keys: Vec<_> = full.keys().collect();
    assert_eq!(inc_keys, full_keys, "{step}: same set of files");
    for (path, bytes) in &full {
        assert!(
            incremental[path] == *bytes,
            "{step}: {path} differs from the full build:\n--- incremental\n{}\n--- full\n{}",
            String::from_utf8_lossy(&incremental[path]),
            String::from_utf8_lossy(bytes)
        );
    }
    full_round
}
