//! The dev server's request-path handling: whatever the request target, the answer is a
//! file of the site (no `..`, no absolute path, no backslash, no drive letter), a redirect
//! to a path on this server, or nothing.
#![no_main]

use docshift::serve::http::{resolve, Target};
use docshift::urls::normalize_base_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A first line is the site's base path, as the configuration turns it into one.
    let (base, url) = match text.split_once('\n') {
        Some((base, url)) => (normalize_base_path(base), url),
        None => ("/".to_string(), text),
    };
    // Every path "exists", so only the refusal rules stand between a request and a file.
    match resolve(url, &base, |_| true) {
        Target::File(path) => {
            assert!(!path.starts_with('/'), "absolute: {path:?} from {url:?}");
            assert!(
                !path.contains('\\') && !path.contains('\0'),
                "{path:?} from {url:?}"
            );
            assert!(
                path.split('/')
                    .all(|s| s != ".." && s != "." && !s.contains(':')),
                "{path:?} from {url:?}"
            );
        }
        Target::Redirect(to) => {
            assert!(
                to.starts_with('/') && !to.starts_with("//"),
                "{to:?} from {url:?}"
            );
        }
        Target::NotFound => {}
    }
});
