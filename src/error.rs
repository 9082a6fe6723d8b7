//! Fatal errors: conditions that stop a command (bad settings, unwritable output,
//! template errors). Content problems are never errors; they are diagnostics.

use std::path::PathBuf;

/// A fatal error with its cause.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file is missing or invalid (exit code 2).
    #[error("invalid configuration {}: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A folder given on the command line does not exist (exit code 2).
    #[error("{what} folder {} does not exist", path.display())]
    MissingFolder {
        /// Which folder (content, ...).
        what: &'static str,
        /// The path.
        path: PathBuf,
    },
    /// A path given on the command line as a folder is a file (exit code 2).
    #[error("{what} path {} is a file, not a folder", path.display())]
    NotAFolder {
        /// Which folder (content, ...).
        what: &'static str,
        /// The path.
        path: PathBuf,
    },
    /// Reading a file failed.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Writing the output failed.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The output folder holds files docshift did not write.
    #[error("refusing to replace {}: it exists and was not written by docshift (no .docshift-output marker); remove it or choose another --output", path.display())]
    ForeignOutput {
        /// The output folder.
        path: PathBuf,
    },
    /// The output folder and the content folder contain one another.
    #[error("refusing to write the site to {}: it {relation} the content folder {}, so every build would read the previous one as content; choose an --output outside it", output.display(), content.display())]
    OutputOverlapsContent {
        /// The output folder.
        output: PathBuf,
        /// The content folder.
        content: PathBuf,
        /// `is inside` or `contains`.
        relation: &'static str,
    },
    /// A template failed to compile or render.
    #[error("template error: {0}")]
    Template(String),
    /// `serve` could not listen on the address.
    #[error("cannot listen on {addr}: {message}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        message: String,
    },
    /// `serve` could not watch a folder.
    #[error("cannot watch {}: {message}", path.display())]
    Watch {
        /// The folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// `init` would overwrite existing files.
    #[error("refusing to overwrite existing files in {}: {}", dir.display(), files.join(", "))]
    WouldOverwrite {
        /// The target folder.
        dir: PathBuf,
        /// The files that exist.
        files: Vec<String>,
    },
    /// A version given to `diff` cannot be read (exit code 2).
    #[error("cannot compare {input}: {message}")]
    DiffInput {
        /// The argument as given.
        input: String,
        /// Why.
        message: String,
    },
    /// An argument that must be an absolute URL is not one (exit code 2).
    #[error("`{input}` is not an absolute URL: give it with its scheme and host, like https://example.com/page (or a path of the site, like /old-page/)")]
    NotAUrl {
        /// The argument as given.
        input: String,
    },
}

impl Error {
    /// A next step for the reader, when there is an obvious one.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Error::MissingFolder {
                what: "content", ..
            } => Some(
                "create it, point --content at the folder that holds your Markdown, or run `docshift init DIR` to start a new site",
            ),
            Error::NotAUrl { .. } => Some(
                "usage: docshift resolve [--format human|json] URL... (for example `docshift resolve https://cloudpartner.azure.com/#insights`)",
            ),
            _ => None,
        }
    }

    /// True for usage and configuration errors (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Config { .. }
                | Error::MissingFolder { .. }
                | Error::NotAFolder { .. }
                | Error::WouldOverwrite { .. }
                | Error::NotAUrl { .. }
                | Error::DiffInput { .. }
                | Error::OutputOverlapsContent { .. }
                | Error::ForeignOutput { .. }
        )
    }
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
