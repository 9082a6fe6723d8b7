use super::*;

const MAPPING: &str = "# a comment\nid: old-to-new\nsource: Old Portal\ntarget: New Portal\ntitle: Page map\nentries:\n  - label: Offers | all\n    source: https://old.example/#offers\n    target: https://new.example/offers\n  - label: History\n    source: https://old.example/#history\n    note: Not supported.\n  - source: https://old.example/#setup\n    target: ../guide/setup.md#step-2\n  - label: Broken\n    source: old.example/#x\n    target: https://new.example/x\n";

#[test]
fn mapping_file_becomes_a_table_with_yaml_lines() {
    let src = SourceFile::from_text("maps/pages.mapping.yaml", MAPPING);
    let file = parse_data_file(&src);
    let set = file.mapping.as_ref().unwrap();
    assert_eq!(set.key.id, "old-to-new");
    let lines: Vec<u32> = set.entries.iter().map(|e| e.line).collect();
    assert_eq!(lines, [7, 10, 13]);
    assert_eq!(file.diagnostics.len(), 1);
    assert_eq!(file.diagnostics[0].code, Code::MappingInvalidUrl);
    assert_eq!(file.diagnostics[0].line, 15);
    let table = file.include.as_ref().unwrap();
    assert!(table
        .text
        .starts_with("| Page | Old Portal link | New Portal link |\n"));
    assert!(table
        .text
        .contains("| Offers \\| all | <https://old.example/#offers> |"));
    assert!(table.text.contains("](../guide/setup.md#step-2) |"));
    let row = table.text.find("History").unwrap();
    assert_eq!(table.position(row), (10, 1));
    let page = file.page.as_ref().unwrap();
    assert!(page.text.contains("# Page map\n"));
    assert_eq!(page.position(page.text.find("History").unwrap()), (10, 1));
}

#[test]
fn bad_mapping_files_are_located() {
    let src = SourceFile::from_text(
        "a.mapping.yaml",
        "id: a\nsource: A\ntarget: B\nentries:\n  - label: x\n    sorce: https://a.example/\n",
    );
    let file = parse_data_file(&src);
    assert!(file.failed());
    assert_eq!(file.diagnostics[0].code, Code::InvalidDataFile);
    assert_eq!(file.diagnostics[0].line, 6);
    let src = SourceFile::from_text(
        "b.mapping.yaml",
        "id: Not Valid\nsource: A\ntarget: B\nentries: []\n",
    );
    let file = parse_data_file(&src);
    assert!(file.failed());
    assert_eq!(file.diagnostics[0].line, 1);
}

const FAQ: &str = "### YamlMime:FAQ\nmetadata:\n  title: Meta title\n  ms.topic: faq\ntitle: Moving to the new portal\nsummary: |\n  Short answers.\nsections:\n  - name: Accounts\n    questions:\n      - question: Do I need a new account?\n        answer: |\n          No.\n\n          Keep [your account](../index.md).\n      - question: Who can sign in?\n        answer: Owners.\n";

#[test]
fn faq_file_becomes_markdown_with_yaml_lines() {
    let src = SourceFile::from_text("faq.yml", FAQ);
    let file = parse_data_file(&src);
    assert!(file.is_faq && file.diagnostics.is_empty());
    let page = file.page.unwrap();
    assert!(page.text.contains("# Moving to the new portal\n"));
    assert!(page.text.contains("\n## Accounts {#accounts}\n"));
    // Learn's id for the question, and the GitHub-style id as an alias.
    assert!(page.text.contains(
        "\n### <a id=\"do-i-need-a-new-account\"></a>Do I need a new account? {#do-i-need-a-new-account-}\n"
    ));
    assert!(page
        .text
        .contains("\n### <a id=\"who-can-sign-in\"></a>Who can sign in? {#who-can-sign-in-}\n"));
    let at = |s: &str| page.position(page.text.find(s).unwrap()).0;
    assert_eq!(at("### <a id=\"do-i-need"), 11);
    assert_eq!(at("Keep [your"), 15);
    assert_eq!(at("### <a id=\"who-can"), 16);
    assert_eq!(at("Owners."), 17);
    assert_eq!(at("Short answers."), 7);
}

#[test]
fn learn_question_ids_turn_every_other_character_into_a_dash() {
    assert_eq!(
        learn_question_id("Why are my earnings missing?"),
        "why-are-my-earnings-missing-"
    );
    assert_eq!(
        learn_question_id("Are the Cloud Partner Portal REST APIs still supported?"),
        "are-the-cloud-partner-portal-rest-apis-still-supported-"
    );
    assert_eq!(learn_question_id("How do I sign in"), "how-do-i-sign-in");
    assert_eq!(learn_question_id("C#, F# & VB?"), "c---f----vb-");
}

#[test]
fn an_ignored_section_has_no_heading() {
    let src = SourceFile::from_text(
        "faq.yml",
        "### YamlMime:FAQ\ntitle: T\nsections:\n  - name: Ignored\n    questions:\n      - question: How do I sign in\n        answer: With your account.\n",
    );
    let page = parse_data_file(&src).page.unwrap();
    assert!(!page.text.contains("Ignored"), "{}", page.text);
    assert!(
        page.text
            .contains("\n### How do I sign in {#how-do-i-sign-in}\n"),
        "{}",
        page.text
    );
}

#[test]
fn a_section_named_like_a_question_alias_gets_its_own_id() {
    let src = SourceFile::from_text(
        "faq.yml",
        "### YamlMime:FAQ\ntitle: T\nsections:\n  - name: General\n    questions:\n      - question: Payouts?\n        answer: Monthly.\n  - name: Payouts\n    questions:\n      - question: When?\n        answer: Soon.\n",
    );
    let page = parse_data_file(&src).page.unwrap();
    assert!(
        page.text
            .contains("### <a id=\"payouts\"></a>Payouts? {#payouts-}"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("## Payouts {#payouts-1}"),
        "{}",
        page.text
    );
}

#[test]
fn bad_faq_files_are_located() {
    let src = SourceFile::from_text("faq.yml", "### YamlMime:FAQ\ntitle: T\nsections:\n  - name: A\n    questions:\n      - question: Q?\n");
    let file = parse_data_file(&src);
    assert!(file.failed());
    assert_eq!(file.diagnostics[0].code, Code::InvalidDataFile);
    assert!(
        file.diagnostics[0].message.contains("answer"),
        "{:?}",
        file.diagnostics
    );
}

/// An answer that shows FAQ YAML in a code block: its `question:` and `answer:` lines are
/// text, not keys, so they must not shift where the later questions and tables are.
const FAQ_WITH_YAML_SAMPLE: &str = "### YamlMime:FAQ\ntitle: T\nsections:\n  - name: A\n    questions:\n      - question: How do I write a question?\n        answer: |\n          Like this:\n\n          ```yaml\n          - question: Why?\n            answer: Because.\n          ```\n      - question: Where did the pages go?\n        answer: |\n          | Page | Old link | New link |\n          | --- | --- | --- |\n          | Home | https://old.example/ | https://new.example/ |\nadditionalContent: |\n  More.\n";

#[test]
fn faq_lines_come_from_the_yaml_tree_not_from_lines_that_look_like_keys() {
    let src = SourceFile::from_text("faq.yml", FAQ_WITH_YAML_SAMPLE);
    let page = parse_data_file(&src).page.unwrap();
    let at = |s: &str| page.position(page.text.find(s).unwrap()).0;
    assert_eq!(at("How do I write a question?"), 6);
    assert_eq!(at("Like this:"), 8);
    assert_eq!(at("- question: Why?"), 11);
    assert_eq!(at("Where did the pages go?"), 14);
    assert_eq!(at("| Page |"), 16);
    assert_eq!(at("| Home |"), 18);
    assert_eq!(at("More."), 20);
}
