//! The progress bar of `build` and `check` (indicatif), drawn on stderr only when stderr is
//! a terminal: piped or redirected output (CI logs, `2>file`) gets no bar at all.

use crate::pipeline::{Progress, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar for the pipeline's steps.
pub(super) struct Bar(ProgressBar);

impl Bar {
    /// A bar on stderr when it is a terminal, else one that never draws.
    pub(super) fn on_stderr() -> Bar {
        Bar::new(std::io::stderr().is_terminal())
    }

    fn new(terminal: bool) -> Bar {
        let target = if terminal {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        // The template is a constant: it parses, or the unit test below fails.
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>9} [{bar:30}] {pos}/{len} pages ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
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
        self.0.reset();
        self.0.set_length(total as u64);
        self.0.set_message(step.label());
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
        assert!(
            ProgressStyle::with_template("{msg:>9} [{bar:30}] {pos}/{len} pages ({elapsed})")
                .is_ok()
        );
    }
}
