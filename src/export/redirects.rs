//! Redirects for old URLs: a static page per set (`redirects/<id>/index.html`) whose script
//! reads the old URL's fragment (or path) and sends the browser on, and, for source URLs
//! without a fragment (which a server can see), `_redirects`, an nginx `map` and a
//! Microsoft Learn `.openpublishing.redirection.json`.

use super::{to_json, write_script_json, ExportSink, GENERATOR};
use crate::model::migration::{MappingEntry, MappingSet, MappingStatus};
use crate::model::Site;
use crate::output::OutputFile;
use crate::urls::escape_html;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::io::{self, Write};

/// The data the redirect script reads.
#[derive(Serialize)]
struct RedirectData<'a> {
    id: &'a str,
    source: &'a str,
    target: &'a str,
    page_url: Option<&'a str>,
    entries: RedirectEntries<'a>,
}

/// A set's entries as the script reads them, each made as it is serialised: a set of tens
/// of thousands would otherwise be held twice, once as views.
struct RedirectEntries<'a>(&'a [MappingEntry]);

impl Serialize for RedirectEntries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|e| {
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
        }))
    }
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

/// `redirects/<id>/index.html`, written to `w`: the set's entries go into the page as they
/// are serialised.
fn write_redirect_page(site: &Site, set: &MappingSet, w: &mut dyn Write) -> io::Result<()> {
    let base = &site.config.base_path;
    let data = RedirectData {
        id: &set.id,
        source: &set.source.name,
        target: &set.target.name,
        page_url: set.page_url.as_deref(),
        entries: RedirectEntries(&set.entries),
    };
    let (source, target) = (escape_html(&set.source.name), escape_html(&set.target.name));
    let table_link = match &set.page_url {
        Some(url) => format!(
            "<a id=\"redirect-doc\" href=\"{}\">the table of old and new addresses</a>",
            escape_html(url)
        ),
        None => "the table of old and new addresses".to_string(),
    };
    let (lang, title) = (
        escape_html(&site.config.language),
        escape_html(&site.config.title),
    );
    write!(
        w,
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
<script type="application/json" id="docshift-redirect-data">"#
    )?;
    write_script_json(w, &data)?;
    let id = &set.id;
    write!(
        w,
        r#"</script>
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
"#
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

/// Writes each of `rules` through `rule` (with its source path and target URL), or, for one
/// a rule file cannot carry (a query, or characters that would need escaping), a comment
/// indented by `indent` that says it was skipped.
fn write_rules(
    rules: &[(&MappingSet, &MappingEntry, String)],
    w: &mut dyn Write,
    indent: &str,
    rule: impl Fn(&mut dyn Write, &str, &str) -> io::Result<()>,
) -> io::Result<()> {
    for (set, e, path) in rules {
        let target = e.target_url.as_deref().unwrap_or_default();
        if path.contains('?') || !is_plain(path) || !is_plain(target) {
            writeln!(w, "{indent}# skipped ({}): {}", set.id, e.source_url)?;
            continue;
        }
        rule(w, path, target)?;
    }
    Ok(())
}

/// `_redirects` (Netlify, Cloudflare Pages): one `path target 301` line per rule.
fn write_netlify(
    rules: &[(&MappingSet, &MappingEntry, String)],
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        w,
        "# Generated by {GENERATOR}: old paths to new URLs. Serve from the old host."
    )?;
    write_rules(rules, w, "", |w, path, target| {
        writeln!(w, "{path} {target} 301")
    })
}

/// `redirects/nginx-map.conf`: an nginx `map` of old paths to new URLs.
fn write_nginx(
    rules: &[(&MappingSet, &MappingEntry, String)],
    w: &mut dyn Write,
) -> io::Result<()> {
    write!(
        w,
        "# Generated by {GENERATOR}: old paths to new URLs.\n# Include inside `http {{ }}`, then in the old host's `server {{ }}`:\n#     if ($docshift_redirect) {{ return 301 $docshift_redirect; }}\nmap $uri $docshift_redirect {{\n    default \"\";\n"
    )?;
    write_rules(rules, w, "    ", |w, path, target| {
        writeln!(w, "    \"{path}\" \"{target}\";")
    })?;
    writeln!(w, "}}")
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

/// The redirect page of every set, plus the server rules when some sources are paths, each
/// handed to `sink` (the large ones written piece by piece).
pub(super) fn redirect_files(site: &Site, sink: &dyn ExportSink) {
    site.migration.sets.par_iter().for_each(|set| {
        sink.put_stream(format!("redirects/{}/index.html", set.id), &mut |w| {
            write_redirect_page(site, set, w)
        });
    });
    let rules = path_redirects(site);
    if !rules.is_empty() {
        sink.put_stream("_redirects".to_string(), &mut |w| write_netlify(&rules, w));
        sink.put_stream("redirects/nginx-map.conf".to_string(), &mut |w| {
            write_nginx(&rules, w)
        });
        sink.put(OutputFile::text(
            ".openpublishing.redirection.json",
            openpublishing(&rules),
        ));
    }
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
