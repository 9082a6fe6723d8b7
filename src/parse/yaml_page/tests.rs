use super::*;
use crate::model::cards::SectionKind;
use crate::model::LinkTarget;

fn parse(path: &str, text: &str) -> Result<Page, Diagnostic> {
    parse_card_page(&SourceFile::from_text(path, text), "/docs/")
}

const HUB: &str = "### YamlMime:Hub

title: Partner Center
summary: Everything about it.
metadata:
  title: Partner Center documentation
  description: The docs.
  ms.date: 04/10/2020
  titleSuffix: Partner
highlightedContent:
  items:
    - title: Get paid
      itemType: how-to-guide
      url: guide/payouts.md
conceptualContent:
  title: Sell
  items:
    - title: Offers
      summary: Make one.
      links:
        - url: \"offers.md#create\"
          text: Create an offer
        - {text: Flow, url: flow.md}
      footerLink:
        url: https://example.com/more
        text: More
    - title: Offers
      links: []
tools:
  items:
    - title: Azure
      url: /azure/marketplace/
additionalContent:
  sections:
    - title: Reference
      items:
        - title: SDK
          url: sdk.md
  footer: ignored
unknownKey: [1, 2]
";

#[test]
fn a_hub_becomes_cards_with_every_url_a_located_link() {
    let page = parse("index.yml", HUB).unwrap();
    assert_eq!(page.url, "/docs/");
    assert_eq!(page.title, "Partner Center documentation");
    assert_eq!(page.description.as_deref(), Some("The docs."));
    assert_eq!(page.date.as_deref(), Some("2020-04-10"));
    let cards = page.cards.as_ref().unwrap();
    assert_eq!(cards.kind, CardPageKind::Hub);
    assert_eq!(cards.title, "Partner Center");
    assert_eq!(cards.summary.as_deref(), Some("Everything about it."));
    let kinds: Vec<SectionKind> = cards.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Highlighted,
            SectionKind::Conceptual,
            SectionKind::Tools,
            SectionKind::Additional
        ]
    );
    let links: Vec<(String, u32, u32)> = page
        .links
        .read()
        .expect("links")
        .iter()
        .map(|l| (l.dest, l.line, l.column))
        .collect();
    assert_eq!(
        links,
        [
            ("guide/payouts.md".to_string(), 14, 12),
            ("offers.md#create".to_string(), 21, 16),
            ("flow.md".to_string(), 23, 29),
            ("https://example.com/more".to_string(), 25, 14),
            ("/azure/marketplace/".to_string(), 32, 12),
            ("sdk.md".to_string(), 38, 16),
        ]
    );
    assert!(page
        .links
        .read()
        .expect("links")
        .iter()
        .all(|l| l.kind == LinkKind::YamlUrl));
    assert_eq!(
        page.links
            .read()
            .expect("links")
            .get(4)
            .expect("link")
            .target,
        LinkTarget::OffSite {
            path: "/azure/marketplace/".into()
        }
    );
    let conceptual = &cards.sections[1];
    assert_eq!(conceptual.cards.len(), 2);
    let offers = &conceptual.cards[0];
    assert_eq!(offers.lists[0].links[1].text, "Flow");
    assert_eq!(offers.footer.as_ref().map(|f| f.link), Some(3));
    let headings: Vec<(u8, &str, &str, u32)> = page
        .headings()
        .iter()
        .map(|h| (h.level, h.text, h.id, h.line))
        .collect();
    assert_eq!(
        headings,
        [
            (1, "Partner Center", "partner-center", 3),
            (2, "Sell", "sell", 16),
            (3, "Offers", "offers", 18),
            (3, "Offers", "offers-1", 27),
            (2, "Reference", "reference", 35),
            (3, "SDK", "sdk", 37),
        ],
        "section titles are H2, card titles H3, ids unique"
    );
    assert_eq!(offers.id.as_deref(), Some("offers"));
    assert_eq!(conceptual.cards[1].id.as_deref(), Some("offers-1"));
}

#[test]
fn a_landing_page_has_cards_of_link_lists() {
    let page = parse(
        "market/index.yml",
        "### YamlMime:Landing\ntitle: Market\nlandingContent:\n  - title: Get paid\n    linkLists:\n      - linkListType: how-to-guide\n        links:\n          - text: Payouts\n            url: payouts.md\n          - text: Broken\n            url: 'missing.md'\n  - title: 3\n",
    )
    .unwrap();
    assert_eq!(page.url, "/docs/market/");
    assert_eq!(page.title, "Market", "no metadata: the title is the H1");
    let cards = page.cards.unwrap();
    assert_eq!(cards.sections.len(), 1);
    let card = &cards.sections[0].cards[0];
    assert_eq!(card.lists[0].kind.as_deref(), Some("how-to-guide"));
    assert_eq!(card.lists[0].links.len(), 2);
    assert_eq!(cards.sections[0].cards[1].title.as_deref(), Some("3"));
    assert_eq!(
        (
            page.links.read().expect("links").get(1).expect("link").line,
            page.links
                .read()
                .expect("links")
                .get(1)
                .expect("link")
                .column
        ),
        (11, 18)
    );
    assert_eq!(
        page.links
            .read()
            .expect("links")
            .get(0)
            .expect("link")
            .target,
        LinkTarget::Local {
            path: "market/payouts.md".into(),
            fragment: None,
            rooted: false
        }
    );
}

#[test]
fn a_file_that_is_not_a_card_page_is_a_located_finding_never_a_panic() {
    for (text, line) in [
        ("### YamlMime:Hub\ntitle: [unclosed\n", 3),
        ("### YamlMime:Hub\n- a list\n", 1),
        ("### YamlMime:Foo\ntitle: x\n", 1),
        ("title: x\n", 1),
        ("", 1),
    ] {
        let d = parse("x.yml", text).unwrap_err();
        assert_eq!((d.code, d.line), (Code::InvalidDataFile, line), "{text}");
    }
    let page = parse("a/b.yml", "### YamlMime:Landing\nlandingContent: 3\n").unwrap();
    assert_eq!(page.title, "b", "no title anywhere: the file's stem");
    assert!(page.links.is_empty());
}
