use std::collections::BTreeSet;

use super::*;

/// Arguments every message may use; a message that needs another one fails to format here.
const SAMPLE_ARGS: &[(&str, &str)] = &[
    ("name", "Ali"),
    ("bot", "@shop_bot"),
    ("count", "3"),
    ("restarts", "5"),
    ("window", "60s"),
    ("owner", "@owner"),
    ("id", "42"),
    ("details", "details"),
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
