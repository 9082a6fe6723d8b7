//! docshift: a static-site generator and link checker for portal-migration documentation
//! written in Microsoft Learn / DocFX-flavoured Markdown.
//!
//! The pipeline, one module per stage, each reading the model and adding to it:
//!
//! ```text
//! discover ─▶ load ─▶ parse ─▶ migration ─▶ model::Site ─▶ check ─▶ report (human | json | github | sarif)
//! (walkdir)  (SourceFile) (Page)  (mapping sets,            ├─▶ render (adapters + syntect + tera) ─▶ output
//!                                  API changes, FAQ)        ├─▶ export (JSON, CSV, schemas, redirects) ─▶ output
//!                                                            └─▶ search (sections + migration rows) ─▶ output
//! ```
//!
//! [`pipeline::Session`] runs those stages for `build`, `check` and `serve` alike; a session
//! that keeps its previous state re-does only what a change affects ([`serve`] feeds it the
//! changes its watcher sees).
//!
//! Dependency direction: leaves (`diag`, `source`, `urls`, `yaml`, `error`) → `settings`,
//! `model` → stages (`discover`, `parse`, `migration`, `check`, `render`, `export`, `search`) →
//! `pipeline` → `serve` → `cmd`.
//! A stage never imports another stage; stages meet only through `model`.

#![allow(
    clippy::result_large_err,
    reason = "the error side is a per-file Diagnostic that is moved into a list at once; boxing it buys nothing"
)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod diag;
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
pub mod source;
pub mod urls;
pub mod yaml;

pub use diag::{Code, Diagnostic, Severity};
pub use error::{Error, Result};
pub use model::Site;
pub use settings::{Config, Settings};
