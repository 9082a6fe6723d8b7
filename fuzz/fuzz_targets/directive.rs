//! The `:::` directive grammar: scanning at every `:::` of the input must not panic, and
//! validating what it recognises must not either.
#![no_main]

use docshift::parse::directive::{scan_at, validate, Scan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let starts = text.match_indices(":::").map(|(at, _)| at).take(64);
    for at in starts {
        if let Scan::Found(directive) = scan_at(&text, at) {
            let _ = validate(&directive);
        }
    }
});
