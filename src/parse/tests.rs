use super::*;
use crate::model::{AnchorKind, LinkKind, LinkTarget};
use std::collections::HashMap;

fn parse_with(files: &[(&str, &str)], page: &str) -> (Page, Vec<Diagnostic>) {
    let map: HashMap<String, Arc<SourceFile>> = files
        .iter()
        .map(|(p, t)| (p.to_string(), Arc::new(SourceFile::from_text(*p, t))))
        .collect();
    let lookup = |p: &str| map.get(p).cloned().map(Ok);
    let includes = IncludeCache::default();
    let ctx = ParseContext {
        base_path: "/",
        sources: &lookup,
        includes: &includes,
    };
    parse_page(&map[page], &ctx)
}

#[test]
fn includes_expand_in_place_with_their_own_locations() {
    let (page, diags) = parse_with(
        &[
            (
                "guide/a.md",
                "# A\n\n[!INCLUDE [x](../includes/frag.md)]\n\n## Setup\n",
            ),
            (
                "includes/frag.md",
                "## Setup\n\nSee [img](media/x.png) and [top](#setup).\n",
            ),
        ],
        "guide/a.md",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let ids: Vec<_> = page.headings().iter().map(|h| h.id).collect();
    assert_eq!(ids, ["a", "setup", "setup-1"]);
    assert_eq!(page.headings().get(1).unwrap().file, "includes/frag.md");
    let img = page
        .links
        .read()
        .expect("links")
        .iter()
        .find(|l| l.dest == "media/x.png")
        .unwrap();
    assert_eq!(&*img.file, "includes/frag.md");
    assert_eq!((img.line, img.column), (3, 5));
    assert_eq!(
        img.target,
        LinkTarget::Local {
            path: "includes/media/x.png".into(),
            fragment: None,
            rooted: false
        }
    );
    assert_eq!(page.includes, ["includes/frag.md"]);
}

#[test]
fn include_cycles_and_missing_files_name_the_chain() {
    let (_, diags) = parse_with(
        &[
            (
                "a.md",
                "[!INCLUDE [b](includes/b.md)]\n\n[!include[gone](includes/gone.md)]\n",
            ),
            ("includes/b.md", "[!INCLUDE [a](../a.md)]\n"),
        ],
        "a.md",
    );
    let messages: Vec<_> = diags
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].2.contains("a.md → includes/b.md → a.md"),
        "{messages:?}"
    );
    assert_eq!(messages[0].0, "includes/b.md");
    assert!(messages[1].2.contains("includes/gone.md"), "{messages:?}");
    assert_eq!((messages[1].0, messages[1].1), ("a.md", 3));
}

#[test]
fn heading_with_leading_named_anchor_takes_its_id() {
    let (page, _) = parse_with(
        &[(
            "a.md",
            "## <a name=\"plan\"></a>Plan (SKU)\n\n## <a id=\"self\" />Self closed\n",
        )],
        "a.md",
    );
    assert_eq!(page.headings().get(0).unwrap().id, "plan");
    assert_eq!(page.headings().get(0).unwrap().text, "Plan (SKU)");
    assert_eq!(page.headings().get(1).unwrap().id, "self-closed");
    let kinds: Vec<_> = page.anchors().iter().map(|a| (a.id, a.kind)).collect();
    assert!(kinds.contains(&("plan", AnchorKind::HeadingName)));
    assert!(kinds.contains(&("self", AnchorKind::HtmlId)));
}

#[test]
fn table_cells_keep_text_code_and_links() {
    let (page, _) = parse_with(
        &[("a.md", "| API | Impact |\n|---|---|\n| POST Publish | One<br/>Two `code` [x](b.md) https://e.example/p |\n")],
        "a.md",
    );
    let tables = page.tables.read().expect("tables").to_vec();
    let cell = &tables[0].rows[0].cells[1];
    assert_eq!(cell.text, "One\nTwo code x https://e.example/p");
    assert_eq!(cell.code, ["code"]);
    let kinds: Vec<_> = cell
        .links
        .iter()
        .map(|&i| page.links.read().expect("links").get(i).expect("link").kind)
        .collect();
    assert_eq!(kinds, [LinkKind::Inline, LinkKind::Autolink]);
    assert_eq!(tables[0].rows[0].line, 3);
}

#[test]
fn code_and_comments_hide_links() {
    let (page, _) = parse_with(
        &[(
            "a.md",
            "`[x](no.md)`\n\n```\n[y](no.md)\n```\n\n<!-- [z](no.md) <a href=\"no.md\"> -->\n",
        )],
        "a.md",
    );
    assert!(page.links.is_empty(), "{:?}", page.links);
}

#[test]
fn footnote_definitions_are_anchors() {
    let (page, _) = parse_with(
        &[(
            "a.md",
            "See [the note](#stages).[^stages]\n\n[^stages]: Four of them.\n",
        )],
        "a.md",
    );
    let footnote = page
        .anchors()
        .iter()
        .find(|a| a.id == "stages")
        .expect("footnote anchor");
    assert_eq!((footnote.kind, footnote.line), (AnchorKind::Footnote, 3));
}

#[test]
fn entity_references_pass_through_as_written() {
    let (page, _) = parse_with(
        &[("a.md", "| A |\n|---|\n| Done.&#x20;&amp; more |\n")],
        "a.md",
    );
    let tables = page.tables.read().expect("tables").to_vec();
    let cell = &tables[0].rows[0].cells[0];
    assert_eq!(cell.text, "Done. & more");
    let raw: Vec<&str> = page.doc.nodes[cell.nodes.clone()]
        .iter()
        .filter_map(|n| match n {
            crate::model::doc::Node::Html(h) => Some(h.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(raw, ["&#x20;", "&amp;"], "the references stay as written");
}

#[test]
fn an_included_file_is_parsed_once_for_every_page_and_every_include() {
    let files: HashMap<String, Arc<SourceFile>> = [
        ("a.md", "# A\n\n[!INCLUDE [x](includes/fan.md)]\n"),
        (
            "b.md",
            "# B\n\n[!INCLUDE [x](includes/fan.md)]\n\n[!INCLUDE [y](includes/leaf.md)]\n",
        ),
        (
            "includes/fan.md",
            "---\ntitle: ignored\n---\n[!INCLUDE [l](leaf.md)]\n\n[!INCLUDE [l](leaf.md)]\n",
        ),
        (
            "includes/leaf.md",
            "## Leaf\n\nSee [the guide](../guide.md).\n",
        ),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), Arc::new(SourceFile::from_text(p, t))))
    .collect();
    let lookup = |p: &str| files.get(p).cloned().map(Ok);
    let includes = IncludeCache::default();
    let ctx = ParseContext {
        base_path: "/",
        sources: &lookup,
        includes: &includes,
    };
    let (a, _) = parse_page(&files["a.md"], &ctx);
    let (b, _) = parse_page(&files["b.md"], &ctx);
    // Two files parsed, though they are expanded seven times.
    assert_eq!(includes.parses(), 2);
    // Every expansion still has its own facts and heading ids.
    let ids = |p: &Page| {
        p.headings()
            .iter()
            .map(|h| h.id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ["a", "leaf", "leaf-1"]);
    assert_eq!(ids(&b), ["b", "leaf", "leaf-1", "leaf-2"]);
    assert_eq!(b.links.len(), 3);
    assert!(b
        .links
        .read()
        .expect("links")
        .iter()
        .all(|l| &*l.file == "includes/leaf.md" && l.line == 3));
    // A file loaded again (edited) is parsed again, never served from the old parse.
    let edited = Arc::new(SourceFile::from_text("includes/leaf.md", "## Changed\n"));
    let lookup = |p: &str| match p {
        "includes/leaf.md" => Some(Ok(Arc::clone(&edited))),
        _ => files.get(p).cloned().map(Ok),
    };
    let ctx = ParseContext {
        base_path: "/",
        sources: &lookup,
        includes: &includes,
    };
    let (a, _) = parse_page(&files["a.md"], &ctx);
    assert_eq!(ids(&a), ["a", "changed", "changed-1"]);
    assert_eq!(includes.parses(), 3);
}

#[test]
fn the_links_and_anchors_of_a_file_share_its_name() {
    let (page, _) = parse_with(
        &[("a.md", "# A\n\n[x](b.md) [y](c.md)\n\n## Two\n")],
        "a.md",
    );
    let links = page.links.read().expect("links").to_vec();
    assert_eq!(links.len(), 2);
    assert!(std::sync::Arc::ptr_eq(&links[0].file, &links[1].file));
    let shared = |file: &str| std::ptr::eq(links[0].file.as_ptr(), file.as_ptr());
    assert!(shared(page.anchors().get(0).unwrap().file));
    assert!(shared(page.headings().get(1).unwrap().file));
}

#[test]
fn a_parsed_page_keeps_no_growth_slack_in_its_kept_facts() {
    // Enough of each for a vector grown by doubling to have room to spare.
    let body: String = (0..37)
        .map(|i| format!("## Part {i}\n\n<a id=\"p{i}\"></a>[next](other.md#part-{i}) text\n\n"))
        .collect();
    let (page, _) = parse_with(&[("guide/a.md", &body)], "guide/a.md");
    assert_eq!(page.links.len(), 37);
    assert!(page.headings().len() >= 37);
    assert!(page.anchors().len() >= 37);
    assert_eq!(page.doc.nodes.capacity(), page.doc.nodes.len());
}

#[test]
fn a_paragraph_of_many_directives_includes_and_code_spans_is_read_in_linear_work() {
    // 20,000 of each on one line of one paragraph, and no `)` after any `[!include[t](`: a
    // scan of every directive for each event, of every code span for each candidate, or of
    // the rest of the line or span for each directive or include took minutes here.
    let item = "a `c` :::image type=\"icon\" source=\"i.svg\"::: b [!x] [!include[t](";
    let body = format!("# T\n\n{}\n", item.repeat(20_000));
    let (page, diags) = parse_with(&[("a.md", &body)], "a.md");
    let images = page
        .doc
        .nodes
        .iter()
        .filter(|n| matches!(n, crate::model::doc::Node::Image(_)))
        .count();
    assert_eq!(images, 20_000);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn references_find_their_definitions_in_any_case_and_unused_ones_are_kept() {
    let page = "See [a][Guide] and [b][GUIDE] and ![i][logo].\n\n\
                [guide]: guide.md\n[Logo]: logo.png\n[spare]: spare.md\n";
    let (page, _) = parse_with(&[("a.md", page)], "a.md");
    let links = page.links.read().expect("links").to_vec();
    let seen: Vec<(&str, LinkKind, Option<u32>)> = links
        .iter()
        .map(|l| (l.dest.as_str(), l.kind, l.definition_line))
        .collect();
    assert_eq!(
        seen,
        [
            ("guide.md", LinkKind::Reference, Some(3)),
            ("guide.md", LinkKind::Reference, Some(3)),
            ("logo.png", LinkKind::Image, Some(4)),
            ("spare.md", LinkKind::Definition, None),
        ]
    );
}

#[test]
fn a_page_of_many_reference_links_is_read_in_linear_work() {
    // 20,000 references to as many definitions: a scan of every label for each reference
    // took minutes here.
    let refs: String = (0..20_000).map(|i| format!("[x][R{i}] ")).collect();
    let defs: String = (0..20_000).map(|i| format!("[r{i}]: p{i}.md\n")).collect();
    let (page, _) = parse_with(&[("a.md", &format!("{refs}\n\n{defs}"))], "a.md");
    assert_eq!(page.links.len(), 20_000);
    assert!(page
        .links
        .read()
        .expect("links")
        .iter()
        .all(|l| l.definition_line.is_some()));
}

#[test]
fn a_page_knows_its_ids_whether_it_has_few_or_many() {
    for count in [3, 200] {
        let body: String = (0..count)
            .map(|i| format!("## Part {i}\n\n<a name=\"n{i}\"></a>text\n\n"))
            .collect();
        let (page, _) = parse_with(&[("a.md", &body)], "a.md");
        for i in 0..count {
            assert!(page.has_id(&format!("part-{i}")), "{count}: part-{i}");
            assert!(page.has_id(&format!("n{i}")), "{count}: n{i}");
        }
        for absent in ["part", "part-", &format!("part-{count}"), "n", "", "Part-1"] {
            assert!(!page.has_id(absent), "{count}: {absent}");
        }
        // The order is made only for a page of many ids.
        assert_eq!(page.id_order.is_made(), count > 16, "{count}");
    }
}

#[test]
fn a_broken_anchor_is_matched_among_the_ids_nearest_it_on_a_long_page() {
    let body: String = (0..3000)
        .map(|i| format!("<a name=\"n{i:04}\"></a>\n"))
        .collect();
    let (page, _) = parse_with(&[("a.md", &body)], "a.md");
    let near: Vec<&str> = page.ids_near("n1500x", 4).collect();
    assert_eq!(near, ["n1499", "n1500", "n1501", "n1502"]);
    // Past either end, the window stays full.
    assert_eq!(
        page.ids_near("a", 2).collect::<Vec<_>>(),
        ["n0000", "n0001"]
    );
    assert_eq!(
        page.ids_near("z", 2).collect::<Vec<_>>(),
        ["n2998", "n2999"]
    );
    // A short page offers every id: its anchors (a heading's among them), then its headings'.
    let (short, _) = parse_with(&[("b.md", "## B\n\n<a name=\"a\"></a>\n")], "b.md");
    assert_eq!(
        short.ids_near("x", 2000).collect::<Vec<_>>(),
        ["b", "a", "b"]
    );
}

#[test]
fn a_page_knows_its_tabs_whether_it_has_few_or_many() {
    for count in [3, 200] {
        let body: String = (0..count)
            .map(|i| format!("# [Tab {i}](#tab/t{i:03})\n\nPanel.\n\n"))
            .chain(std::iter::once("---\n".to_string()))
            .collect();
        let (page, _) = parse_with(&[("a.md", &body)], "a.md");
        assert_eq!(page.tab_ids.len(), count);
        for i in 0..count {
            assert!(page.has_tab(&format!("t{i:03}")), "{count}: t{i:03}");
        }
        for absent in ["t", "", "T001", &format!("t{count:03}")] {
            assert!(!page.has_tab(absent), "{count}: {absent}");
        }
        assert_eq!(page.tab_order.is_made(), count > 32, "{count}");
        let near: Vec<&str> = page.tabs_near("t001x", 2).collect();
        assert_eq!(near, ["t001", "t002"], "{count}");
    }
}
