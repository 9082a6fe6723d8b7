//! Heading ids against GitHub's own anchors: the full github-slugger fixture set
//! (ISC, vendored in tests/fixtures/slugs/ with its license), run in order through one
//! slugger as the upstream test does.

use docshift::slug::Slugger;

#[test]
fn github_slugger_fixtures_all_pass() {
    let text =
        std::fs::read_to_string("tests/fixtures/slugs/github-slugger-fixtures.json").unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 78);
    let mut slugger = Slugger::new();
    let mut failures = Vec::new();
    for case in &cases {
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let got = slugger.slug(input);
        if got != expected {
            failures.push(format!(
                "{}: {input:?}\n  expected {expected:?}\n  got      {got:?}",
                case["name"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
