//! `docshift init`: the scaffold builds, checks and serves with zero diagnostics, and never
//! overwrites a file.

mod serve_support;

use std::process::Command;

fn docshift(args: &[&str], root: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_docshift"))
        .args(args)
        .arg(root)
        .output()
        .expect("run docshift")
}

#[test]
fn init_creates_a_site_that_builds_and_serves_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("new-site");
    let out = docshift(&["init"], &root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("docshift serve"));
    for file in [
        "site.yaml",
        "content/index.md",
        "content/page-mapping.md",
        "content/media/portal-map.svg",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    let sample = std::fs::read_to_string(root.join("content/migration-guide.md")).unwrap();
    for syntax in [
        "> [!NOTE]",
        ":::image type=\"content\"",
        "[!INCLUDE",
        "<a name=",
        "{#move-offers}",
    ] {
        assert!(sample.contains(syntax), "the sample page shows {syntax}");
    }
    let mapping = std::fs::read_to_string(root.join("content/page-mapping.md")).unwrap();
    assert!(mapping.contains("| Page | Old portal link | New portal link |"));
    assert!(
        mapping.contains("https://old-portal.example.com/")
            && mapping.contains("https://new-portal.example.com/")
    );

    let check = docshift(&["check", "--deny-warnings", "--root"], &root);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("0 errors, 0 warnings"));
    let build = docshift(&["build", "--strict", "--root"], &root);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(root.join("public/migration-guide/index.html").is_file());

    let served = serve_support::Served::start(&root, &[]);
    let line = served
        .wait_line("rebuilt in", std::time::Duration::from_secs(60))
        .expect("first build line");
    assert!(line.contains("0 errors, 0 warnings"), "{line}");
    let page = serve_support::get(served.addr, "/page-mapping/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("new-portal.example.com"));
}

#[test]
fn init_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/index.md"), "# Mine\n").unwrap();
    let out = docshift(&["init"], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/index.md"));
    assert_eq!(
        std::fs::read_to_string(root.join("content/index.md")).unwrap(),
        "# Mine\n"
    );
    assert!(!root.join("site.yaml").exists(), "nothing is written");
}
