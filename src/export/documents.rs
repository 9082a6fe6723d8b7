//! `api-changes.json`, `faq.json` and the schema.org `FAQPage` JSON-LD of FAQ pages.

use super::{to_json, to_script_json, GENERATOR, SCHEMA_VERSION};
use crate::model::doc::FragmentHtml;
use crate::model::migration::{ApiChange, FaqPage, FaqQuestion, Fragment, Origin};
use crate::model::Site;
use serde::Serialize;
use serde_json::json;

#[derive(Serialize)]
struct ApiChangesView<'a> {
    schema_version: u32,
    generator: &'a str,
    changes: Vec<ApiChangeView<'a>>,
}

/// An [`ApiChange`] as exports show it: the impact cell as HTML, links as written.
#[derive(Serialize)]
pub(super) struct ApiChangeView<'a> {
    api: &'a str,
    operations: &'a [String],
    change: &'a str,
    impact_text: &'a str,
    impact_html: String,
    code: &'a [String],
    origin: &'a Origin,
}

#[derive(Serialize)]
struct FaqView<'a> {
    schema_version: u32,
    generator: &'a str,
    pages: Vec<FaqPageView<'a>>,
}

/// A [`FaqPage`] as exports show it.
#[derive(Serialize)]
pub(super) struct FaqPageView<'a> {
    page: &'a str,
    url: &'a str,
    title: &'a str,
    questions: Vec<FaqQuestionView<'a>>,
}

/// A [`FaqQuestion`] as exports show it: the answer as HTML, links rewritten to site URLs.
#[derive(Serialize)]
struct FaqQuestionView<'a> {
    question: &'a str,
    anchor: &'a str,
    url: &'a str,
    answer_text: &'a str,
    answer_html: String,
}

/// The HTML of `fragment` ("" when its page is gone).
pub(super) fn fragment_html(
    site: &Site,
    html: &dyn FragmentHtml,
    fragment: &Fragment,
    resolve_links: bool,
) -> String {
    site.page_by_path(&fragment.page)
        .map(|i| html.html(&site.pages[i], fragment.nodes.clone(), resolve_links))
        .unwrap_or_default()
}

/// Every API change as exports show it.
pub(super) fn api_change_views<'a>(
    site: &'a Site,
    html: &dyn FragmentHtml,
) -> Vec<ApiChangeView<'a>> {
    let view = |a: &'a ApiChange| ApiChangeView {
        api: &a.api,
        operations: &a.operations,
        change: &a.change,
        impact_text: &a.impact_text,
        impact_html: a
            .impact
            .as_ref()
            .map(|f| fragment_html(site, html, f, false))
            .unwrap_or_default(),
        code: &a.code,
        origin: &a.origin,
    };
    site.migration.api_changes.iter().map(view).collect()
}

/// FAQ page `faq` as exports show it.
fn faq_page_view<'a>(site: &Site, html: &dyn FragmentHtml, faq: &'a FaqPage) -> FaqPageView<'a> {
    FaqPageView {
        page: &faq.page,
        url: &faq.url,
        title: &faq.title,
        questions: faq
            .questions
            .iter()
            .map(|q| FaqQuestionView {
                question: &q.question,
                anchor: &q.anchor,
                url: &q.url,
                answer_text: &q.answer_text,
                answer_html: answer_html(site, html, q),
            })
            .collect(),
    }
}

/// The answer of `q` as HTML, links rewritten to site URLs.
fn answer_html(site: &Site, html: &dyn FragmentHtml, q: &FaqQuestion) -> String {
    fragment_html(site, html, &q.answer, true)
        .trim()
        .to_string()
}

/// Every FAQ page as exports show it.
pub(super) fn faq_page_views<'a>(site: &'a Site, html: &dyn FragmentHtml) -> Vec<FaqPageView<'a>> {
    (site.migration.faq.iter())
        .map(|faq| faq_page_view(site, html, faq))
        .collect()
}

/// `api-changes.json`: every API-change row, each table once, in document order.
pub(super) fn api_changes_json(site: &Site, html: &dyn FragmentHtml) -> String {
    to_json(&ApiChangesView {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR,
        changes: api_change_views(site, html),
    })
}

/// `faq.json`: every FAQ page with its questions.
pub(super) fn faq_json(site: &Site, html: &dyn FragmentHtml) -> String {
    to_json(&FaqView {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR,
        pages: faq_page_views(site, html),
    })
}

/// The `<script type="application/ld+json">` element with the schema.org `FAQPage` of the
/// page at `path`, or "" when the page is not an FAQ page.
pub fn faq_json_ld(site: &Site, html: &dyn FragmentHtml, path: &str) -> String {
    let Some(faq) = site.migration.faq.iter().find(|f| f.page == path) else {
        return String::new();
    };
    let questions: Vec<_> = faq
        .questions
        .iter()
        .map(|q| {
            json!({
                "@type": "Question",
                "name": q.question,
                "url": q.url,
                "acceptedAnswer": { "@type": "Answer", "text": answer_html(site, html, q) },
            })
        })
        .collect();
    let data = json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "name": faq.title,
        "mainEntity": questions,
    });
    format!(
        "<script type=\"application/ld+json\">{}</script>",
        to_script_json(&data)
    )
}
