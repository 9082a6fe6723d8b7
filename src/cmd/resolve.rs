//! `docshift resolve URL...`: looks old URLs up in the mapping sets, reading the sources
//! directly (load, parse, migration; no check, no render).

use super::{settings_for, Outcome};
use crate::cli::{ResolveArgs, ResolveFormat};
use crate::error::Result;
use crate::export::{to_json_text, GENERATOR, SCHEMA_VERSION};
use crate::migration::{resolve, Match, MatchKind};
use crate::model::migration::{MappingStatus, Origin};
use crate::model::Migration;
use crate::pipeline::load_site;
use serde::Serialize;
use std::io::Write;

/// One looked-up URL.
#[derive(Debug, Serialize)]
struct Resolved<'m> {
    input: &'m str,
    status: &'static str,
    target_url: Option<&'m str>,
    note: Option<&'m str>,
    #[serde(rename = "match")]
    matched: Option<MatchView<'m>>,
}

#[derive(Debug, Serialize)]
struct MatchView<'m> {
    kind: MatchKind,
    key: &'m str,
    set: &'m str,
    label: &'m str,
    origin: &'m Origin,
}

#[derive(Serialize)]
struct Report<'m> {
    schema_version: u32,
    generator: &'static str,
    results: Vec<Resolved<'m>>,
}

fn look_up<'m>(migration: &'m Migration, input: &'m str) -> Resolved<'m> {
    let found: Option<Match<'m>> = resolve(migration, input);
    let Some(m) = found else {
        return Resolved {
            input,
            status: "unknown",
            target_url: None,
            note: None,
            matched: None,
        };
    };
    Resolved {
        input,
        status: m.entry.status.as_str(),
        target_url: m.entry.target_url.as_deref(),
        note: m.entry.note.as_deref(),
        matched: Some(MatchView {
            kind: m.kind,
            key: &m.entry.source_url,
            set: &m.set.id,
            label: &m.entry.label,
            origin: &m.entry.origin,
        }),
    }
}

fn human(results: &[Resolved<'_>], migration: &Migration) -> String {
    let mut out = String::new();
    for r in results {
        match (&r.matched, r.target_url) {
            (Some(_), Some(target)) => out.push_str(&format!("{target}\n")),
            (Some(_), None) => out.push_str(&format!("unsupported: {}\n", r.input)),
            (None, _) => out.push_str(&format!("unknown: {}\n", r.input)),
        }
        if let Some(m) = &r.matched {
            let how = match m.kind {
                MatchKind::Exact => "exact key",
                MatchKind::FragmentPrefix => "longest fragment prefix",
                MatchKind::PathPrefix => "longest path prefix",
            };
            out.push_str(&format!("  from:  {}\n", r.input));
            if let Some(note) = r.note {
                out.push_str(&format!("  note:  {note}\n"));
            }
            out.push_str(&format!(
                "  match: {how} {} ({}; set {}, {}:{})\n",
                m.key, m.label, m.set, m.origin.file, m.origin.line
            ));
        } else {
            let keys: usize = migration.sets.iter().map(|s| s.entries.len()).sum();
            out.push_str(&format!(
                "  no key matches ({keys} keys in {} sets)\n",
                migration.sets.len()
            ));
        }
    }
    out
}

/// True for an absolute URL with a host (`https://host/...`): what a mapping key is (besides
/// the site paths of page moves), so anything else is a mistake in the command, not an
/// unknown URL.
fn is_absolute_url(input: &str) -> bool {
    let Some(scheme) = crate::urls::scheme_of(input) else {
        return false;
    };
    let rest = &input[scheme.len() + 1..];
    rest.strip_prefix("//").is_some_and(|r| {
        !r.is_empty() && !r.starts_with(['/', '?', '#']) && !r.contains(char::is_whitespace)
    })
}

/// True for a path of the site itself (`/old-page/`): the key of a page moved by a
/// redirection file when the site has no `url`. A protocol-relative `//host` is not one.
fn is_site_path(input: &str) -> bool {
    input.starts_with('/') && !input.starts_with("//") && !input.contains(char::is_whitespace)
}

pub(super) fn run(args: &ResolveArgs, out: &mut dyn Write) -> Result<Outcome> {
    let valid = |u: &str| is_absolute_url(u) || is_site_path(u);
    if let Some(bad) = args.urls.iter().find(|u| !valid(u.trim())) {
        return Err(crate::error::Error::NotAUrl { input: bad.clone() });
    }
    let settings = settings_for(&args.site, None)?;
    let (site, _, _) = load_site(&settings)?;
    let migration = &site.migration;
    let results: Vec<Resolved<'_>> = args.urls.iter().map(|u| look_up(migration, u)).collect();
    let all_mapped = results
        .iter()
        .all(|r| r.status == MappingStatus::Mapped.as_str());
    let text = match args.format {
        ResolveFormat::Human => human(&results, migration),
        ResolveFormat::Json => to_json_text(&Report {
            schema_version: SCHEMA_VERSION,
            generator: GENERATOR,
            results,
        }),
    };
    super::ignore_broken_pipe(out.write_all(text.as_bytes()))?;
    Ok(if all_mapped {
        Outcome::Success
    } else {
        Outcome::Failure
    })
}
