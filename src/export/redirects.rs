//! Redirects for old URLs: a static page per set (`redirects/<id>/index.html`) whose script
//! reads the old URL's fragment (or path) and sends the browser on, and, for source URLs
//! without a fragment (which a server can see), `_redirects`, an nginx `map` and a
//! Microsoft Learn `.openpublishing.redirection.json`.

use super::{to_json, to_script_json, GENERATOR};
use crate::model::migration::{MappingEntry, MappingSet, MappingStatus};
use crate::model::Site;
use crate::output::OutputFile;
use crate::urls::escape_html;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

/// The data the redirect script reads.
#[derive(Serialize)]
struct RedirectData<'a> {
    id: &'a str,
    source: &'a str,
    target: &'a str,
    page_url: Option<&'a str>,
    entries: Vec<RedirectEntry<'a>>,
}

/// One entry. A set can hold tens of thousands, all inlined into one page, so what the
/// script does not need is left out: `path` when the entry has a fragment (only sources
/// without one are matched by path), and absent values rather than `null`.
#[derive(Serialize)]
struct RedirectEntry<'a> {
    label: &'a str,
    source_url: &'a str,
    /// Everything after `#`; absent for sources without a fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    fragment: Option<&'a str>,
    /// The path (and query) of the source URL; only for sources without a fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_url: Option<&'a str>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// The path (with query) and fragment of an absolute URL.
fn split_url(url: &str) -> (String, Option<&str>) {
    let (before, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let after_scheme = before.find("://").map_or(0, |i| i + 3);
    let path = before[after_scheme..]
        .find(['/', '?'])
        .map_or("/".to_string(), |i| {
            let p = &before[after_scheme + i..];
            if p.starts_with('?') {
                format!("/{p}")
            } else {
                p.to_string()
            }
        });
    (path, fragment)
}

fn redirect_page(site: &Site, set: &MappingSet) -> String {
    let base = &site.config.base_path;
    let data = RedirectData {
        id: &set.id,
        source: &set.source.name,
        target: &set.target.name,
        page_url: set.page_url.as_deref(),
        entries: set
            .entries
            .iter()
            .map(|e| {
                let (path, fragment) = split_url(&e.source_url);
                RedirectEntry {
                    label: &e.label,
                    source_url: &e.source_url,
                    fragment,
                    path: fragment.is_none().then_some(path),
                    target_url: e.target_url.as_deref(),
                    status: e.status.as_str(),
                    note: e.note.as_deref(),
                }
            })
            .collect(),
    };
    let (source, target) = (escape_html(&set.source.name), escape_html(&set.target.name));
    let table_link = match &set.page_url {
        Some(url) => format!(
            "<a id=\"redirect-doc\" href=\"{}\">the table of old and new addresses</a>",
            escape_html(url)
        ),
        None => "the table of old and new addresses".to_string(),
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="generator" content="{GENERATOR}">
<title>{source} to {target}: redirect - {title}</title>
<meta name="color-scheme" content="light dark">
<script>try{{var t=localStorage.getItem("docshift-theme");if(t==="light"||t==="dark")document.documentElement.setAttribute("data-theme",t)}}catch(e){{}}</script>
<link rel="icon" href="{base}static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{base}static/docshift.css">
<script type="application/json" id="docshift-redirect-data">{data}</script>
<script src="{base}static/docshift-redirect.js"></script>
</head>
<body>
<main class="main redirect-page" id="main-content">
<article class="article">
<h1>Moved from {source} to {target}</h1>
<p id="redirect-intro">This page forwards old {source} addresses to their new place in {target}. Open it with the old address's fragment, for example <code>{base}redirects/{id}/#…</code>.</p>
<div id="redirect-result" class="alert" hidden>
<p class="alert-title" id="redirect-title"></p>
<p><span id="redirect-old-label">Old address</span>: <code id="redirect-old"></code></p>
<p id="redirect-message"></p>
<p id="redirect-note" hidden></p>
<p><a id="redirect-target" hidden></a></p>
</div>
<noscript><p>This page needs JavaScript to read the old address.</p></noscript>
<p>All old addresses and their new places: {table_link} (<a href="{base}mappings/{id}.json">JSON</a>, <a href="{base}mappings/{id}.csv">CSV</a>).</p>
</article>
</main>
</body>
</html>
"#,
        lang = escape_html(&site.config.language),
        title = escape_html(&site.config.title),
        data = to_script_json(&data),
        id = set.id,
    )
}

/// Path-based, mapped entries: (source path, target URL), first one per path.
pub(super) fn path_redirects(site: &Site) -> Vec<(&MappingSet, &MappingEntry, String)> {
    let mut seen = FxHashSet::default();
    let mut out = Vec::new();
    for set in &site.migration.sets {
        for e in &set.entries {
            let (path, fragment) = split_url(&e.source_url);
            if fragment.is_some() || e.status != MappingStatus::Mapped {
                continue;
            }
            if seen.insert(path.clone()) {
                out.push((set, e, path));
            }
        }
    }
    out
}

/// Characters that a redirect rule file cannot carry without escaping rules of its own.
fn is_plain(s: &str) -> bool {
    !s.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '$' | '\\' | '{' | '}' | ';'))
}

fn netlify(rules: &[(&MappingSet, &MappingEntry, String)]) -> String {
    let mut out =
        format!("# Generated by {GENERATOR}: old paths to new URLs. Serve from the old host.\n");
    for (set, e, path) in rules {
        let target = e.target_url.as_deref().unwrap_or_default();
        if path.contains('?') || !is_plain(path) || !is_plain(target) {
            out.push_str(&format!("# skipped ({}): {}\n", set.id, e.source_url));
            continue;
        }
        out.push_str(&format!("{path} {target} 301\n"));
    }
    out
}

fn nginx(rules: &[(&MappingSet, &MappingEntry, String)]) -> String {
    let mut out = format!(
        "# Generated by {GENERATOR}: old paths to new URLs.\n# Include inside `http {{ }}`, then in the old host's `server {{ }}`:\n#     if ($docshift_redirect) {{ return 301 $docshift_redirect; }}\nmap $uri $docshift_redirect {{\n    default \"\";\n"
    );
    for (set, e, path) in rules {
        let target = e.target_url.as_deref().unwrap_or_default();
        if path.contains('?') || !is_plain(path) || !is_plain(target) {
            out.push_str(&format!("    # skipped ({}): {}\n", set.id, e.source_url));
            continue;
        }
        out.push_str(&format!("    \"{path}\" \"{target}\";\n"));
    }
    out.push_str("}\n");
    out
}

#[derive(Serialize)]
struct Redirection<'a> {
    source_path_from_root: String,
    redirect_url: &'a str,
    redirect_document_id: bool,
}

#[derive(Serialize)]
struct Redirections<'a> {
    redirections: Vec<Redirection<'a>>,
}

fn openpublishing(rules: &[(&MappingSet, &MappingEntry, String)]) -> String {
    let redirections = rules
        .iter()
        .filter(|(_, _, path)| !path.contains('?'))
        .map(|(set, e, path)| Redirection {
            // A moved page's own file, as its redirection file named it.
            source_path_from_root: if set.moves {
                format!("/{}", e.label)
            } else if path.ends_with('/') {
                format!("{path}index.md")
            } else {
                format!("{path}.md")
            },
            redirect_url: e.target_url.as_deref().unwrap_or_default(),
            redirect_document_id: false,
        })
        .collect();
    to_json(&Redirections { redirections })
}

/// The redirect page of every set, plus the server rules when some sources are paths.
pub(super) fn redirect_files(site: &Site) -> Vec<OutputFile> {
    let mut files: Vec<OutputFile> = site
        .migration
        .sets
        .par_iter()
        .map(|set| {
            OutputFile::text(
                format!("redirects/{}/index.html", set.id),
                redirect_page(site, set),
            )
        })
        .collect();
    let rules = path_redirects(site);
    if !rules.is_empty() {
        files.push(OutputFile::text("_redirects", netlify(&rules)));
        files.push(OutputFile::text("redirects/nginx-map.conf", nginx(&rules)));
        files.push(OutputFile::text(
            ".openpublishing.redirection.json",
            openpublishing(&rules),
        ));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths_and_fragments() {
        assert_eq!(
            split_url("https://cloudpartner.azure.com/#insights/payout"),
            ("/".to_string(), Some("insights/payout"))
        );
        assert_eq!(split_url("https://a.example"), ("/".to_string(), None));
        assert_eq!(
            split_url("https://a.example/docs/x?y=1"),
            ("/docs/x?y=1".to_string(), None)
        );
        assert_eq!(
            split_url("https://a.example?y=1"),
            ("/?y=1".to_string(), None)
        );
    }

    /// An entry carries `path` only when it has no fragment, and no `null`s.
    #[test]
    fn entries_leave_out_what_the_script_does_not_read() {
        let entry = |url: &'static str| {
            let (path, fragment) = split_url(url);
            serde_json::to_string(&RedirectEntry {
                label: "x",
                source_url: url,
                fragment,
                path: fragment.is_none().then_some(path),
                target_url: None,
                status: "unsupported",
                note: None,
            })
            .expect("serialises")
        };
        assert_eq!(
            entry("https://a.example/#x"),
            r#"{"label":"x","source_url":"https://a.example/#x","fragment":"x","status":"unsupported"}"#
        );
        assert_eq!(
            entry("https://a.example/docs"),
            r#"{"label":"x","source_url":"https://a.example/docs","path":"/docs","status":"unsupported"}"#
        );
    }
}
