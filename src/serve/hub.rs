//! What the serve loop shares with the HTTP threads: the last good build's files, the
//! current errors, and a short log of events that live-reload clients wait for (a
//! `Condvar`, no async runtime). Passed around as `Arc<Hub>`; no globals.

use crate::pipeline::FileMap;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// How many events are kept for clients that are slow to pick them up; a client that
/// fell further behind just reloads.
const KEPT_EVENTS: usize = 64;

/// The files being served.
#[derive(Debug)]
pub struct Served {
    /// Counts the builds that changed the served files (1 for the first).
    pub generation: u64,
    /// Every output file.
    pub files: FileMap,
    /// The site's base path (`/` or `/docs/`).
    pub base_path: String,
}

/// One error shown in the browser overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverlayError {
    /// Content-relative file ("" when the error is not about one file).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// Diagnostic code, or `build` for a fatal error.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

/// A server-sent event for live-reload clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Reload the page.
    Reload {
        /// The new generation.
        generation: u64,
    },
    /// Swap these stylesheets (output paths) without reloading.
    Css {
        /// The new generation.
        generation: u64,
        /// Changed stylesheets.
        files: Vec<String>,
    },
    /// The current errors (empty: hide the overlay).
    Errors(Vec<OverlayError>),
}

impl Event {
    /// The event in `text/event-stream` format.
    pub fn to_sse(&self) -> String {
        let (name, data) = match self {
            Event::Reload { generation } => {
                ("reload", serde_json::json!({ "generation": generation }))
            }
            Event::Css { generation, files } => (
                "css",
                serde_json::json!({ "generation": generation, "files": files }),
            ),
            Event::Errors(errors) => ("errors", serde_json::json!({ "errors": errors })),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

#[derive(Default)]
struct State {
    served: Option<Arc<Served>>,
    errors: Vec<OverlayError>,
    events: VecDeque<(u64, Event)>,
    seq: u64,
    shutdown: bool,
}

/// What a waiting client gets.
#[derive(Debug, PartialEq, Eq)]
pub enum Wake {
    /// New events, with the sequence number of the last one.
    Events(u64, Vec<Event>),
    /// Nothing happened within the timeout.
    Timeout,
    /// The server is stopping.
    Shutdown,
}

/// Shared serve state; see the module documentation.
#[derive(Default)]
pub struct Hub {
    state: Mutex<State>,
    wake: Condvar,
}

impl Hub {
    /// An empty hub (nothing built yet).
    pub fn new() -> Hub {
        Hub::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn push(state: &mut State, event: Event) {
        state.seq += 1;
        state.events.push_back((state.seq, event));
        while state.events.len() > KEPT_EVENTS {
            state.events.pop_front();
        }
    }

    /// Serves a new build. `css` lists the changed stylesheets when nothing else changed.
    pub fn publish_files(&self, files: FileMap, base_path: &str, css: Option<Vec<String>>) {
        let mut state = self.lock();
        let generation = state.served.as_ref().map_or(0, |s| s.generation) + 1;
        state.served = Some(Arc::new(Served {
            generation,
            files,
            base_path: base_path.to_string(),
        }));
        let event = match css {
            Some(files) => Event::Css { generation, files },
            None => Event::Reload { generation },
        };
        Hub::push(&mut state, event);
        self.wake.notify_all();
    }

    /// Sets the current errors; clients hear about it only when they changed.
    pub fn publish_errors(&self, errors: Vec<OverlayError>) {
        let mut state = self.lock();
        if state.errors != errors {
            state.errors = errors.clone();
            Hub::push(&mut state, Event::Errors(errors));
            self.wake.notify_all();
        }
    }

    /// The files being served (`None` before the first good build).
    pub fn served(&self) -> Option<Arc<Served>> {
        self.lock().served.clone()
    }

    /// For a new client: the current sequence number, generation and errors.
    pub fn subscribe(&self) -> (u64, u64, Vec<OverlayError>) {
        let state = self.lock();
        let generation = state.served.as_ref().map_or(0, |s| s.generation);
        (state.seq, generation, state.errors.clone())
    }

    /// Blocks until there are events after `seen`, the timeout passes, or shutdown.
    pub fn wait(&self, seen: u64, timeout: Duration) -> Wake {
        let state = self.lock();
        let (state, _) = self
            .wake
            .wait_timeout_while(state, timeout, |s| s.seq <= seen && !s.shutdown)
            .unwrap_or_else(|e| e.into_inner());
        if state.shutdown {
            return Wake::Shutdown;
        }
        if state.seq <= seen {
            return Wake::Timeout;
        }
        let oldest = state.events.front().map_or(state.seq, |(s, _)| *s);
        let events = if oldest > seen + 1 {
            let generation = state.served.as_ref().map_or(0, |s| s.generation);
            vec![Event::Reload { generation }]
        } else {
            state
                .events
                .iter()
                .filter(|(s, _)| *s > seen)
                .map(|(_, e)| e.clone())
                .collect()
        };
        Wake::Events(state.seq, events)
    }

    /// Wakes every client up to stop.
    pub fn shutdown(&self) {
        self.lock().shutdown = true;
        self.wake.notify_all();
    }

    /// True once [`Hub::shutdown`] was called.
    pub fn is_shut_down(&self) -> bool {
        self.lock().shutdown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_get_every_event_after_what_they_saw() {
        let hub = Hub::new();
        let (seen, generation, errors) = hub.subscribe();
        assert_eq!((seen, generation, errors.len()), (0, 0, 0));
        assert_eq!(hub.wait(seen, Duration::from_millis(1)), Wake::Timeout);
        hub.publish_files(FileMap::new(), "/", None);
        hub.publish_errors(vec![]);
        hub.publish_files(FileMap::new(), "/", Some(vec!["static/a.css".into()]));
        let Wake::Events(last, events) = hub.wait(seen, Duration::from_secs(1)) else {
            panic!("events expected")
        };
        assert_eq!(last, 2, "unchanged errors are not an event");
        assert_eq!(
            events,
            vec![
                Event::Reload { generation: 1 },
                Event::Css {
                    generation: 2,
                    files: vec!["static/a.css".into()]
                }
            ]
        );
        hub.shutdown();
        assert_eq!(hub.wait(last, Duration::from_secs(1)), Wake::Shutdown);
    }

    #[test]
    fn clients_far_behind_reload() {
        let hub = Hub::new();
        for _ in 0..KEPT_EVENTS + 5 {
            hub.publish_files(FileMap::new(), "/", None);
        }
        let Wake::Events(_, events) = hub.wait(0, Duration::from_secs(1)) else {
            panic!("events expected")
        };
        assert_eq!(events.len(), 1);
        assert!(matches!(events[0], Event::Reload { .. }));
    }
}
