//! `api-changes.json`, `faq.json` and the schema.org `FAQPage` JSON-LD of FAQ pages.

use super::{to_json, to_script_json, GENERATOR, SCHEMA_VERSION};
use crate::model::migration::{ApiChange, FaqPage};
use crate::model::Site;
use serde::Serialize;
use serde_json::json;

#[derive(Serialize)]
struct ApiChangesView<'a> {
    schema_version: u32,
    generator: &'a str,
    changes: &'a [ApiChange],
}

#[derive(Serialize)]
struct FaqView<'a> {
    schema_version: u32,
    generator: &'a str,
    pages: &'a [FaqPage],
}

/// `api-changes.json`: every API-change row, each table once, in document order.
pub(super) fn api_changes_json(site: &Site) -> String {
    to_json(&ApiChangesView {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR,
        changes: &site.migration.api_changes,
    })
}

/// `faq.json`: every FAQ page with its questions.
pub(super) fn faq_json(site: &Site) -> String {
    to_json(&FaqView {
        schema_version: SCHEMA_VERSION,
        generator: GENERATOR,
        pages: &site.migration.faq,
    })
}

/// The `<script type="application/ld+json">` element with the schema.org `FAQPage` of the
/// page at `path`, or "" when the page is not an FAQ page.
pub fn faq_json_ld(site: &Site, path: &str) -> String {
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
                "acceptedAnswer": { "@type": "Answer", "text": q.answer_html },
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
