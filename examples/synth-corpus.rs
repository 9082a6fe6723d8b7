//! Generates a deterministic synthetic documentation corpus for benchmarks.
//!
//! `cargo run --release --example synth-corpus -- <pages> <out-dir> [prose]`
//!
//! The corpus has `<pages>` pages in folders of 100, each with front matter, 6–10 headings,
//! paragraphs with in-page and cross-page links (valid anchors), a table, a code block, an
//! alert, a `:::image:::` and an include; every folder has an index page. It builds with
//! zero diagnostics, so benchmarks measure the clean path that CI runs.
//!
//! With `prose`, each page is instead long and plain, as a conceptual article is: about
//! 48 KB of paragraphs under 6 headings, with one cross-page link to a heading per
//! paragraph. There the pages' text, not their links and tables, is most of what a build
//! reads.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic PRNG (xorshift64*), so every run writes the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "offer",
    "plan",
    "publisher",
    "partner",
    "portal",
    "migration",
    "payout",
    "insights",
    "listing",
    "marketplace",
    "account",
    "owner",
    "contributor",
    "certification",
    "preview",
    "co-sell",
    "referral",
    "subscription",
    "invoice",
    "customer",
    "solution",
    "workspace",
    "notification",
    "operation",
    "header",
    "status",
    "review",
    "publish",
    "draft",
    "catalog",
    "pricing",
    "availability",
    "technical",
    "configuration",
];

fn words(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.below(WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn heading_id(text: &str) -> String {
    text.to_lowercase().replace(' ', "-")
}

fn page(rng: &mut Rng, folder: usize, index: usize, folders: usize, per_folder: usize) -> String {
    let mut s = String::new();
    let title = format!("Topic {folder}-{index} {}", words(rng, 3));
    let _ = writeln!(
        s,
        "---\ntitle: \"{title}\"\ndescription: {}\nms.date: 0{}/1{}/2020\nweight: {index}\n---\n",
        words(rng, 8),
        1 + rng.below(9),
        rng.below(10)
    );
    let _ = writeln!(s, "# {title}\n");
    let headings: Vec<String> = (0..6 + rng.below(5))
        .map(|h| format!("Section {h} {}", words(rng, 2)))
        .collect();
    for (h, heading) in headings.iter().enumerate() {
        let level = if h % 3 == 2 { "###" } else { "##" };
        let _ = writeln!(s, "{level} {heading}\n");
        for _ in 0..2 {
            let other = &headings[rng.below(headings.len())];
            let tf = rng.below(folders);
            let tp = rng.below(per_folder);
            let _ = writeln!(
                s,
                "{} See [{}](#{}) and [topic {tf}-{tp}](../f{tf:03}/p{tp:03}.md). {}\n",
                words(rng, 25),
                words(rng, 2),
                heading_id(other),
                words(rng, 20)
            );
        }
        if h == 1 {
            let _ = writeln!(
                s,
                "| Area | Old portal link | New portal link |\n|---|---|---|"
            );
            for r in 0..3 {
                let _ = writeln!(s, "| {} | https://old.example.com/#p{folder}-{index}-{r} | https://new.example.com/p/{folder}/{index}/{r} |", words(rng, 2));
            }
            s.push('\n');
        }
        if h == 2 {
            let _ = writeln!(
                s,
                "```json\n{{\"offer\": \"{}\", \"version\": {}}}\n```\n",
                words(rng, 1),
                rng.below(100)
            );
            let _ = writeln!(s, "> [!NOTE]\n> {}\n", words(rng, 15));
        }
        if h == 3 {
            let _ = writeln!(
                s,
                ":::image type=\"content\" source=\"../media/diagram.svg\" alt-text=\"{}\":::\n",
                words(rng, 4)
            );
            let _ = writeln!(s, "[!INCLUDE [shared note](../includes/note.md)]\n");
        }
    }
    s
}

/// A long page of prose: 6 sections `Part 0`..`Part 5` of 5 paragraphs of 170 words, each
/// ending in a link to a section of another page.
fn prose_page(
    rng: &mut Rng,
    folder: usize,
    index: usize,
    folders: usize,
    per_folder: usize,
) -> String {
    let mut s = String::new();
    let title = format!("Article {folder}-{index} {}", words(rng, 3));
    let _ = writeln!(
        s,
        "---\ntitle: \"{title}\"\ndescription: {}\n---\n",
        words(rng, 8)
    );
    let _ = writeln!(s, "# {title}\n");
    for h in 0..6 {
        let _ = writeln!(s, "## Part {h}\n");
        for _ in 0..5 {
            let (tf, tp, th) = (rng.below(folders), rng.below(per_folder), rng.below(6));
            let _ = writeln!(
                s,
                "{} See [part {th} of article {tf}-{tp}](../f{tf:03}/p{tp:03}.md#part-{th}).\n",
                words(rng, 170)
            );
        }
    }
    s
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let prose = match args.get(3).map(String::as_str) {
        None => false,
        Some("prose") if args.len() == 4 => true,
        _ => {
            eprintln!("usage: synth-corpus <pages> <out-dir> [prose]");
            std::process::exit(2);
        }
    };
    if args.len() < 3 {
        eprintln!("usage: synth-corpus <pages> <out-dir> [prose]");
        std::process::exit(2);
    }
    let Ok(pages) = args[1].parse::<usize>() else {
        eprintln!("pages must be a number");
        std::process::exit(2);
    };
    let out = Path::new(&args[2]);
    let per_folder = 100.min(pages.max(1));
    let folders = pages.div_ceil(per_folder);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let write = |path: &Path, text: &str| {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create folder");
        }
        std::fs::write(path, text).expect("write file");
    };
    write(
        &out.join("index.md"),
        "---\ntitle: Synthetic corpus\n---\n\n# Synthetic corpus\n\nGenerated for benchmarks.\n",
    );
    write(
        &out.join("includes/note.md"),
        "> [!TIP]\n> This note is included from a shared fragment.\n",
    );
    write(
        &out.join("media/diagram.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#08c\"/></svg>\n",
    );
    let mut written = 0;
    for f in 0..folders {
        write(&out.join(format!("f{f:03}/index.md")), &format!("---\ntitle: Folder {f}\nweight: {f}\n---\n\n# Folder {f}\n\nPages of folder {f}.\n"));
        for p in 0..per_folder {
            if written == pages {
                break;
            }
            // Cross-page links may name pages past the end of a partial last folder; keep
            // them valid by linking only into full folders.
            let full_folders = (pages / per_folder).max(1);
            let text = match prose {
                true => prose_page(&mut rng, f, p, full_folders, per_folder),
                false => page(&mut rng, f, p, full_folders, per_folder),
            };
            write(&out.join(format!("f{f:03}/p{p:03}.md")), &text);
            written += 1;
        }
    }
    println!(
        "wrote {written} pages in {folders} folders to {}",
        out.display()
    );
}
