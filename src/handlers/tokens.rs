//! What callback data carries beside record ids, so a press acts on exactly what its
//! message showed: the revision of a payment a review copy showed. The database guards on
//! it; this module only writes and reads it.

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
}
