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
