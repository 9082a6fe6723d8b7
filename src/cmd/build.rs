//! `docshift build`: check, render, write; findings go to stderr.

use super::{source_line, Outcome};
use crate::cli::BuildArgs;
use crate::error::Result;
use crate::pipeline::{build_keeping_session, BuildOptions};
use crate::report::{human, Summary};
use std::io::Write;
use std::time::Instant;

pub(super) fn run(args: &BuildArgs, out: &mut dyn Write) -> Result<Outcome> {
    let started = Instant::now();
    let mut location = super::location(&args.site, args.output.clone());
    location.previous_manifest = args.previous_manifest.clone();
    let settings = crate::settings::Settings::load(&location)?;
    super::say_docfx(&settings);
    let bar = std::sync::Arc::new(super::progress::Bar::on_stderr());
    let built = build_keeping_session(
        &settings,
        BuildOptions {
            strict: args.strict,
            ..BuildOptions::default()
        },
        bar.clone(),
    );
    bar.clear();
    let (built, session) = built?;
    // The process ends right after this command: freeing the model and the session's
    // per-page state (millions of small allocations on a large site) would only add time.
    let built = std::mem::ManuallyDrop::new(built);
    std::mem::forget(session);
    let checked = &built.checked;
    let summary = Summary::new(
        &checked.diagnostics,
        checked.site.pages.len(),
        checked.counts,
    );
    if !checked.diagnostics.is_empty() {
        eprint!(
            "{}",
            human(
                &checked.diagnostics,
                &summary,
                &source_line(&settings),
                super::human_options(&std::io::stderr()),
            )
        );
    }
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if built.failed {
        let why = if checked.failed_pages > 0 {
            format!("{} page(s) could not be built", checked.failed_pages)
        } else {
            "--strict: findings are errors".to_string()
        };
        eprintln!(
            "build failed ({why}); {} left untouched",
            settings.output.display()
        );
        return Ok(Outcome::Failure);
    }
    super::ignore_broken_pipe(writeln!(
        out,
        "built {} pages and {} files into {} in {elapsed:.0} ms",
        checked.site.pages.len(),
        built.files_written,
        settings.output.display()
    ))?;
    if checked.degraded_pages > 0 {
        // The site is written so the other pages can be previewed, but CI must not pass.
        eprintln!(
            "build failed: {} page(s) built without their front matter (see the errors above)",
            checked.degraded_pages
        );
        return Ok(Outcome::Failure);
    }
    Ok(Outcome::Success)
}
