//! `docshift check`: validate and print every finding in the chosen format.

use super::{content_prefix, source_line, Outcome};
use crate::cli::CheckArgs;
use crate::error::Result;
use crate::pipeline::check_only_keeping_session;
use crate::report::{github, human, json, sarif, Format, Summary};
use std::io::Write;

pub(super) fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<Outcome> {
    let settings = super::settings_with_manifests(&args.site, &args.manifests)?;
    super::say_docfx(&settings);
    let bar = std::sync::Arc::new(super::progress::Bar::on_stderr());
    let checked = check_only_keeping_session(&settings, bar.clone());
    bar.clear();
    let (checked, session) = checked?;
    let diags = &checked.diagnostics;
    let summary = Summary::new(
        diags,
        checked.site.pages.len() + checked.failed_pages,
        checked.counts,
    );
    let text = match Format::from(args.format) {
        Format::Human => human(
            diags,
            &summary,
            &source_line(&settings),
            super::human_options(&std::io::stdout()),
        ),
        Format::Json => json(diags, &summary),
        Format::Github => github(diags, &summary, &content_prefix(&settings)),
        Format::Sarif => sarif(diags, &content_prefix(&settings)),
    };
    super::ignore_broken_pipe(out.write_all(text.as_bytes()))?;
    if args.verbose {
        // On stderr, so that a JSON or SARIF report on stdout stays one document.
        eprint!("{}", listing_text(&crate::check::listing(&checked.site)));
    }
    let failing = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
    // The process ends right after this: freeing the model and the session's per-page state
    // (millions of small allocations on a large site) one by one would only add time.
    std::mem::forget(checked);
    std::mem::forget(session);
    Ok(if failing {
        Outcome::Failure
    } else {
        Outcome::Success
    })
}

/// The `--verbose` listings as text.
fn listing_text(listing: &crate::check::Listing) -> String {
    let mut text = format!("links to other docsets: {}\n", listing.cross_docset.len());
    for link in &listing.cross_docset {
        text.push_str(&format!(
            "  {}:{}:{}: {}\n",
            link.file, link.line, link.column, link.dest
        ));
    }
    if !listing.outside_tocs.is_empty() {
        text.push_str(&format!(
            "pages in no table of contents: {}\n",
            listing.outside_tocs.len()
        ));
        for path in &listing.outside_tocs {
            text.push_str(&format!("  {path}\n"));
        }
    }
    text
}
