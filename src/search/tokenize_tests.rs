use super::*;

fn terms(text: &str) -> Vec<String> {
    Tokenizer::default().terms(text)
}

fn has(text: &str, term: &str) -> bool {
    terms(text).iter().any(|t| t == term)
}

#[test]
fn words_are_lower_cased_and_stemmed() {
    assert_eq!(terms("Payouts continued"), ["payout", "continu"]);
    assert_eq!(
        terms("Migrating migrated migration"),
        ["migrat", "migrat", "migrat"]
    );
}

#[test]
fn stemming_keeps_the_written_word_as_surface() {
    let seen: Vec<(String, String)> = Tokenizer::default()
        .tokens("Notifications")
        .into_iter()
        .map(|t| (t.term, t.surface))
        .collect();
    assert_eq!(seen, [("notif".to_string(), "notifications".to_string())]);
}

#[test]
fn apostrophes() {
    assert_eq!(terms("partner's"), ["partner"]);
    assert_eq!(terms("partner\u{2019}s account"), ["partner", "account"]);
    assert_eq!(terms("partners'"), ["partner"]);
    assert_eq!(terms("don't"), ["dont"]);
}

#[test]
fn code_identifiers_are_kept_whole_and_split() {
    assert_eq!(terms("api-version"), ["api-version", "api", "version"]);
    assert_eq!(
        terms("`notification-email`"),
        ["notification-email", "notif", "email"]
    );
    assert!(has("?api-version=2017-10-31", "api-version"));
    assert!(has("?api-version=2017-10-31", "2017-10-31"));
    assert_eq!(terms("offer_id"), ["offer_id", "offer", "id"]);
    assert!(has("System.IO.File", "system.io.file"));
    assert!(has("System.IO.File", "io"));
}

#[test]
fn trailing_joiners_and_double_joiners_do_not_make_compounds() {
    assert_eq!(terms("end."), ["end"]);
    assert_eq!(terms("a--b"), ["a", "b"]);
    assert_eq!(
        compounds("https://cloudpartner.azure.com/#insights/payout"),
        ["cloudpartner.azure.com"]
    );
}

#[test]
fn camel_case_parts() {
    assert_eq!(terms("offerId"), ["offerid", "offer", "id"]);
    assert_eq!(terms("HTTPServer"), ["httpserver", "http", "server"]);
    assert_eq!(terms("PublisherId"), ["publisherid", "publish", "id"]);
}

#[test]
fn unicode_words() {
    assert_eq!(terms("Größe café"), ["größe", "café"]);
    assert_eq!(terms("Пользователи"), ["пользователи"]);
    assert!(has("naïve résumé", "resum") || has("naïve résumé", "résumé"));
}

#[test]
fn cjk_runs_become_unigrams_and_bigrams() {
    assert_eq!(
        terms("移行ガイド"),
        ["移", "移行", "行", "行ガ", "ガ", "ガイ", "イ", "イド", "ド"]
    );
    assert_eq!(
        terms("Partner Center移行"),
        ["partner", "center", "移", "移行", "行"]
    );
    assert!(has("파트너 센터", "파트"));
    assert!(has("中文搜索", "搜索"));
}

#[test]
fn overlong_words_are_dropped() {
    let long = "a".repeat(MAX_WORD_CHARS + 1);
    assert!(terms(&long).is_empty());
}

#[test]
fn numbers_are_not_stemmed() {
    assert_eq!(terms("2017 v2"), ["2017", "v2"]);
}
