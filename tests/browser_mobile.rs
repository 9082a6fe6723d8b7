//! The default theme on a 390 px phone screen, in headless Chromium: the repository's own
//! content built and served, then measured. Tables scroll in their own box instead of
//! splitting words, the page itself never scrolls sideways, the site title is shown whole, the
//! mapping explorer is a card list with every status badge visible, and the menu opens.
//! At 1280 px the API-change tables fit the content column.
//!
//! Skips (with a note on stderr) when Chromium is not installed, unless
//! `DOCSHIFT_REQUIRE_BROWSER` is set; see `tests/common/browser.rs`.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for the test binaries that include it"
)]
mod common;

use common::browser::Browser;
use common::static_server::StaticServer;

/// Width of a common phone screen in CSS pixels.
const PHONE: (u32, u32) = (390, 844);

/// Pages with tables (the API-change table is the widest one; the explorer's are cards).
const TABLE_PAGES: [&str; 3] = [
    "/cpp-to-partner-center/api-changes/",
    "/cpp-to-partner-center/faq/",
    "/mappings/",
];

/// The mapping explorer.
const EXPLORER: &str = "/mappings/";

/// JavaScript: the words (runs of letters and digits) inside table cells that the browser
/// laid out over more than one line (a word split mid-word has one client rect per line).
/// Breaks after `-`, `/` or `?` in a long identifier or URL are fine.
const SPLIT_WORDS: &str = r#"(() => {
  const split = [];
  for (const cell of document.querySelectorAll(".content td, .content th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[\p{L}\p{N}]+/gu;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
})()"#;

#[test]
fn tables_scroll_in_their_own_box_and_never_split_words_at_390px() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    page.set_viewport(PHONE.0, PHONE.1);
    for path in TABLE_PAGES {
        page.goto(&server.url(path));
        assert!(page.count(".content td") > 0, "{path} has no table");
        let split: Vec<String> = page.eval_as(SPLIT_WORDS);
        assert_eq!(
            split,
            Vec::<String>::new(),
            "words split mid-word on {path}"
        );
        let overflow: i64 = page
            .eval_as("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assert!(overflow <= 0, "{path} scrolls sideways by {overflow}px");
        // Every table box is keyboard-reachable and named (axe: scrollable-region-focusable).
        let unnamed: usize = page.eval_as(
            "[...document.querySelectorAll('.table-wrap')].filter(w => \
             w.getAttribute('tabindex') !== '0' || w.getAttribute('role') !== 'region' || \
             !(w.getAttribute('aria-label') || w.getAttribute('aria-labelledby'))).length",
        );
        assert_eq!(
            unnamed, 0,
            "a table box on {path} is not a named, focusable region"
        );
    }
    // The API-change table is wider than the phone: it scrolls inside its box.
    page.goto(&server.url(TABLE_PAGES[0]));
    let scrolls: bool = page.eval_as(
        "[...document.querySelectorAll('.table-wrap')].some(w => w.scrollWidth > w.clientWidth)",
    );
    assert!(
        scrolls,
        "expected the API-change table to scroll in its box"
    );
}

#[test]
fn the_site_title_is_fully_visible_at_390px() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    page.set_viewport(PHONE.0, PHONE.1);
    page.goto(&server.url("/cpp-to-partner-center/faq/"));
    page.wait_for(
        "!document.querySelector('.theme-toggle').hidden",
        std::time::Duration::from_secs(5),
    )
    .expect("theme toggle shown");
    // Clipped text (an ellipsis) shows as content wider or taller than the box, and the
    // box must lie inside the header.
    let clipped: Vec<i64> = page.eval_as(
        "(() => { const t = document.querySelector('.site-title'); \
         const h = document.querySelector('.site-header').getBoundingClientRect(); \
         const r = t.getBoundingClientRect(); \
         return [t.scrollWidth - t.clientWidth, t.scrollHeight - t.clientHeight, \
                 Math.round(h.top - r.top), Math.round(r.bottom - h.bottom), \
                 Math.round(r.right - document.documentElement.clientWidth)]; })()",
    );
    assert!(
        clipped.iter().all(|&px| px <= 0),
        "site title clipped (width, height, above, below, right): {clipped:?}"
    );
    assert_eq!(page.text(".site-title"), "Portal Migration Guides");
}

/// JavaScript: the one-line code blocks whose text, scrolled to its end, still lies under
/// the copy button (so its last characters cannot be read).
const CODE_UNDER_COPY_BUTTON: &str = r#"(() => {
  const hidden = [];
  for (const block of document.querySelectorAll(".code-block")) {
    const button = block.querySelector(".copy-button").getBoundingClientRect();
    const pre = block.querySelector("pre");
    pre.scrollLeft = pre.scrollWidth;
    const range = document.createRange();
    range.selectNodeContents(pre.querySelector("code"));
    const text = range.getBoundingClientRect();
    if (text.right > button.left) hidden.push(pre.textContent.trim().length);
  }
  return hidden;
})()"#;

#[test]
fn the_copy_button_never_covers_one_line_code_at_390px() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    // One-line blocks from well inside the box to wider than it: each must be readable
    // to its end (scrolling when it is wider) without the button on top of it.
    let tmp = tempfile::tempdir().expect("temp dir");
    let content = tmp.path().join("content");
    let mut page_md = String::from("# Code\n");
    for len in (20..=50).step_by(2) {
        page_md.push_str(&format!("\n```text\n{}\n```\n", "x".repeat(len)));
    }
    common::write_file(&content.join("index.md"), page_md);
    let built = common::build_content_folder(&content);
    let server = StaticServer::start(&built.out);
    let mut page = browser.new_page();
    page.set_viewport(PHONE.0, PHONE.1);
    page.goto(&server.url("/"));
    page.wait_for(
        "document.documentElement.classList.contains('has-js')",
        std::time::Duration::from_secs(5),
    )
    .expect("docshift.js ran");
    assert_eq!(page.count(".code-block"), 16);
    let hidden: Vec<usize> = page.eval_as(CODE_UNDER_COPY_BUTTON);
    assert_eq!(
        hidden,
        Vec::<usize>::new(),
        "code (by length) under the copy button"
    );
}

/// JavaScript: the status badges of the mapping explorer that are not shown whole: clipped
/// by their own box, by a scrolling ancestor, or by the viewport (as `text@[left,right]`).
const CLIPPED_BADGES: &str = r#"(() => {
  const clipped = [];
  const width = document.documentElement.clientWidth;
  for (const badge of document.querySelectorAll(".mapping-table .badge")) {
    const r = badge.getBoundingClientRect();
    let visible = r.width > 0 && r.left >= 0 && r.right <= width
      && badge.scrollWidth <= badge.clientWidth + 1;
    for (let el = badge.parentElement; visible && el; el = el.parentElement) {
      if (getComputedStyle(el).overflowX === "visible") continue;
      const box = el.getBoundingClientRect();
      visible = r.left >= box.left && r.right <= box.right;
    }
    if (!visible) clipped.push(`${badge.textContent}@[${Math.round(r.left)},${Math.round(r.right)}]`);
  }
  return clipped;
})()"#;

#[test]
fn the_mapping_explorer_is_a_card_list_with_whole_badges_at_390px() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    page.set_viewport(PHONE.0, PHONE.1);
    page.goto(&server.url(EXPLORER));
    assert!(
        page.count(".mapping-table .badge") >= 7,
        "explorer has no badges"
    );
    let clipped: Vec<String> = page.eval_as(CLIPPED_BADGES);
    assert_eq!(clipped, Vec::<String>::new(), "badges not shown whole");
    // Each entry is a card: rows stack as blocks, the header row is hidden, and every
    // value is labelled with its column.
    let layout: (String, bool, usize) = page.eval_as(
        "(() => { const row = document.querySelector('.mapping-table tbody tr'); \
         const head = document.querySelector('.mapping-table thead').getBoundingClientRect(); \
         return [getComputedStyle(row).display, head.width <= 1 && head.height <= 1, \
                 document.querySelectorAll('.mapping-table td:not([data-label])').length]; })()",
    );
    assert_eq!(layout, ("block".to_string(), true, 0), "card layout");
    // A URL wraps between its parts, never at a letter in the middle of one.
    let split: Vec<String> = page.eval_as(SPLIT_WORDS);
    assert_eq!(split, Vec::<String>::new(), "words split in the explorer");
    let overflow: i64 =
        page.eval_as("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assert!(
        overflow <= 0,
        "the explorer scrolls sideways by {overflow}px"
    );
}

#[test]
fn the_menu_opens_and_closes_at_390px() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    page.set_viewport(PHONE.0, PHONE.1);
    page.goto(&server.url("/cpp-to-partner-center/faq/"));
    let shown = "getComputedStyle(document.querySelector('.sidebar')).display !== 'none'";
    assert!(!page.eval_as::<bool>(shown), "menu open before the click");
    page.click(".menu-button");
    assert!(page.eval_as::<bool>(shown), "menu not opened by its button");
    page.press("Escape");
    assert!(
        !page.eval_as::<bool>(shown),
        "Escape did not close the menu"
    );
}

#[test]
fn api_change_tables_fit_the_content_column_at_1280px() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let (_site, server) = common::static_server::serve_repo_site();
    let mut page = browser.new_page();
    page.set_viewport(1280, 900);
    page.goto(&server.url(TABLE_PAGES[0]));
    // Long paths in inline code used to set a column's minimum width, pushing the summary
    // table past the column (cut off, with a scroll bar).
    let wider: Vec<i64> = page.eval_as(
        "[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)",
    );
    assert!(
        wider.len() >= 2,
        "expected the API-change tables: {wider:?}"
    );
    assert!(
        wider.iter().all(|&px| px <= 0),
        "tables wider than their box (px): {wider:?}"
    );
}
