//! YAML data files: the first byte picks the kind (a mapping file or a `YamlMime:FAQ`
//! page), the rest is the file. Validation must not panic, and its findings point inside
//! the file.
#![no_main]

use docshift::migration::data::parse_data_file;
use docshift::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let path = if kind % 2 == 0 {
        "moves.mapping.yml"
    } else {
        "faq.yml"
    };
    let src = SourceFile::from_text(path, &String::from_utf8_lossy(rest));
    let parsed = parse_data_file(&src);
    for d in &parsed.diagnostics {
        assert_eq!(d.file, path);
        assert!(
            d.line >= 1 && d.line as usize <= src.lines.line_count(),
            "{d:?}"
        );
    }
});
