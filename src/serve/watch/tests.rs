use super::poll::{diff, Meta, Snapshot};
use super::*;
use std::sync::mpsc::channel;

fn layout() -> Layout {
    Layout {
        root: PathBuf::from("/site"),
        content: PathBuf::from("/site/content"),
        templates: PathBuf::from("/site/templates"),
        statics: PathBuf::from("/site/static"),
        config: PathBuf::from("/site/site.yaml"),
        output: PathBuf::from("/site/public"),
    }
}

fn paths(list: &[&str]) -> Vec<PathBuf> {
    list.iter().map(PathBuf::from).collect()
}

fn content(list: &[&str]) -> Rebuild {
    Rebuild {
        full: false,
        files: ChangedFiles {
            content: list.iter().map(|s| s.to_string()).collect(),
            statics: Default::default(),
        },
    }
}

#[test]
fn content_edits_name_the_file() {
    let got = classify(&paths(&["/site/content/guide/a.md"]), &layout());
    assert_eq!(got, content(&["guide/a.md"]));
}

#[test]
fn a_docsets_docfx_json_is_configuration() {
    let got = classify(&paths(&["/site/content/docfx.json"]), &layout());
    assert!(got.full, "{got:?}");
    let got = classify(&paths(&["/site/content/guide/docfx.json"]), &layout());
    assert_eq!(
        got,
        content(&["guide/docfx.json"]),
        "only the content root's is read"
    );
}

#[test]
fn atomic_saves_collapse_to_the_saved_file() {
    // Write to a temporary file, then rename over the original (VS Code, Sublime, gedit...).
    let got = classify(
        &paths(&[
            "/site/content/guide/a.md.tmp",
            "/site/content/guide/.a.md.swp",
            "/site/content/guide/a.md",
            "/site/content/guide/a.md",
        ]),
        &layout(),
    );
    assert_eq!(got, content(&["guide/a.md"]));
    // Vim: write test file 4913, move the original to a backup `~`, write, delete the backup.
    let got = classify(
        &paths(&[
            "/site/content/guide/4913",
            "/site/content/guide/a.md~",
            "/site/content/guide/a.md",
            "/site/content/guide/.a.md.swx",
        ]),
        &layout(),
    );
    assert_eq!(got, content(&["guide/a.md"]));
    // Emacs auto-save and lock files, JetBrains safe write, Chromium, Kate, Office.
    let got = classify(
        &paths(&[
            "/site/content/#a.md#",
            "/site/content/.#a.md",
            "/site/content/a.md___jb_tmp___",
            "/site/content/a.md___jb_old___",
            "/site/content/a.md.crswap",
            "/site/content/a.md.kate-swp",
            "/site/content/~$report.docx",
            "/site/content/a.md",
        ]),
        &layout(),
    );
    assert_eq!(got, content(&["a.md"]));
}

#[test]
fn editor_temp_names() {
    for temp in [
        "a.md~",
        "#a.md#",
        "4913",
        "5036",
        "a.swp",
        "a.md.SWO",
        "x.tmp",
        "~$doc.docx",
    ] {
        assert!(is_editor_temp(temp), "{temp}");
    }
    for real in [
        "a.md",
        "swp.md",
        "2024-notes.md",
        "image.png",
        "tmp.md",
        "#hash.md",
    ] {
        assert!(!is_editor_temp(real), "{real}");
    }
    assert!(is_ignored(".git/index"));
    assert!(is_ignored("guide/.hidden/a.md"));
    assert!(!is_ignored("guide/a.md"));
}

#[test]
fn configuration_templates_and_the_content_folder_itself_rebuild_everything() {
    for path in [
        "/site/site.yaml",
        "/site/templates/page.html",
        "/site/templates",
        "/site/content",
    ] {
        assert!(classify(&paths(&[path]), &layout()).full, "{path}");
    }
    assert!(!classify(&paths(&["/site/templates/page.html~"]), &layout()).full);
}

#[test]
fn static_files_and_unrelated_paths() {
    let got = classify(
        &paths(&["/site/static/docshift.css", "/site/static/.x.swp"]),
        &layout(),
    );
    assert_eq!(got.files.statics, ["docshift.css".to_string()].into());
    assert!(!got.full && got.files.content.is_empty());
    let nothing = classify(
        &paths(&[
            "/site/public/index.html",
            "/site/README.md",
            "/elsewhere/site.yaml",
            "/site/target/x",
        ]),
        &layout(),
    );
    assert!(nothing.is_empty(), "{nothing:?}");
}

#[test]
fn a_burst_of_events_is_one_batch() {
    let (tx, rx) = channel();
    for i in 0..1000 {
        tx.send(Message::Paths(vec![PathBuf::from(format!(
            "/site/content/p{}.md",
            i % 3
        ))]))
        .unwrap();
    }
    tx.send(Message::Rescan).unwrap();
    let batch = next_batch(&rx, Duration::from_millis(20), Duration::from_secs(5)).unwrap();
    assert_eq!(batch.paths.len(), 3, "deduplicated");
    assert!(batch.rescan);
    tx.send(Message::Paths(vec![PathBuf::from("/a")])).unwrap();
    tx.send(Message::Shutdown).unwrap();
    assert_eq!(
        next_batch(&rx, Duration::from_millis(20), Duration::from_secs(5)),
        None
    );
    drop(tx);
    assert_eq!(
        next_batch(&rx, Duration::from_millis(20), Duration::from_secs(5)),
        None
    );
}

#[test]
fn a_batch_ends_after_max_even_when_events_keep_coming() {
    // The sender never pauses for `quiet` and never stops on its own (only when the
    // receiver is gone), so the batch can only end by `max`: were that broken, this test
    // would never return. No wall-clock assertion: a loaded machine may stall either side.
    let (tx, rx) = channel();
    let sender = std::thread::spawn(move || {
        for i in 0.. {
            if tx
                .send(Message::Paths(vec![PathBuf::from(format!("/p{i}"))]))
                .is_err()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    });
    let batch = next_batch(&rx, Duration::from_millis(50), Duration::from_millis(100)).unwrap();
    assert!(!batch.paths.is_empty());
    drop(rx);
    sender.join().unwrap();
}

fn meta(len: u64, secs: u64) -> Meta {
    Meta {
        len,
        modified: Some(std::time::UNIX_EPOCH + Duration::from_secs(secs)),
        is_dir: false,
    }
}

#[test]
fn polling_reports_added_removed_and_modified_paths() {
    let old: Snapshot = [
        (PathBuf::from("/c/a.md"), meta(10, 1)),
        (PathBuf::from("/c/b.md"), meta(10, 1)),
        (PathBuf::from("/c/gone.md"), meta(10, 1)),
    ]
    .into();
    let new: Snapshot = [
        (PathBuf::from("/c/a.md"), meta(10, 1)),
        (PathBuf::from("/c/b.md"), meta(11, 2)),
        (PathBuf::from("/c/new.md"), meta(1, 3)),
    ]
    .into();
    assert_eq!(
        diff(&old, &new),
        paths(&["/c/b.md", "/c/gone.md", "/c/new.md"])
    );
    assert!(diff(&new, &new).is_empty());
}

#[test]
fn polling_scans_the_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content/.git")).unwrap();
    std::fs::write(root.join("content/a.md"), "# A").unwrap();
    std::fs::write(root.join("content/.git/x"), "x").unwrap();
    std::fs::write(root.join("site.yaml"), "").unwrap();
    let layout = Layout {
        root: root.to_path_buf(),
        content: root.join("content"),
        templates: root.join("templates"),
        statics: root.join("static"),
        config: root.join("site.yaml"),
        output: root.join("public"),
    };
    let first = poll::scan(&layout);
    assert!(first.contains_key(&root.join("content/a.md")));
    assert!(first.contains_key(&root.join("site.yaml")));
    assert!(
        !first.contains_key(&root.join("content/.git/x")),
        "hidden entries are skipped"
    );
    std::fs::write(root.join("content/a.md"), "# A, edited").unwrap();
    std::fs::remove_file(root.join("site.yaml")).unwrap();
    let second = poll::scan(&layout);
    assert_eq!(
        diff(&first, &second),
        vec![root.join("content/a.md"), root.join("site.yaml")]
    );
}

#[test]
fn redirection_files_are_the_one_watched_dot_file() {
    assert!(!is_ignored(".openpublishing.redirection.json"));
    assert!(!is_ignored("docs/.openpublishing.redirection.azure.json"));
    assert!(is_ignored(".git/.openpublishing.redirection.json"));
    assert!(is_ignored(".other.json"));
}
