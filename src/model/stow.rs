//! Bytes of a page's facts kept in a scratch file instead of memory, from the page's parse
//! to the stages that read them.
//!
//! A one-shot build of a large site holds every page's facts from its parse to its render;
//! the links and the tables, kept as bytes ([`super::PageLinks`], [`super::PageTables`]),
//! were most of what made the build's memory grow with the site (at 20,000 pages of the
//! synthetic corpus, 37 MiB of the 185 MiB live at the peak). Written to one unnamed
//! temporary file as each page is parsed, they cost a few bytes a page in memory, and each
//! reader (the migration stage, the check, the render, `site.json`) reads a page's back in
//! one read when it comes to that page.

use std::borrow::Cow;
use std::fs::File;
use std::sync::Mutex;

/// A scratch file that bytes are appended to and read back from: a one-shot build's one
/// file for its pages' parsed nodes and their stowed links and tables.
#[derive(Debug)]
pub struct Stow {
    file: File,
    /// The end of what has been written.
    end: Mutex<u64>,
}

impl Stow {
    /// Stows into `file`: an empty scratch file, removed by the system when it is closed.
    pub fn new(file: File) -> Stow {
        Stow {
            file,
            end: Mutex::new(0),
        }
    }

    /// Writes `bytes` at the end of the file; their offset, or the write's error (the
    /// space stays reserved and unused). Called from many threads at once: each write has
    /// a place of its own.
    pub fn put(&self, bytes: &[u8]) -> std::io::Result<u64> {
        let offset = {
            let mut end = self.end.lock().unwrap_or_else(|e| e.into_inner());
            let offset = *end;
            *end += bytes.len() as u64;
            offset
        };
        crate::output::write_all_at(&self.file, bytes, offset)?;
        Ok(offset)
    }

    /// Reads `len` bytes at `offset`: what a [`Stow::put`] that returned `offset` wrote.
    pub fn get(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        crate::output::read_exact_at(&self.file, &mut bytes, offset)?;
        Ok(bytes)
    }
}

/// Bytes held in memory, or stowed in a [`Stow`] until they are read.
#[derive(Debug, Clone)]
pub(super) enum StowedBytes {
    /// In memory.
    Held(Box<[u8]>),
    /// In the file: `len` bytes at `offset`.
    Stowed {
        stow: std::sync::Arc<Stow>,
        offset: u64,
        len: usize,
    },
}

impl Default for StowedBytes {
    fn default() -> Self {
        StowedBytes::Held(Box::default())
    }
}

impl StowedBytes {
    /// The bytes: borrowed when held, read from the file when stowed.
    pub(super) fn read(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            StowedBytes::Held(bytes) => Ok(Cow::Borrowed(bytes)),
            StowedBytes::Stowed { stow, offset, len } => stow.get(*offset, *len).map(Cow::Owned),
        }
    }

    /// Moves held bytes into `stow`; false (and the bytes stay held) when they could not be
    /// written, or are already stowed. Empty bytes are never written.
    pub(super) fn stow(&mut self, stow: &std::sync::Arc<Stow>) -> bool {
        let StowedBytes::Held(bytes) = self else {
            return false;
        };
        if bytes.is_empty() {
            return true;
        }
        match stow.put(bytes) {
            Ok(offset) => {
                *self = StowedBytes::Stowed {
                    stow: std::sync::Arc::clone(stow),
                    offset,
                    len: bytes.len(),
                };
                true
            }
            Err(_) => false,
        }
    }

    /// True when the bytes are in a file.
    pub(super) fn is_stowed(&self) -> bool {
        matches!(self, StowedBytes::Stowed { .. })
    }

    /// The bytes held in memory (none when stowed).
    pub(super) fn held_len(&self) -> usize {
        match self {
            StowedBytes::Held(bytes) => bytes.len(),
            StowedBytes::Stowed { .. } => 0,
        }
    }
}

/// Equal when their bytes are: a held list equals the same list stowed. A stowed side that
/// cannot be read is equal to nothing.
impl PartialEq for StowedBytes {
    fn eq(&self, other: &Self) -> bool {
        match (self.read(), other.read()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Why a page's stowed facts could not be read back: names the page and the facts.
pub fn read_error(path: &str, what: &str, e: &std::io::Error) -> String {
    format!("cannot read the {what} of {path} back from the build's temporary file: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn bytes_stowed_from_many_threads_read_back_as_they_were() {
        let stow = Arc::new(Stow::new(tempfile::tempfile().expect("scratch file")));
        let mut lists: Vec<StowedBytes> = (0..200u32)
            .map(|i| StowedBytes::Held(i.to_le_bytes().repeat(i as usize).into()))
            .collect();
        std::thread::scope(|scope| {
            for chunk in lists.chunks_mut(50) {
                let stow = &stow;
                scope.spawn(move || {
                    for bytes in chunk {
                        assert!(bytes.stow(stow));
                    }
                });
            }
        });
        for (i, bytes) in lists.iter().enumerate() {
            // The empty list (i = 0) is never written, and stays held.
            assert_eq!(bytes.is_stowed(), i > 0);
            assert_eq!(bytes.held_len(), 0);
            let expected = (i as u32).to_le_bytes().repeat(i);
            assert_eq!(&*bytes.read().expect("read"), expected.as_slice());
            assert_eq!(*bytes, StowedBytes::Held(expected.into()));
        }
    }

    #[test]
    fn a_damaged_stow_is_a_read_error() {
        let file = tempfile::tempfile().expect("scratch file");
        let stow = Arc::new(Stow::new(file.try_clone().expect("second handle")));
        let mut bytes = StowedBytes::Held(b"some bytes".to_vec().into());
        assert!(bytes.stow(&stow));
        file.set_len(2).expect("truncate");
        assert!(bytes.read().is_err());
        assert_ne!(bytes, bytes.clone());
    }
}
