//! The progress bar of `build` and `check` (indicatif), drawn on stderr only when stderr is
//! a terminal: piped or redirected output (CI logs, `2>file`) gets no bar at all.

use crate::pipeline::{Progress, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// What the bar shows: `  parsing [=====>    ] 1200/3000 pages (2s)`.
const TEMPLATE: &str = "{msg:>9} [{bar:30}] {pos}/{len} pages ({elapsed})";

/// A progress bar for the pipeline's steps.
pub(super) struct Bar(ProgressBar);

impl Bar {
    /// A bar on stderr when it is a terminal, else one that never draws.
    pub(super) fn on_stderr() -> Bar {
        Bar::new(std::io::stderr().is_terminal())
    }

    fn new(terminal: bool) -> Bar {
        let bar = ProgressBar::hidden();
        // The template is a constant: it parses, or the unit test below fails.
        if let Ok(style) = ProgressStyle::with_template(TEMPLATE) {
            bar.set_style(style.progress_chars("=> "));
        }
        // Attached after it is styled, so nothing is drawn before the first step starts.
        if terminal {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        Bar(bar)
    }

    /// Removes the bar before the report is printed.
    pub(super) fn clear(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, step: Step, total: usize) {
        self.0.set_message(step.label());
        self.0.set_position(0);
        self.0.set_length(total as u64);
        self.0.reset_elapsed();
    }

    fn advance(&self) {
        self.0.inc(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_draws_only_on_a_terminal() {
        assert!(Bar::new(false).0.is_hidden());
        assert!(ProgressStyle::with_template(TEMPLATE).is_ok());
    }
}
