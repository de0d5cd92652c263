//! Click's pure rules: the signature over the values as received, the checks' order, amounts.

use std::collections::HashMap;

use super::*;

fn request(action: &str) -> ClickRequest {
    let mut fields: HashMap<String, String> = [
        ("click_trans_id", "2198765"),
        ("service_id", "41234"),
        ("click_paydoc_id", "1029384"),
        ("merchant_trans_id", "17"),
        ("amount", "50000.00"),
        ("action", action),
        ("error", "0"),
        ("error_note", "Success"),
        ("sign_time", "2026-12-04 10:00:00"),
        ("sign_string", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    if action == COMPLETE {
        fields.insert("merchant_prepare_id".into(), "5".into());
    }
    let mut request = ClickRequest::from_form(&fields, action == COMPLETE).unwrap_or_else(|e| panic!("{e}"));
    request.sign_string = request.expected_sign("s3cret");
    request
}

#[test]
fn the_signature_is_md5_over_the_fields_as_received() {
    let prepare = request(PREPARE);
    // md5("2198765" + "41234" + "s3cret" + "17" + "50000.00" + "0" + "2026-12-04 10:00:00")
    assert_eq!(prepare.expected_sign("s3cret"), "8cf569b05ce560c101a46dd0f63df4d3");
    assert_eq!(prepare.verify(PREPARE, "s3cret", 41234), Ok(()));
    let complete = request(COMPLETE);
    assert_ne!(complete.expected_sign("s3cret"), prepare.expected_sign("s3cret"), "Complete signs the prepare id");
    assert_eq!(complete.verify(COMPLETE, "s3cret", 41234), Ok(()));
}

#[test]
fn a_reformatted_amount_breaks_the_signature() {
    let mut tampered = request(PREPARE);
    tampered.amount = "50000".into();
    assert_eq!(tampered.verify(PREPARE, "s3cret", 41234), Err(ClickError::SignFailed));
    assert_eq!(request(PREPARE).verify(PREPARE, "other", 41234), Err(ClickError::SignFailed));
}

#[test]
fn the_action_is_checked_first_then_the_sign_then_the_service() {
    assert_eq!(request(PREPARE).verify(COMPLETE, "wrong", 1), Err(ClickError::ActionNotFound));
    assert_eq!(request(PREPARE).verify(PREPARE, "wrong", 1), Err(ClickError::SignFailed));
    assert_eq!(request(PREPARE).verify(PREPARE, "s3cret", 1), Err(ClickError::BadRequest));
}

#[test]
fn a_missing_field_is_an_error_in_request() {
    let fields: HashMap<String, String> = [("click_trans_id".to_owned(), "1".to_owned())].into_iter().collect();
    assert_eq!(ClickRequest::from_form(&fields, false), Err(ClickError::BadRequest));
}

#[test]
fn amounts_are_soum_with_decimals_to_the_tiyin() {
    let mut r = request(PREPARE);
    assert_eq!(r.amount_tiyin(), Ok(5_000_000));
    r.amount = "1.005".into();
    assert_eq!(r.amount_tiyin(), Err(ClickError::IncorrectAmount));
    r.amount = "-5".into();
    assert_eq!(r.amount_tiyin(), Err(ClickError::IncorrectAmount));
}

#[test]
fn codes_are_clicks() {
    let codes: Vec<i64> = [
        ClickError::SignFailed,
        ClickError::IncorrectAmount,
        ClickError::ActionNotFound,
        ClickError::AlreadyPaid,
        ClickError::OrderNotFound,
        ClickError::TransactionNotFound,
        ClickError::FailedToUpdate,
        ClickError::BadRequest,
        ClickError::Cancelled,
    ]
    .iter()
    .map(|e| e.code())
    .collect();
    assert_eq!(codes, (-9..=-1).rev().collect::<Vec<_>>());
}
