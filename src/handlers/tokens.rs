//! What callback data carries beside record ids, so a press acts on exactly what its
//! message showed: the revision of a payment a review copy showed, and the one-time token of
//! a grant button (drawn with its screen). The database guards on both; this module only
//! writes and reads them.

use rand::{distr::Alphanumeric, Rng};

/// Length of a grant token: 10 alphanumerics (~59 bits), short enough for callback data.
const TOKEN_LEN: usize = 10;

/// A payment as a copy showed it: `id` for revision 1, `id.revision` after. Revision 1 is
/// the bare id, so buttons drawn before revisions existed read as revision 1.
pub fn seen(id: i64, revision: i32) -> String {
    if revision == 1 {
        id.to_string()
    } else {
        format!("{id}.{revision}")
    }
}

/// Reads [`seen`]: the payment id and the revision the copy showed.
pub fn parse_seen(text: &str) -> Option<(i64, i32)> {
    match text.split_once('.') {
        None => Some((text.parse().ok()?, 1)),
        Some((id, revision)) => Some((id.parse().ok()?, revision.parse().ok().filter(|r| *r > 1)?)),
    }
}

/// A fresh grant token for the buttons of one drawn screen.
pub fn new_grant_token() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(TOKEN_LEN).map(char::from).collect()
}

/// Whether `text` is a grant token (as [`new_grant_token`] makes them).
pub fn is_grant_token(text: &str) -> bool {
    text.len() == TOKEN_LEN && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seen_revision_round_trips_and_revision_one_is_the_bare_id() {
        assert_eq!(seen(42, 1), "42");
        assert_eq!(seen(42, 3), "42.3");
        assert_eq!(parse_seen("42"), Some((42, 1)));
        assert_eq!(parse_seen(&seen(i64::MAX, i32::MAX)), Some((i64::MAX, i32::MAX)));
        for junk in ["", "x", "42.", "42.1", "42.0", "42.-2", ".3", "42.3.4"] {
            assert_eq!(parse_seen(junk), None, "{junk}");
        }
    }

    #[test]
    fn grant_tokens_are_fresh_and_recognised() {
        let (a, b) = (new_grant_token(), new_grant_token());
        assert!(is_grant_token(&a) && is_grant_token(&b));
        assert_ne!(a, b);
        assert!(!is_grant_token("short") && !is_grant_token("has:colon1"));
    }
}
