//! Migration model detection: the seeds without a site.yaml, the default content, explicit
//! table declarations and merging rows of one set from several tables and files.
// See: issue 4.

#[allow(
    unreachable_pub,
    reason = "the shared harness marks its helpers pub for every test crate"
)]
mod common;

use docshift::model::doc::FragmentHtml;
use docshift::model::migration::{MappingSet, MappingStatus};
use docshift::pipeline::{check, Checked};
use docshift::render::lower::Fragments;
use docshift::Code;

fn seeds() -> Checked {
    let content = common::fixture("migration/seeds");
    let out = tempfile::tempdir().unwrap();
    check(&common::settings_for_content(
        &content,
        &out.path().join("public"),
    ))
    .unwrap()
}

fn set<'c>(checked: &'c Checked, id: &str) -> &'c MappingSet {
    let ids: Vec<&str> = checked
        .site
        .migration
        .sets
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    checked
        .site
        .migration
        .sets
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no set {id} in {ids:?}"))
}

/// The seven rows of the seeds' "What pages in Partner Center correspond ..." table.
const CPP_ROWS: [(&str, &str, Option<&str>); 7] = [
    (
        "All offers page",
        "https://cloudpartner.azure.com/#alloffers",
        Some("https://partner.microsoft.com/dashboard/commercial-marketplace/overview"),
    ),
    (
        "All publishers page",
        "https://cloudpartner.azure.com/#publishers",
        Some("https://partner.microsoft.com/dashboard/account/v3/publishers/list"),
    ),
    (
        "Publisher profile",
        "https://cloudpartner.azure.com/#profile",
        Some("https://partner.microsoft.com/dashboard/account/management"),
    ),
    (
        "Users page",
        "https://cloudpartner.azure.com/#users",
        Some("https://partner.microsoft.com/dashboard/account/usermanagement"),
    ),
    (
        "History page",
        "https://cloudpartner.azure.com/#history",
        None,
    ),
    (
        "Insights dashboard",
        "https://cloudpartner.azure.com/#insights",
        Some("https://partner.microsoft.com/dashboard/commercial-marketplace/analytics/summary"),
    ),
    (
        "Payout report",
        "https://cloudpartner.azure.com/#insights/payout",
        Some("https://partner.microsoft.com/dashboard/payouts/reports/incentivepayments"),
    ),
];

const HISTORY_NOTE: &str = "The History feature is not yet supported in Partner Center.";

fn assert_cpp_rows(set: &MappingSet) {
    let got: Vec<(&str, &str, Option<&str>)> = set
        .entries
        .iter()
        .map(|e| {
            (
                e.label.as_str(),
                e.source_url.as_str(),
                e.target_url.as_deref(),
            )
        })
        .collect();
    assert_eq!(got, CPP_ROWS);
    let history = &set.entries[4];
    assert_eq!(history.status, MappingStatus::Unsupported);
    assert_eq!(history.note.as_deref(), Some(HISTORY_NOTE));
    assert!(set
        .entries
        .iter()
        .filter(|e| e.label != "History page")
        .all(|e| e.status == MappingStatus::Mapped && e.note.is_none()));
}

#[test]
fn seeds_mapping_table_is_detected_without_configuration() {
    let checked = seeds();
    assert_eq!(checked.site.migration.sets.len(), 1);
    let set = set(&checked, "cloud-partner-portal-to-partner-center");
    assert_eq!(set.source.name, "Cloud Partner Portal");
    assert_eq!(set.target.name, "Partner Center");
    assert_cpp_rows(set);
    let lines: Vec<u32> = set.entries.iter().map(|e| e.origin.line).collect();
    assert_eq!(lines, [137, 138, 139, 140, 141, 142, 143]);
    assert!(set
        .entries
        .iter()
        .all(|e| e.origin.file == "migration-faq.md"));
    assert_eq!(set.page.as_deref(), Some("migration-faq.md"));
}

#[test]
fn seeds_api_change_tables_split_operations_and_keep_code() {
    let checked = seeds();
    let changes = &checked.site.migration.api_changes;
    let in_faq: Vec<_> = changes
        .iter()
        .filter(|c| c.origin.file == "migration-faq.md")
        .collect();
    assert_eq!(in_faq.len(), 2, "{changes:#?}");
    assert_eq!(in_faq[0].api, "POST Publish, GoLive, Cancel");
    assert_eq!(
        in_faq[0].operations,
        ["POST Publish", "POST GoLive", "POST Cancel"]
    );
    assert_eq!(
        in_faq[0].code,
        [
            "/api/operations/{PublisherId}${offerId}$2$preview?api-version=2017-10-31",
            "/api/publishers/{PublisherId}/offers/{offereId}/operations/408a4835-0000-1000-0000-000000000000?api-version=2017-10-31",
        ]
    );
    assert!(in_faq[0]
        .impact_text
        .contains("Non-migrated offers\n/api/operations/"));
    let fragments = Fragments {
        site: &checked.site,
    };
    let impact = in_faq[0].impact.as_ref().unwrap();
    let page = checked.site.page_by_path(&impact.page).unwrap();
    let impact_html = fragments.html(&checked.site.pages[page], impact.nodes.clone(), false);
    assert!(
        impact_html.contains("<li>Migrated offers<br>"),
        "{impact_html}"
    );
    assert_eq!(in_faq[1].operations, ["GET Operation"]);
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.origin.file == "cloud-partner-portal-api-overview.md")
            .count(),
        2
    );
}

#[test]
fn seeds_faq_questions_are_found() {
    let checked = seeds();
    let faq = &checked.site.migration.faq;
    let pages: Vec<&str> = faq.iter().map(|f| f.page.as_str()).collect();
    assert_eq!(pages, ["migration-faq.md"]);
    let questions: Vec<&str> = faq[0]
        .questions
        .iter()
        .map(|q| q.question.as_str())
        .collect();
    assert_eq!(
        questions,
        [
            "What does offer migration mean?",
            "Can I still access the Cloud Partner Portal and manage my offers during migration?",
            "How will I create new offers?",
            "Do I need to create a new account to manage offers in Partner Center?",
            "I see a message in the Cloud Partner Portal to activate my account, what does this mean?",
            "I'm having trouble logging in to my account and opening a support ticket",
            "Where can I find documentation on the new Partner Center publishing experience?",
            "What are the differences between Partner Center and the Cloud Partner Portal?",
            "What pages in Partner Center correspond to pages I used in the Cloud Partner Portal?",
            "Will the Cloud Partner Portal REST APIs be supported post-migration?",
        ]
    );
    let differences = &faq[0].questions[7];
    assert_eq!(
        differences.anchor,
        "what-are-the-differences-between-partner-center-and-the-cloud-partner-portal"
    );
    assert!(
        differences
            .answer_text
            .contains("Modular publishing capabilities"),
        "an H3 question keeps its H3 sub-sections"
    );
    let answer = &faq[0].questions[8].answer;
    let page = checked.site.page_by_path(&answer.page).unwrap();
    let fragments = Fragments {
        site: &checked.site,
    };
    let answer_html = fragments.html(&checked.site.pages[page], answer.nodes.clone(), true);
    assert!(answer_html.contains("<table>"), "{answer_html}");
}

#[test]
fn seeds_api_tables_drift() {
    let checked = seeds();
    let drift: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::TableDrift)
        .collect();
    assert_eq!(drift.len(), 1, "{drift:#?}");
    let d = drift[0];
    assert_eq!((d.file.as_str(), d.line), ("migration-faq.md", 150));
    assert!(
        d.message
            .contains("cloud-partner-portal-api-overview.md:38"),
        "{}",
        d.message
    );
    assert!(d
        .message
        .contains("row `GET Operation`, column `Change description`"));
    assert!(d.message.contains("row `GET Operation`, column `Impact`"));
    let places: Vec<(&str, u32)> = d
        .related
        .iter()
        .map(|r| (r.file.as_str(), r.line))
        .collect();
    assert_eq!(
        places,
        [
            ("cloud-partner-portal-api-overview.md", 41),
            ("migration-faq.md", 153),
            ("cloud-partner-portal-api-overview.md", 41),
            ("migration-faq.md", 153),
        ]
    );
    assert!(d.related[0]
        .message
        .contains("For offer types that previously"));
    assert!(d.related[1].message.contains("For offers that previously"));
}

#[test]
fn default_content_names_the_cpp_set_and_includes_do_not_drift() {
    let checked = check(&common::settings(&common::repo())).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let set = set(&checked, "cpp-to-partner-center");
    assert_cpp_rows(set);
    assert_eq!(set.page.as_deref(), Some("cpp-to-partner-center/faq.md"));
    // The API-change table is included into two pages: one origin, so one copy.
    let changes = &checked.site.migration.api_changes;
    assert_eq!(changes.len(), 2);
    assert!(changes
        .iter()
        .all(|c| c.origin.file == "includes/cpp-api-changes-table.md"));
    let faq: Vec<&str> = checked
        .site
        .migration
        .faq
        .iter()
        .map(|f| f.page.as_str())
        .collect();
    assert_eq!(faq, ["cpp-to-partner-center/faq.md"]);
}

#[test]
fn rows_of_one_set_merge_across_tables_and_files_in_document_order() {
    let root = common::fixture("migration/merge");
    let checked = check(&common::settings(&root)).unwrap();
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    assert_eq!(checked.site.migration.sets.len(), 1);
    let set = set(&checked, "old-to-new");
    let rows: Vec<(&str, &str, u32)> = set
        .entries
        .iter()
        .map(|e| (e.label.as_str(), e.origin.file.as_str(), e.origin.line))
        .collect();
    assert_eq!(
        rows,
        [
            ("Offers", "a.md", 9),
            ("Users", "a.md", 10),
            ("Reports", "b.md", 9),
            ("Settings", "b.md", 15),
            ("Setup", "more.mapping.yaml", 6),
            ("History", "more.mapping.yaml", 9),
        ]
    );
    let setup = &set.entries[4];
    assert_eq!(setup.target_url.as_deref(), Some("/guide/#setup"));
    assert_eq!(
        setup.page.as_deref(),
        Some("guide.md"),
        "the page that includes the YAML set"
    );
    assert_eq!(set.entries[5].status, MappingStatus::Unsupported);
    assert_eq!(
        set.entries[5].note.as_deref(),
        Some("Not available in the new portal.")
    );
    let changes = &checked.site.migration.api_changes;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].operations, ["PUT Offer", "PUT Plan"]);
    assert_eq!(changes[0].code, ["If-Match", "ETag"]);
}
