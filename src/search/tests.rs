use super::index::{build_terms, rank, DocInput, Field};
use super::*;

fn doc(fields: &[(Field, &str)]) -> DocInput {
    DocInput {
        fields: fields.iter().map(|(f, t)| (*f, t.to_string())).collect(),
        boost: 1.0,
    }
}

fn ranked(docs: &[DocInput], query: &[&str]) -> Vec<u32> {
    let terms = build_terms(docs, 1000);
    rank(&terms, query).into_iter().map(|(d, _)| d.0).collect()
}

#[test]
fn heading_match_outranks_body_mention() {
    let docs = [
        doc(&[
            (Field::Heading, "Overview"),
            (Field::Body, "Payouts continue as before after the move."),
        ]),
        doc(&[
            (Field::Heading, "Payout reports"),
            (Field::Body, "Where to find reports."),
        ]),
        doc(&[
            (Field::Heading, "Users"),
            (Field::Body, "Nothing about money here."),
        ]),
    ];
    assert_eq!(ranked(&docs, &["payout"]), [1, 0]);
}

#[test]
fn documents_matching_every_term_come_first() {
    let docs = [
        doc(&[
            (Field::Heading, "Offer status"),
            (Field::Body, "offer offer offer offer"),
        ]),
        doc(&[(Field::Body, "The offer is locked during migration.")]),
    ];
    assert_eq!(ranked(&docs, &["offer", "lock"]), [1, 0]);
}

#[test]
fn short_sections_beat_long_ones_for_the_same_count() {
    let filler = "filler ".repeat(300);
    let docs = [
        doc(&[(Field::Body, &format!("sku {filler}"))]),
        doc(&[(Field::Body, "sku pricing")]),
    ];
    assert_eq!(ranked(&docs, &["sku"]), [1, 0]);
}

#[test]
fn rare_terms_weigh_more_than_common_ones() {
    let mut docs: Vec<DocInput> = (0..20)
        .map(|_| doc(&[(Field::Body, "partner center portal")]))
        .collect();
    docs.push(doc(&[(Field::Body, "partner payout")]));
    docs.push(doc(&[(Field::Body, "partner partner partner")]));
    let order = ranked(&docs, &["partner", "payout"]);
    assert_eq!(order[0], 20);
}

#[test]
fn stemmed_forms_match() {
    let docs = [
        doc(&[(Field::Body, "Migrating offers")]),
        doc(&[(Field::Body, "unrelated")]),
    ];
    let terms = build_terms(&docs, 1000);
    let mut t = tokenize::Tokenizer::default();
    let q = t.terms("migration offer");
    let q: Vec<&str> = q.iter().map(String::as_str).collect();
    assert_eq!(rank(&terms, &q)[0].0, (0, 0));
}

#[test]
fn code_blocks_weigh_less_than_prose() {
    let docs = [
        doc(&[(Field::Code, "curl -H api-version")]),
        doc(&[(Field::Body, "Pass the api-version parameter.")]),
    ];
    assert_eq!(ranked(&docs, &["api-version"]), [1, 0]);
}

#[test]
fn common_terms_keep_only_their_best_postings() {
    let docs: Vec<DocInput> = (0..50)
        .map(|i| doc(&[(Field::Body, &format!("common {}", "x ".repeat(i)))]))
        .collect();
    let terms = build_terms(&docs, 10);
    let common = terms.iter().find(|t| t.term == "common").expect("term");
    assert_eq!(common.df, 50);
    assert_eq!(common.postings.len(), 10);
    // The shortest documents score highest.
    assert!(common.postings.iter().all(|(d, _)| d.0 < 10));
}

#[test]
fn excerpts_cut_at_a_word_boundary() {
    assert_eq!(excerpt("short", 10), "short");
    assert_eq!(excerpt("alpha beta gamma delta", 12), "alpha beta…");
}
