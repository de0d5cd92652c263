//! Payme's pure rules: time and error codes.

use chrono::{Duration, TimeZone, Utc};

use super::*;

#[test]
fn a_transaction_times_out_after_twelve_hours_to_the_millisecond() {
    let created = Utc.timestamp_millis_opt(1_700_000_000_000).single().unwrap_or_default();
    assert!(!timed_out(created, created + Duration::milliseconds(TIMEOUT_MS)));
    assert!(timed_out(created, created + Duration::milliseconds(TIMEOUT_MS + 1)));
}

#[test]
fn order_errors_are_in_paymes_account_range_and_name_the_field() {
    for e in [OrderError::NotFound, OrderError::Closed, OrderError::Waiting, OrderError::NotServed] {
        let e = PaymeError::from(e);
        assert!((-31099..=-31050).contains(&e.code()), "{e:?}");
        assert_eq!(e.data(), Some("order_id"));
    }
    assert_eq!(PaymeError::WrongAmount.data(), None);
}

#[test]
fn protocol_errors_have_paymes_codes() {
    let codes = [
        (PaymeError::NotPost, -32300),
        (PaymeError::Parse, -32700),
        (PaymeError::InvalidRequest, -32600),
        (PaymeError::MethodNotFound, -32601),
        (PaymeError::Privileges, -32504),
        (PaymeError::System, -32400),
        (PaymeError::WrongAmount, -31001),
        (PaymeError::TransactionNotFound, -31003),
        (PaymeError::CannotPerform, -31008),
    ];
    for (e, code) in codes {
        assert_eq!(e.code(), code);
    }
}
