//! Fluent translations for uz / en / ru, embedded in the binary from `locales/`.
//!
//! `I18n::tr(lang, key, args)` formats one message; a missing key falls back to English and
//! is logged (the locale test suite makes sure that never ships).

use std::{collections::HashMap, fmt, str::FromStr, sync::Arc};

use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};

/// A language Getolog speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// O'zbekcha.
    Uz,
    /// English.
    En,
    /// Русский.
    Ru,
}

impl Lang {
    /// Every supported language, in the order the language keyboard shows them.
    pub const ALL: [Lang; 3] = [Lang::Uz, Lang::En, Lang::Ru];

    /// The ISO code stored in the database (`uz`, `en`, `ru`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Uz => "uz",
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language's own name with a flag, for buttons.
    pub fn label(self) -> &'static str {
        match self {
            Lang::Uz => "🇺🇿 O'zbekcha",
            Lang::En => "🇬🇧 English",
            Lang::Ru => "🇷🇺 Русский",
        }
    }

    /// Best guess from a Telegram `language_code`, defaulting to Uzbek.
    pub fn from_telegram(code: Option<&str>) -> Lang {
        code.and_then(|c| c.get(..2)).and_then(|c| c.parse().ok()).unwrap_or(Lang::Uz)
    }
}

impl FromStr for Lang {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "uz" => Ok(Lang::Uz),
            "en" => Ok(Lang::En),
            "ru" => Ok(Lang::Ru),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The Fluent sources, one file per language and area.
const SOURCES: &[(Lang, &str)] = &[
    (Lang::Uz, include_str!("../locales/uz/main.ftl")),
    (Lang::En, include_str!("../locales/en/main.ftl")),
    (Lang::Ru, include_str!("../locales/ru/main.ftl")),
];

/// Errors loading the translations.
#[derive(Debug, thiserror::Error)]
#[error("locale {lang}: {problem}")]
pub struct I18nError {
    lang: Lang,
    problem: String,
}

/// All bundles, shared read-only between threads.
#[derive(Clone)]
pub struct I18n {
    bundles: Arc<HashMap<Lang, FluentBundle<FluentResource>>>,
}

impl I18n {
    /// Parses the embedded locale files.
    pub fn load() -> Result<Self, I18nError> {
        let mut bundles = HashMap::new();
        for (lang, source) in SOURCES {
            let resource = FluentResource::try_new((*source).to_owned())
                .map_err(|(_, errs)| I18nError { lang: *lang, problem: format!("{errs:?}") })?;
            let langid: unic_langid::LanguageIdentifier =
                lang.code().parse().map_err(|_| I18nError { lang: *lang, problem: "bad language id".into() })?;
            let bundle = bundles.entry(*lang).or_insert_with(|| {
                let mut b = FluentBundle::new_concurrent(vec![langid]);
                b.set_use_isolating(false);
                b
            });
            bundle.add_resource(resource).map_err(|errs| I18nError { lang: *lang, problem: format!("{errs:?}") })?;
        }
        Ok(Self { bundles: Arc::new(bundles) })
    }

    /// Formats `key` in `lang` with named arguments.
    pub fn tr(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        self.format(lang, key, args).or_else(|| self.format(Lang::En, key, args)).unwrap_or_else(|| {
            tracing::error!(key, %lang, "missing translation");
            key.to_owned()
        })
    }

    /// Formats `key` in `lang`, or `None` when the message does not exist or fails to format.
    pub fn format(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> Option<String> {
        let bundle = self.bundles.get(&lang)?;
        let pattern = bundle.get_message(key)?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            // Whole numbers go in as numbers, so plural selectors ([one], [few]...) apply.
            match value.parse::<i64>() {
                Ok(number) => fluent_args.set(*name, FluentValue::from(number)),
                Err(_) => fluent_args.set(*name, FluentValue::from(*value)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }

    /// `text` as `lang` reads it, when it is one of `keys` as stored in any language (a
    /// preset reason stored in the words of whoever chose it); otherwise `text` itself.
    pub fn retranslate(&self, keys: &[&str], text: &str, lang: Lang) -> String {
        let key = keys.iter().find(|key| Lang::ALL.iter().any(|l| self.format(*l, key, &[]).as_deref() == Some(text)));
        key.map_or_else(|| text.to_owned(), |key| self.tr(lang, key, &[]))
    }

    /// Every message id defined for `lang` (used by the completeness test).
    pub fn keys(&self, lang: Lang) -> Vec<String> {
        SOURCES
            .iter()
            .filter(|(l, _)| *l == lang)
            .flat_map(|(_, src)| src.lines())
            .filter_map(|line| line.split_once(" =").map(|(k, _)| k))
            .filter(|k| !k.is_empty() && !k.starts_with(['#', ' ', '.', '-']))
            .map(str::to_owned)
            .collect()
    }
}

#[cfg(test)]
mod tests;
