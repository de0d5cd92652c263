//! Keyboards shared by both trees, and the callback-data grammar they use.

use super::{Button, Keyboard};
use crate::i18n::Lang;

/// Callback data prefix of the language buttons (`lang:uz`).
pub const LANG_PREFIX: &str = "lang:";

/// The three language buttons, one row.
pub fn language_keyboard() -> Keyboard {
    Keyboard(vec![Lang::ALL
        .iter()
        .map(|lang| Button { text: lang.label().to_owned(), data: format!("{LANG_PREFIX}{}", lang.code()) })
        .collect()])
}

/// The language a `lang:xx` button stands for.
pub fn parse_language(data: &str) -> Option<Lang> {
    data.strip_prefix(LANG_PREFIX)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_buttons_round_trip() {
        let kb = language_keyboard();
        let langs: Vec<_> = kb.0[0].iter().filter_map(|b| parse_language(&b.data)).collect();
        assert_eq!(langs, Lang::ALL.to_vec());
        assert_eq!(parse_language("lang:xx"), None);
        assert_eq!(parse_language("pay:1"), None);
    }
}
