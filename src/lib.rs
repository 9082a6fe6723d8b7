//! docshift: a static-site generator and link checker for portal-migration documentation
//! written in Microsoft Learn / DocFX-flavoured Markdown.
//!
//! The pipeline, one module per stage, each reading what the one before produced:
//!
//! ```text
//! discover ─▶ load ─────▶ parse ───────▶ assemble ──▶ migrate ─────▶ check ──────▶ report
//! (walkdir)   (SourceFile) (Page: facts   (model::Site) (migration:    (Diagnostic)  (human | json |
//!                          + doc nodes)                  sets, API,                   github | sarif)
//!                                                        FAQ, drift)
//!                                                              └─▶ outputs: render (pages, static
//!                                                                  files) · search · export (JSON,
//!                                                                  CSV, sitemap, redirects)
//! ```
//!
//! [`pipeline::Session`] runs those steps for `build`, `check` and `serve` alike; a session
//! that keeps its previous state re-does only what a change affects ([`serve`] feeds it the
//! changes its watcher sees). A full build is the same render on an empty previous state.
//!
//! Dependency direction: leaves (`diag`, `source`, `urls`, `yaml`, `slug`, `error`, `output`) →
//! `settings`, `model` → stages (`discover`, `parse`, `migration`, `check`, `render`,
//! `export`, `search`) and `report` → `pipeline` → `serve` → `cmd`, `cli`.
//! A stage never imports another stage; stages meet only through `model` (the HTML the
//! exports show comes from `render` through [`model::doc::FragmentHtml`]).

#![allow(
    clippy::result_large_err,
    reason = "the error side is a per-file Diagnostic that is moved into a list at once; boxing it buys nothing"
)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
pub mod diff;
pub mod discover;
pub mod error;
pub mod export;
pub mod migration;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod settings;
pub mod slug;
pub mod source;
pub mod suggest;
pub mod urls;
pub mod yaml;

pub use diag::{Code, Diagnostic, Severity};
pub use error::{Error, Result};
pub use model::Site;
pub use settings::{Config, Settings};
