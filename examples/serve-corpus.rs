//! Writes a synthetic documentation site for benchmarks: `PAGES` pages (default 10,000) in
//! folders of 100, each with front matter, headings, cross-links with anchors, a mapping
//! table, an alert, a code block, an image and an include. The site builds with zero
//! diagnostics.
//!
//! ```sh
//! cargo run --release --example serve-corpus -- /tmp/corpus-10k 10000
//! cargo run --release -- build --root /tmp/corpus-10k
//! ```

use std::fmt::Write as _;
use std::path::Path;

const PER_FOLDER: usize = 100;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = args
        .next()
        .unwrap_or_else(|| "target/corpus-10k".to_string());
    let pages: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let root = Path::new(&root);
    if root.join("content").exists() {
        std::fs::remove_dir_all(root.join("content"))?;
    }
    let content = root.join("content");
    std::fs::create_dir_all(content.join("includes"))?;
    std::fs::create_dir_all(content.join("media"))?;
    std::fs::write(
        root.join("site.yaml"),
        "title: Synthetic corpus\nbase_path: /\n",
    )?;
    std::fs::write(
        content.join("includes/support.md"),
        "> [!NOTE]\n> Contact your partner manager if a page you need is not listed.\n",
    )?;
    std::fs::write(
        content.join("media/diagram.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#06c\"/></svg>\n",
    )?;
    let folders = pages.div_ceil(PER_FOLDER);
    let mut index = String::from("---\ntitle: Synthetic corpus\n---\n\n# Synthetic corpus\n\n");
    for f in 0..folders {
        let _ = writeln!(index, "- [Section {f}](section-{f:03}/index.md)");
    }
    std::fs::write(content.join("index.md"), index)?;
    for n in 0..pages {
        let (f, i) = (n / PER_FOLDER, n % PER_FOLDER);
        let dir = content.join(format!("section-{f:03}"));
        std::fs::create_dir_all(&dir)?;
        let name = if i == 0 {
            "index.md".to_string()
        } else {
            format!("page-{i:03}.md")
        };
        let in_folder = pages.saturating_sub(f * PER_FOLDER).min(PER_FOLDER);
        std::fs::write(dir.join(name), page(f, i, in_folder))?;
    }
    println!("wrote {pages} pages into {}", content.display());
    Ok(())
}

fn file_of(i: usize) -> String {
    if i == 0 {
        "index.md".to_string()
    } else {
        format!("page-{i:03}.md")
    }
}

fn page(f: usize, i: usize, in_folder: usize) -> String {
    let next = (i + 1) % in_folder;
    let prev = (i + in_folder - 1) % in_folder;
    let mut s = String::new();
    let _ = write!(
        s,
        "---\ntitle: \"Section {f} topic {i}\"\ndescription: Synthetic page {i} of section {f}.\nms.date: 01/{:02}/2024\nweight: {i}\n---\n\n# Section {f} topic {i}\n\n",
        i % 28 + 1
    );
    let _ = write!(
        s,
        "This page moved from the old portal. Read the [next topic]({}#overview) or the [previous one]({}#steps).\nSee also the [corpus home](/index.md).\n\n[!INCLUDE [support](../includes/support.md)]\n\n",
        file_of(next),
        file_of(prev)
    );
    for (h, body) in [
        ("Overview", "overview"),
        ("Steps", "steps"),
        ("Reference", "reference"),
    ] {
        let _ = write!(
            s,
            "## {h}\n\nThe {body} section of topic {i} explains what changed. Partners keep their \
             offers, their payouts and their customers; only the tools move. Details in \
             [the {body} of the next topic]({}#{body}).\n\n",
            file_of(next)
        );
    }
    s.push_str("| Page | Old portal link | New portal link |\n| --- | --- | --- |\n");
    for r in 0..5 {
        let _ = writeln!(
            s,
            "| Item {r} | <https://old.example.com/s{f}/p{i}/{r}> | [Topic {r}]({}) |",
            file_of((i + r) % in_folder)
        );
    }
    s.push_str("\n> [!TIP]\n> Keep the old link handy until the redirect is live.\n\n");
    s.push_str("```json\n{ \"offer\": \"contoso\", \"state\": \"moved\" }\n```\n\n");
    s.push_str(
        ":::image type=\"content\" source=\"../media/diagram.svg\" alt-text=\"A diagram.\":::\n",
    );
    s
}
