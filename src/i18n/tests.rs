use std::collections::BTreeSet;

use super::*;

/// Arguments every message may use; a message that needs another one fails to format here.
const SAMPLE_ARGS: &[(&str, &str)] = &[
    ("name", "Ali"),
    ("bot", "@shop_bot"),
    ("count", "3"),
    ("restarts", "5"),
    ("window", "60s"),
    ("retry", "2 min"),
    ("cause", "it lacks the right"),
    ("owner", "@owner"),
    ("id", "42"),
    ("details", "details"),
    ("status", "live"),
    ("service", "41234"),
    ("merchant", "7001"),
    ("prepare", "https://x/prepare"),
    ("complete", "https://x/complete"),
    ("title", "VIP club"),
    ("currency", "UZS"),
    ("terms", "50 000 UZS / 1 month"),
    ("period", "1 month"),
    ("card", "8600 •••• •••• 1234"),
    ("holder", "Ali Valiyev"),
    ("methods", "card"),
    ("welcome", "English"),
    ("language", "English"),
    ("link", "https://t.me/+abc"),
    ("days", "3"),
    ("date", "28.11.2026"),
    ("failures", "3"),
    ("chat", "📢 VIP club"),
    ("user", "Aziza (id 42)"),
    ("reason", "the bot cannot ban users there"),
    ("plan", "1 month"),
    ("amount", "50 000 UZS"),
    ("period", "Today"),
    ("owners", "3"),
    ("new_owners", "1"),
    ("bots", "alive 2"),
    ("end_users", "10"),
    ("new_end_users", "2"),
    ("payments", "approved 3"),
    ("approved", "150 000 UZS"),
    ("plan_revenue", "50 000 UZS"),
    ("plans", "free 2, 1month 1"),
    ("page", "1"),
    ("revenue", "150 000 UZS"),
    ("new", "2"),
    ("active", "5"),
    ("renewals", "1"),
    ("customers", "4"),
    ("provider", "Payme"),
    ("methods", "Card transfer 50 000 UZS"),
    ("plan_methods", "Payme 50 000 UZS"),
    ("login", "kamola_shop"),
    ("key", "set"),
    ("test", "not set"),
    ("mode", "test key"),
    ("url", "https://getolog.example/pay/payme/key"),
    ("stars", "250"),
    ("unrecorded", "1"),
    ("unknown", "0"),
    ("refunds", "0"),
    ("renewal", "Paid once."),
    ("canceled", "1"),
    ("failed", "0"),
    ("active", "0"),
];

#[test]
fn every_key_exists_in_every_language_and_formats() {
    let i18n = I18n::load().unwrap();
    let all: BTreeSet<String> = Lang::ALL.iter().flat_map(|l| i18n.keys(*l)).collect();
    assert!(all.len() > 5, "locales look empty");
    for lang in Lang::ALL {
        for key in &all {
            let text = i18n.format(lang, key, SAMPLE_ARGS);
            assert!(text.is_some(), "{key} missing or broken in {lang}");
            assert!(!text.unwrap().contains('{'), "{key} in {lang} has an unformatted placeable");
        }
    }
}

#[test]
fn languages_differ_and_fall_back_to_english() {
    let i18n = I18n::load().unwrap();
    let uz = i18n.tr(Lang::Uz, "owner-welcome", &[("name", "Ali")]);
    let ru = i18n.tr(Lang::Ru, "owner-welcome", &[("name", "Ali")]);
    assert_ne!(uz, ru);
    assert!(uz.contains("Ali"));
    assert_eq!(i18n.tr(Lang::Uz, "no-such-key", &[]), "no-such-key");
}

#[test]
fn language_codes_round_trip() {
    for lang in Lang::ALL {
        assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
    }
    assert_eq!(Lang::from_telegram(Some("ru-RU")), Lang::Ru);
    assert_eq!(Lang::from_telegram(None), Lang::Uz);
}

/// Every literal that looks like a message id in the handlers and services (`"menu-title"`)
/// must exist: a typo would otherwise show the raw key to a user.
#[test]
fn every_key_the_code_names_exists() {
    let i18n = I18n::load().unwrap();
    let defined: BTreeSet<String> = i18n.keys(Lang::En).into_iter().collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    let mut stack = vec![root.join("handlers"), root.join("services"), root.join("actors")];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for literal in source.split('"').skip(1).step_by(2) {
            let key_like = literal.contains('-')
                && literal
                    .split('-')
                    .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
                && literal.split('-').next().is_some_and(|first| first.bytes().all(|b| b.is_ascii_lowercase()));
            if key_like && !defined.contains(literal) && !NOT_KEYS.contains(&literal) {
                missing.push(format!("{}: {literal}", path.display()));
            }
        }
    }
    assert!(missing.is_empty(), "message ids used in code but not defined: {missing:#?}");
}

/// Key-shaped literals that are not message ids.
const NOT_KEYS: &[&str] = &["main-bot-webhook", "in-progress"];

#[test]
fn counts_choose_plural_forms() {
    let i18n = I18n::load().unwrap();
    assert_eq!(i18n.tr(Lang::En, "period-months", &[("count", "1")]), "1 month");
    assert_eq!(i18n.tr(Lang::En, "period-months", &[("count", "6")]), "6 months");
    assert_eq!(i18n.tr(Lang::Ru, "period-months", &[("count", "1")]), "1 месяц");
    assert_eq!(i18n.tr(Lang::Ru, "period-months", &[("count", "6")]), "6 месяцев");
    assert_eq!(i18n.tr(Lang::Ru, "period-months", &[("count", "12")]), "12 месяцев");
}

#[test]
fn a_preset_stored_in_one_language_is_read_in_another_and_other_words_as_they_are() {
    let i18n = I18n::load().unwrap();
    let keys = ["reject-reason-amount", "reject-reason-unreadable"];
    let stored = i18n.tr(Lang::Ru, "reject-reason-unreadable", &[]);
    assert_eq!(i18n.retranslate(&keys, &stored, Lang::En), i18n.tr(Lang::En, "reject-reason-unreadable", &[]));
    assert_eq!(i18n.retranslate(&keys, "Wrong card number used", Lang::Uz), "Wrong card number used");
}
