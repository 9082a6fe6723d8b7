//! `docshift check` on the five real seed documents (tests/fixtures/check/seeds/, third-party
//! text used only as test input): every in-page anchor is valid; the sibling pages and media
//! they reference but that are not in the folder are reported; the GitBook page's `../` links
//! leave the content folder. With a site.yaml that maps the sibling pages to learn.microsoft.com,
//! only the missing media and the links outside the root remain.

#[allow(
    unreachable_pub,
    reason = "the shared harness is `pub` for every test binary"
)]
mod common;

use docshift::model::Resolution;
use serde_json::Value;

const SEEDS: &str = "tests/fixtures/check/seeds";
const SEEDS_SITE: &str = "tests/fixtures/check/seeds-site.yaml";

/// `docshift check --content <seeds> --format json [extra]`, run from the repository root.
fn check_seeds(extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", "--content", SEEDS, "--format", "json"];
    args.extend_from_slice(extra);
    let out = common::run(&common::repo(), &args);
    let report = serde_json::from_slice(&out.stdout).expect("JSON report");
    (common::code(&out), report)
}

fn lines(report: &Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {}:{}:{} {}",
                d["code"].as_str().expect("code"),
                d["file"].as_str().expect("file"),
                d["line"],
                d["column"],
                d["target"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// The sibling pages the seeds link to that are not in the folder (and live on Learn).
const BROKEN_LINKS: &[&str] = &[
    "broken-link cloud-partner-portal-api-overview.md:30:7 ./cloud-partner-portal-api-prerequisites.md",
    "broken-link cloud-partner-portal-api-overview.md:33:11 ./cloud-partner-portal-api-concurrency-control.md",
    "broken-link cloud-partner-portal-api-overview.md:34:18 ./cloud-partner-portal-api-considerations.md",
    "broken-link cloud-partner-portal-api-overview.md:49:3 ./cloud-partner-portal-api-retrieve-offers.md",
    "broken-link cloud-partner-portal-api-overview.md:50:3 ./cloud-partner-portal-api-retrieve-specific-offer.md",
    "broken-link cloud-partner-portal-api-overview.md:51:3 ./cloud-partner-portal-api-retrieve-offer-status.md",
    "broken-link cloud-partner-portal-api-overview.md:52:3 ./cloud-partner-portal-api-creating-offer.md",
    "broken-link cloud-partner-portal-api-overview.md:53:3 ./cloud-partner-portal-api-publish-offer.md",
    "broken-link cloud-partner-portal-api-overview.md:57:3 ./cloud-partner-portal-api-retrieve-operations.md",
    "broken-link cloud-partner-portal-api-overview.md:58:3 ./cloud-partner-portal-api-cancel-operations.md",
    "broken-link cloud-partner-portal-api-overview.md:62:3 ./cloud-partner-portal-api-go-live.md",
    "broken-link cloud-partner-portal-api-overview.md:66:3 ./cloud-partner-portal-api-setting-price.md",
    "broken-link cloud-partner-portal-api-overview.md:70:3 ./cloud-partner-portal-api-troubleshooting-authentication-errors.md",
    "broken-link co-sell-migrate.md:15:52 overview.md",
    "broken-link co-sell-migrate.md:23:10 marketplace-rewards.md",
    "broken-link co-sell-migrate.md:30:60 create-account.md",
    "broken-link co-sell-migrate.md:34:90 /partner-center/co-sell-overview?context=/azure/marketplace/context/context",
    "broken-link co-sell-migrate.md:34:275 /partner-center/co-sell-overview?context=/azure/marketplace/context/context",
    "broken-link co-sell-migrate.md:43:193 user-roles.md",
    "broken-link co-sell-migrate.md:58:22 ./review-publish-offer.md",
    "broken-link co-sell-migrate.md:107:133 ./publisher-guide-by-offer-type.md",
    "broken-link co-sell-migrate.md:110:11 ./gtm-offer-listing-best-practices.md",
    "broken-link co-sell-migrate.md:115:136 /partner-center/co-sell-configure?context=/azure/marketplace/context/context",
    "broken-link co-sell-migrate.md:120:119 ./review-publish-offer.md",
    "broken-link co-sell-migrate.md:178:3 cloud-solution-providers.md",
    "broken-link co-sell-migrate.md:179:3 /partner-center/co-sell-configure?context=/azure/marketplace/context/context",
];

/// What remains with the Learn mapping: the missing media and the GitBook page's `../` links.
const MEDIA_AND_OUTSIDE: &[&str] = &[
    "missing-asset cloud-partner-portal-how-to-migrate-to-the-new-cloud-partner-portal.md:36:179 ./media/cloud-partner-portal-how-to-migrate-to-the-new-cloud-partner-portal/migrate.png",
    "missing-asset co-sell-migrate.md:60:33 media/co-sell-migrate/ready-to-migrate.png",
    "missing-asset co-sell-migrate.md:67:37 media/co-sell-migrate/welcome-overveiw.png",
    "missing-asset co-sell-migrate.md:71:37 media/co-sell-migrate/solutions-tab.png",
    "missing-asset co-sell-migrate.md:80:37 media/co-sell-migrate/migration-options.png",
    "missing-asset co-sell-migrate.md:98:9 media/co-sell-migrate/new-offer-workspaces.png#lightbox",
    "missing-asset co-sell-migrate.md:98:11 media/co-sell-migrate/new-offer-workspaces.png",
    "missing-asset co-sell-migrate.md:104:9 media/co-sell-migrate/offer-setup-nav-workspaces.png#lightbox",
    "missing-asset co-sell-migrate.md:104:11 media/co-sell-migrate/offer-setup-nav-workspaces.png",
    "missing-asset co-sell-migrate.md:118:5 media/co-sell-migrate/co-sell-with-ms-workspaces.png#lightbox",
    "missing-asset co-sell-migrate.md:118:7 media/co-sell-migrate/co-sell-with-ms-workspaces.png",
    "missing-asset co-sell-migrate.md:122:5 media/co-sell-migrate/review-and-publish-workspaces.png#lightbox",
    "missing-asset co-sell-migrate.md:122:7 media/co-sell-migrate/review-and-publish-workspaces.png",
    "missing-asset co-sell-migrate.md:126:5 ./media/review-publish-offer/publish-status-saas.png#lightbox",
    "missing-asset co-sell-migrate.md:126:7 ./media/review-publish-offer/publish-status-saas.png",
    "missing-asset co-sell-migrate.md:142:9 media/co-sell-migrate/action-1-merge.png#lightbox",
    "missing-asset co-sell-migrate.md:142:10 media/co-sell-migrate/action-1-merge.png",
    "missing-asset co-sell-migrate.md:146:9 media/co-sell-migrate/action-2-merge.png#lightbox",
    "missing-asset co-sell-migrate.md:146:10 media/co-sell-migrate/action-2-merge.png",
    "missing-asset co-sell-migrate.md:164:37 media/co-sell-migrate/migration-discard.png",
    "missing-asset co-sell-migrate.md:168:37 media/co-sell-migrate/migration-discard-undo.png",
    "missing-asset co-sell-migrate.md:174:33 media/co-sell-migrate/get-support-link.png",
    "missing-asset migration-faq.md:34:33 media/migration-faq/all-offers-1.png",
    "missing-asset migration-faq.md:38:33 media/migration-faq/all-offers-2.png",
    "missing-asset migration-faq.md:40:33 media/migration-faq/offer-has-moved.png",
    "missing-asset migration-faq.md:46:33 media/migration-faq/create-new-offer-1.png",
    "missing-asset migration-faq.md:50:33 media/migration-faq/create-new-offer-2.png",
    "missing-asset migration-faq.md:76:33 media/migration-faq/marketplace-help-topics.png",
    "missing-asset migration-faq.md:86:33 media/migration-faq/review-and-publish-migration.png",
    "missing-asset migration-faq.md:94:33 media/migration-faq/rich-text-editor-migration.png",
    "missing-asset migration-faq.md:100:33 media/migration-faq/enhanced-preview.png",
    "missing-asset migration-faq.md:106:33 media/migration-faq/plan-overview-migration.png",
    "missing-asset migration-faq.md:110:33 media/migration-faq/offer-listing-migration.png",
    "missing-asset migration-faq.md:119:33 media/migration-faq/tech-config-migration.png",
    "missing-asset migration-faq.md:123:33 media/migration-faq/offer-id-offer-overview.png",
    "missing-asset migration-faq.md:129:33 media/migration-faq/stop-selling-migration.png",
    // The API-change table of migration-faq.md differs from the one in
    // cloud-partner-portal-api-overview.md (issue 4).
    "table-drift migration-faq.md:150:1 -",
    "link-outside-root partner-portal-migration.md:13:19 ../../../.gitbook/assets/partner_portal_migration.png",
    "link-outside-root partner-portal-migration.md:19:3 ../key-concepts.md",
    "link-outside-root partner-portal-migration.md:20:3 ../interface/",
    "link-outside-root partner-portal-migration.md:32:19 ../../../.gitbook/assets/partner_portal_migration2.png",
    "link-outside-root partner-portal-migration.md:36:167 ../../../modules-and-features/settings/users/respond-to-invitations.md",
    "link-outside-root partner-portal-migration.md:38:65 ../../../modules-and-features/marketplace/agreements/",
    "link-outside-root partner-portal-migration.md:38:134 ../../../modules-and-features/marketplace/subscriptions/",
    "link-outside-root partner-portal-migration.md:38:224 ../../../modules-and-features/settings/licensees/",
    "link-outside-root partner-portal-migration.md:44:131 ../../../extensions/microsoft-cloud-solution-provider/partner-programs/enroll-in-csp-partner-program.md",
    "link-outside-root partner-portal-migration.md:46:132 ../../../help-and-support/contact-support.md",
];

#[test]
fn seeds_report_missing_siblings_and_media_and_no_broken_anchor() {
    let (code, report) = check_seeds(&[]);
    assert_eq!(code, 1);
    let found = lines(&report);
    assert!(
        found.iter().all(|l| !l.starts_with("broken-anchor")),
        "every in-page anchor of the seeds is valid: {found:#?}"
    );
    // Exactly the missing sibling pages, media and `../` links, in report order.
    let mut expected: Vec<String> = BROKEN_LINKS
        .iter()
        .chain(MEDIA_AND_OUTSIDE)
        .map(|s| s.to_string())
        .collect();
    let key = |l: &String| {
        let (_, loc) = l.split_once(' ').expect("code");
        let (file, rest) = loc.split_once(':').expect("file");
        let mut nums = rest.split([':', ' ']);
        let line: u32 = nums.next().and_then(|n| n.parse().ok()).expect("line");
        let column: u32 = nums.next().and_then(|n| n.parse().ok()).expect("column");
        (file.to_string(), line, column)
    };
    expected.sort_by_key(key);
    assert_eq!(found, expected);

    // A few in full, with their messages.
    let diags = report["diagnostics"].as_array().expect("diagnostics");
    let at = |file: &str, line: u64, column: u64| {
        diags
            .iter()
            .find(|d| d["file"] == file && d["line"] == line && d["column"] == column)
            .unwrap_or_else(|| panic!("no finding at {file}:{line}:{column}"))
    };
    assert_eq!(
        at("cloud-partner-portal-api-overview.md", 30, 7)["message"],
        "page `./cloud-partner-portal-api-prerequisites.md` not found (looked for `cloud-partner-portal-api-prerequisites.md`)"
    );
    assert_eq!(
        at("co-sell-migrate.md", 34, 90)["message"],
        "page `/partner-center/co-sell-overview?context=/azure/marketplace/context/context` not found (looked for `partner-center/co-sell-overview`)"
    );
    assert_eq!(
        at("migration-faq.md", 34, 33)["message"],
        "image `media/migration-faq/all-offers-1.png` not found (looked for `media/migration-faq/all-offers-1.png`)"
    );
    // `[![img](x.png)](x.png#lightbox)`: the lightbox link and the image both name the file.
    assert_eq!(
        at("co-sell-migrate.md", 98, 9)["message"],
        "file `media/co-sell-migrate/new-offer-workspaces.png#lightbox` not found (looked for `media/co-sell-migrate/new-offer-workspaces.png`)"
    );
    assert_eq!(
        at("partner-portal-migration.md", 19, 3)["message"],
        "`../key-concepts.md` resolves to `../key-concepts.md`, outside the content folder"
    );
    assert_eq!(
        report["summary"],
        serde_json::json!({
            "errors": 72,
            "warnings": 1,
            "pages": 5,
            "internal_links": 82,
            "external_links": 30,
            "cross_docset_links": 0
        })
    );
}

#[test]
fn seeds_in_page_anchors_all_resolve() {
    // The seeds link into their own sections (`#step-1-...`, `<a name="beginmigration">`):
    // every such fragment is an anchor of the page.
    let settings = docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(common::repo()),
        content: Some(common::repo().join(SEEDS)),
        ..Default::default()
    })
    .expect("settings");
    let checked = docshift::pipeline::check(&settings).expect("check");
    let site = &checked.site;
    let mut in_page = 0;
    for page in &site.pages {
        for link in page.links.read().expect("links").iter() {
            if let Resolution::SamePage { fragment } = site.resolve(&link) {
                in_page += 1;
                let defined = page.anchors().iter().any(|a| a.id == fragment)
                    || page.headings().iter().any(|h| h.id == fragment);
                assert!(
                    defined || fragment.is_empty() || fragment == "top",
                    "{}:{} links to #{fragment}",
                    page.path,
                    link.line
                );
            }
        }
    }
    assert!(in_page >= 6, "the seeds have in-page links ({in_page})");
}

#[test]
fn learn_mapping_leaves_only_missing_media_and_links_outside_the_root() {
    let (code, report) = check_seeds(&["--config", SEEDS_SITE]);
    assert_eq!(code, 1);
    assert_eq!(lines(&report), MEDIA_AND_OUTSIDE);
    let codes: std::collections::BTreeSet<&str> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["link-outside-root", "missing-asset", "table-drift"]
    );
    // The 26 mapped links are counted as external now.
    assert_eq!(
        report["summary"],
        serde_json::json!({
            "errors": 46,
            "warnings": 1,
            "pages": 5,
            "internal_links": 56,
            "external_links": 56,
            "cross_docset_links": 0
        })
    );
}

#[test]
fn learn_mapping_rewrites_the_sibling_links() {
    let settings = docshift::Settings::load(&docshift::settings::SiteLocation {
        root: Some(common::repo()),
        config: Some(common::repo().join(SEEDS_SITE)),
        content: Some(common::repo().join(SEEDS)),
        ..Default::default()
    })
    .expect("settings");
    let checked = docshift::pipeline::check(&settings).expect("check");
    let site = &checked.site;
    let page = common::site_page(site, "co-sell-migrate.md");
    let href = |dest: &str| {
        let link = page
            .links
            .read()
            .expect("links")
            .iter()
            .find(|l| l.dest == dest)
            .unwrap_or_else(|| panic!("no link {dest}"));
        site.href(&link)
    };
    assert_eq!(
        href("overview.md"),
        "https://learn.microsoft.com/azure/marketplace/overview"
    );
    assert_eq!(
        href("./review-publish-offer.md"),
        "https://learn.microsoft.com/azure/marketplace/review-publish-offer"
    );
    assert_eq!(
        href("/partner-center/co-sell-overview?context=/azure/marketplace/context/context"),
        "https://learn.microsoft.com/partner-center/co-sell-overview"
    );
}
