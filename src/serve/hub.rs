//! What the serve loop shares with the HTTP server: the last good build's files, the
//! current errors, and a short log of events that live-reload clients read. The hub knows
//! nothing of how the server waits: it calls the listeners registered with
//! [`Hub::on_change`] after every change, and clients then ask [`Hub::events_since`].
//! Passed around as `Arc<Hub>`; no globals.

use crate::pipeline::FileMap;
use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

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
    /// Link that opens the file at the finding in the writer's editor (`editor` in
    /// `site.yaml`); omitted when unset or when the error is not about one file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editor_url: Option<String>,
}

/// A live-reload event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The first event of every stream: which server this is and the generation it serves.
    Hello {
        /// Differs between two runs of `serve`: a page that reconnects to a restarted server
        /// reloads, since generations start again at 1.
        instance: u64,
        /// The generation being served.
        generation: u64,
    },
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
    /// The event's name and data.
    fn parts(&self) -> (&'static str, serde_json::Value) {
        match self {
            Event::Hello {
                instance,
                generation,
            } => (
                "hello",
                // A string: JavaScript numbers lose precision past 2^53.
                serde_json::json!({ "instance": instance.to_string(), "generation": generation }),
            ),
            Event::Reload { generation } => {
                ("reload", serde_json::json!({ "generation": generation }))
            }
            Event::Css { generation, files } => (
                "css",
                serde_json::json!({ "generation": generation, "files": files }),
            ),
            Event::Errors(errors) => ("errors", serde_json::json!({ "errors": errors })),
        }
    }

    /// The event in `text/event-stream` format.
    pub fn to_sse(&self) -> String {
        let (name, data) = self.parts();
        format!("event: {name}\ndata: {data}\n\n")
    }

    /// The event as one WebSocket text message: `{"event":NAME,"data":DATA}`.
    pub fn to_message(&self) -> String {
        let (name, data) = self.parts();
        serde_json::json!({ "event": name, "data": data }).to_string()
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

/// What a client that has seen the events up to some sequence number gets next.
#[derive(Debug, PartialEq, Eq)]
pub enum Wake {
    /// New events, with the sequence number of the last one.
    Events(u64, Vec<Event>),
    /// Nothing new yet.
    Nothing,
    /// The server is stopping.
    Shutdown,
}

/// Called after every change of the hub.
type Listener = Box<dyn Fn() + Send + Sync>;

/// Shared serve state; see the module documentation.
pub struct Hub {
    instance: u64,
    state: Mutex<State>,
    listeners: Mutex<Vec<Listener>>,
}

impl Default for Hub {
    fn default() -> Hub {
        // Unique enough to tell two runs apart: the start time and the process id.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Hub {
            instance: nanos ^ u64::from(std::process::id()).rotate_left(48),
            state: Mutex::default(),
            listeners: Mutex::default(),
        }
    }
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
        drop(state);
        self.changed();
    }

    /// Sets the current errors; clients hear about it only when they changed.
    pub fn publish_errors(&self, errors: Vec<OverlayError>) {
        let mut state = self.lock();
        if state.errors != errors {
            state.errors = errors.clone();
            Hub::push(&mut state, Event::Errors(errors));
            drop(state);
            self.changed();
        }
    }

    /// The files being served (`None` before the first good build).
    pub fn served(&self) -> Option<Arc<Served>> {
        self.lock().served.clone()
    }

    /// For a new client: the sequence number its events continue from, and its first
    /// events ([`Event::Hello`] with the generation being served, then the current errors).
    pub fn subscribe(&self) -> (u64, Vec<Event>) {
        let state = self.lock();
        let generation = state.served.as_ref().map_or(0, |s| s.generation);
        let first = vec![
            Event::Hello {
                instance: self.instance,
                generation,
            },
            Event::Errors(state.errors.clone()),
        ];
        (state.seq, first)
    }

    /// Registers `listener`, called (outside the hub's lock) after every new event and at
    /// shutdown: the server wakes its waiting clients with it.
    pub fn on_change(&self, listener: impl Fn() + Send + Sync + 'static) {
        self.listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Box::new(listener));
    }

    fn changed(&self) {
        for listener in self
            .listeners
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            listener();
        }
    }

    /// The events after `seen` (a client that fell further behind than the kept events gets
    /// one reload), nothing, or shutdown. Never blocks.
    pub fn events_since(&self, seen: u64) -> Wake {
        let state = self.lock();
        if state.shutdown {
            return Wake::Shutdown;
        }
        if state.seq <= seen {
            return Wake::Nothing;
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

    /// Tells every client to stop.
    pub fn shutdown(&self) {
        self.lock().shutdown = true;
        self.changed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_get_every_event_after_what_they_saw() {
        let hub = Hub::new();
        let (seen, first) = hub.subscribe();
        assert_eq!(seen, 0);
        let instance = hub.instance;
        assert_eq!(
            first,
            vec![
                Event::Hello {
                    instance,
                    generation: 0
                },
                Event::Errors(vec![])
            ]
        );
        assert_eq!(
            first[0].to_message(),
            format!(r#"{{"data":{{"generation":0,"instance":"{instance}"}},"event":"hello"}}"#)
        );
        assert_ne!(Hub::new().instance, 0);
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = calls.clone();
        hub.on_change(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        });
        assert_eq!(hub.events_since(seen), Wake::Nothing);
        hub.publish_files(FileMap::new(), "/", None);
        hub.publish_errors(vec![]);
        hub.publish_files(FileMap::new(), "/", Some(vec!["static/a.css".into()]));
        assert_eq!(
            calls.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "listeners hear of every event, not of unchanged errors"
        );
        let Wake::Events(last, events) = hub.events_since(seen) else {
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
        assert_eq!(hub.events_since(last), Wake::Nothing);
        hub.shutdown();
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert_eq!(hub.events_since(last), Wake::Shutdown);
    }

    #[test]
    fn clients_far_behind_reload() {
        let hub = Hub::new();
        for _ in 0..KEPT_EVENTS + 5 {
            hub.publish_files(FileMap::new(), "/", None);
        }
        let Wake::Events(_, events) = hub.events_since(0) else {
            panic!("events expected")
        };
        assert_eq!(events.len(), 1);
        assert!(matches!(events[0], Event::Reload { .. }));
    }
}
