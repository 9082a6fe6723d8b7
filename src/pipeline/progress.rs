//! Progress of the long steps of a round, for a progress bar. The pipeline only reports
//! counts; drawing (and deciding whether to draw) is the command's business.

/// A long step of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Parsing the pages whose sources changed.
    Parse,
    /// Rendering the pages whose output changed.
    Render,
}

impl Step {
    /// The verb shown next to the bar.
    pub const fn label(self) -> &'static str {
        match self {
            Step::Parse => "parsing",
            Step::Render => "rendering",
        }
    }
}

/// Receives the progress of a round. Called from the worker threads, so it must be cheap
/// and thread-safe.
pub trait Progress: Send + Sync {
    /// `step` starts, with `total` pages to do.
    fn start(&self, step: Step, total: usize);
    /// One more page of the current step is done.
    fn advance(&self);
}

/// Progress that goes nowhere (library callers, `serve`, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: Step, _: usize) {}
    fn advance(&self) {}
}

/// A stage of a round whose end the hook of [`set_stage_hook`] hears, in this order (a round
/// that fails before the render ends at [`Stage::Check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Every stale page parsed.
    Parse,
    /// The site assembled and the migration stage run.
    Migration,
    /// The checks run.
    Check,
    /// The pages rendered (and indexed for search, in a one-shot build).
    Render,
    /// The search index's files made.
    SearchFiles,
    /// The migration exports made.
    Exports,
    /// `site.json` and `manifest.json` made: the end of the round's outputs.
    SiteJson,
}

impl Stage {
    /// What the stage makes, for a report.
    pub const fn label(self) -> &'static str {
        match self {
            Stage::Parse => "parse",
            Stage::Migration => "assemble and migration stage",
            Stage::Check => "check",
            Stage::Render => "render (and search index)",
            Stage::SearchFiles => "search files",
            Stage::Exports => "migration exports",
            Stage::SiteJson => "site.json and manifest",
        }
    }
}

static STAGE_HOOK: std::sync::OnceLock<fn(Stage)> = std::sync::OnceLock::new();

/// Has `hook` called at the end of each stage of every round from now on, on the thread
/// that runs the round: a way to measure a round stage by stage (the binary built with the
/// `heap-stages` feature prints the live heap at each, see docs/benchmarks.md). Only the
/// first hook set is kept; false when one was set already.
pub fn set_stage_hook(hook: fn(Stage)) -> bool {
    STAGE_HOOK.set(hook).is_ok()
}

/// Tells the hook of [`set_stage_hook`], if any, that `stage` ended.
pub(crate) fn stage_done(stage: Stage) {
    if let Some(hook) = STAGE_HOOK.get() {
        hook(stage);
    }
}
