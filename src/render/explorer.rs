//! The mapping explorer that `:::mapping-explorer:::` puts into a page: every mapping set
//! (or one) as a table with status badges, copy buttons and download links. The table is
//! complete without JavaScript; `docshift.js` adds the filter and the copy buttons.

use crate::model::migration::{MappingEntry, MappingSet, MappingStatus};
use crate::model::Site;
use crate::urls::{escape_html, escape_html_breakable};

fn copy_button(text: &str, what: &str) -> String {
    format!(
        " <button type=\"button\" class=\"copy-url\" data-copy=\"{}\" aria-label=\"Copy {what}\" hidden>Copy</button>",
        escape_html(text)
    )
}

fn url_cell(url: &str, what: &str) -> String {
    let safe = url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
    let shown = if safe {
        format!(
            "<a href=\"{}\">{}</a>",
            escape_html(url),
            escape_html_breakable(url)
        )
    } else {
        format!("<code>{}</code>", escape_html_breakable(url))
    };
    format!("{shown}{}", copy_button(url, what))
}

/// One entry as a table row; `columns` are the escaped headers of the two URL columns.
fn row(e: &MappingEntry, columns: (&str, &str)) -> String {
    let (status, badge) = match e.status {
        MappingStatus::Mapped => ("mapped", "Mapped"),
        MappingStatus::Unsupported => ("unsupported", "Unsupported"),
    };
    let target = match (&e.target_url, &e.note) {
        (Some(url), note) => {
            let note = note
                .as_deref()
                .map(|n| format!("<br><span class=\"mapping-note\">{}</span>", escape_html(n)))
                .unwrap_or_default();
            format!("{}{note}", url_cell(url, "new URL"))
        }
        (None, Some(note)) => format!("<span class=\"mapping-note\">{}</span>", escape_html(note)),
        (None, None) => "<span class=\"mapping-note\">No equivalent</span>".to_string(),
    };
    // data-label names each cell's column for the narrow-screen card layout (the CSS shows
    // it above the value when the header row is hidden).
    format!(
        "<tr data-status=\"{status}\"><td data-label=\"Label\">{}</td><td data-label=\"{}\">{}</td><td data-label=\"{}\">{target}</td><td data-label=\"Status\"><span class=\"badge badge-{status}\">{badge}</span></td></tr>\n",
        escape_html(&e.label),
        columns.0,
        url_cell(&e.source_url, "old URL"),
        columns.1,
    )
}

fn set_html(site: &Site, set: &MappingSet) -> String {
    let base = &site.config.base_path;
    let id = escape_html(&set.id);
    let (source, target) = (escape_html(&set.source.name), escape_html(&set.target.name));
    let shown_in = match (&set.page, &set.page_url) {
        (Some(path), Some(url)) => {
            let title = site
                .page_by_path(path)
                .map(|i| site.pages[i].title.as_str())
                .unwrap_or(path);
            format!(
                " · From: <a href=\"{}\">{}</a>",
                escape_html(url),
                escape_html(title)
            )
        }
        _ => String::new(),
    };
    let columns = (format!("{source} URL"), format!("{target} URL"));
    let rows: String = set
        .entries
        .iter()
        .map(|e| row(e, (&columns.0, &columns.1)))
        .collect();
    format!(
        "<section class=\"mapping-set\" id=\"mapping-set-{id}\">\n\
<h2 class=\"mapping-set-title\" id=\"mapping-set-{id}-title\">{source} → {target}</h2>\n\
<p class=\"mapping-downloads\">Set <code>{id}</code>, {count} entries · Download: <a href=\"{base}mappings/{id}.json\" download>JSON</a> · <a href=\"{base}mappings/{id}.csv\" download>CSV</a> · <a href=\"{base}redirects/{id}/\">Redirect page</a>{shown_in}</p>\n\
<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"mapping-set-{id}-title\"><table class=\"mapping-table\">\n\
<thead><tr><th scope=\"col\">Label</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">Status</th></tr></thead>\n\
<tbody>\n{rows}</tbody></table></div>\n</section>\n",
        columns.0,
        columns.1,
        count = set.entries.len(),
    )
}

/// The explorer for set `only` ("" for every set).
pub(crate) fn explorer_html(site: &Site, only: &str) -> String {
    let sets: Vec<&MappingSet> = site
        .migration
        .sets
        .iter()
        .filter(|s| only.is_empty() || s.id == only)
        .collect();
    if sets.is_empty() {
        let what = if only.is_empty() {
            "This site has no mapping sets yet.".to_string()
        } else {
            format!("This site has no mapping set `{}`.", escape_html(only))
        };
        return format!("<p class=\"mapping-explorer-empty\">{what}</p>\n");
    }
    let mut out = String::from(
        "<div class=\"mapping-explorer\">\n\
<div class=\"mapping-filter\" hidden>\n\
<label>Filter <input type=\"search\" class=\"mapping-filter-text\" placeholder=\"Label or URL\" autocomplete=\"off\"></label>\n\
<label>Status <select class=\"mapping-filter-status\"><option value=\"\">All</option><option value=\"mapped\">Mapped</option><option value=\"unsupported\">Unsupported</option></select></label>\n\
<p class=\"mapping-filter-count\" role=\"status\"></p>\n\
</div>\n",
    );
    for set in sets {
        out.push_str(&set_html(site, set));
    }
    out.push_str("</div>\n");
    out
}
