//! A Click SHOP-API request as received (form fields kept as strings, so the signature is
//! checked on exactly what Click signed), and Click's error codes.

use std::collections::HashMap;

use bigdecimal::{BigDecimal, ToPrimitive};
use md5::{Digest, Md5};

use crate::crypto::secrets_match;

/// Prepare's `action`.
pub const PREPARE: &str = "0";
/// Complete's `action`.
pub const COMPLETE: &str = "1";

/// Click's error codes (0 is success).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClickError {
    /// -1: the signature does not match.
    #[error("SIGN CHECK FAILED")]
    SignFailed,
    /// -2: the amount is not the order's.
    #[error("Incorrect parameter amount")]
    IncorrectAmount,
    /// -3: the action is not this URL's.
    #[error("Action not found")]
    ActionNotFound,
    /// -4: the order is paid already.
    #[error("Already paid")]
    AlreadyPaid,
    /// -5: no such order at this account.
    #[error("Order not found")]
    OrderNotFound,
    /// -6: no such prepared transaction.
    #[error("Transaction does not exist")]
    TransactionNotFound,
    /// -7: storage failed.
    #[error("Failed to update")]
    FailedToUpdate,
    /// -8: missing or malformed fields, or another account's `service_id`.
    #[error("Error in request from click")]
    BadRequest,
    /// -9: the transaction or order is cancelled.
    #[error("Transaction cancelled")]
    Cancelled,
}

impl ClickError {
    /// Click's numeric code.
    pub fn code(self) -> i64 {
        match self {
            ClickError::SignFailed => -1,
            ClickError::IncorrectAmount => -2,
            ClickError::ActionNotFound => -3,
            ClickError::AlreadyPaid => -4,
            ClickError::OrderNotFound => -5,
            ClickError::TransactionNotFound => -6,
            ClickError::FailedToUpdate => -7,
            ClickError::BadRequest => -8,
            ClickError::Cancelled => -9,
        }
    }
}

/// A Prepare or Complete request, each field as Click sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickRequest {
    /// Click's transaction id (the idempotency key).
    pub click_trans_id: String,
    /// The merchant's service.
    pub service_id: String,
    /// Click's payment document id.
    pub click_paydoc_id: String,
    /// The order.
    pub merchant_trans_id: String,
    /// Complete only: our Prepare's id.
    pub merchant_prepare_id: Option<String>,
    /// The amount in so'm, possibly with decimals.
    pub amount: String,
    /// 0 Prepare, 1 Complete.
    pub action: String,
    /// Click's own status of the payment (negative: it failed).
    pub error: String,
    /// Click's note on it.
    pub error_note: String,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub sign_time: String,
    /// The md5 signature.
    pub sign_string: String,
}

impl ClickRequest {
    /// Reads the form; a missing field is Click's "error in request" (-8). `complete` asks for
    /// `merchant_prepare_id` too.
    pub fn from_form(fields: &HashMap<String, String>, complete: bool) -> Result<Self, ClickError> {
        let get = |name: &str| fields.get(name).cloned().ok_or(ClickError::BadRequest);
        Ok(Self {
            click_trans_id: get("click_trans_id")?,
            service_id: get("service_id")?,
            click_paydoc_id: get("click_paydoc_id")?,
            merchant_trans_id: get("merchant_trans_id")?,
            merchant_prepare_id: if complete { Some(get("merchant_prepare_id")?) } else { None },
            amount: get("amount")?,
            action: get("action")?,
            error: get("error")?,
            error_note: fields.get("error_note").cloned().unwrap_or_default(),
            sign_time: get("sign_time")?,
            sign_string: get("sign_string")?,
        })
    }

    /// The signature Click computes with `secret`, over the values as received.
    pub fn expected_sign(&self, secret: &str) -> String {
        let mut md5 = Md5::new();
        for part in [&self.click_trans_id, &self.service_id, &secret.to_owned(), &self.merchant_trans_id] {
            md5.update(part.as_bytes());
        }
        if let Some(prepare) = &self.merchant_prepare_id {
            md5.update(prepare.as_bytes());
        }
        for part in [&self.amount, &self.action, &self.sign_time] {
            md5.update(part.as_bytes());
        }
        md5.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Checks what comes before anything is read: the action is this URL's (-3), the
    /// signature matches (-1, constant time), the service is the account's (-8), and the
    /// ids are well formed (-8).
    pub fn verify(&self, action: &str, secret: &str, service_id: i64) -> Result<(), ClickError> {
        if self.action != action {
            return Err(ClickError::ActionNotFound);
        }
        if !secrets_match(&self.expected_sign(secret), self.sign_string.to_ascii_lowercase().as_bytes()) {
            return Err(ClickError::SignFailed);
        }
        if self.service_id.trim().parse::<i64>().ok() != Some(service_id) {
            return Err(ClickError::BadRequest);
        }
        let well_formed = |v: &str| !v.is_empty() && v.len() <= 64;
        if !well_formed(&self.click_trans_id) || self.error.trim().parse::<i64>().is_err() {
            return Err(ClickError::BadRequest);
        }
        Ok(())
    }

    /// Click's own status of the payment.
    pub fn click_error(&self) -> i64 {
        self.error.trim().parse().unwrap_or(0)
    }

    /// The amount in whole tiyin (-2 when it is not a positive amount to the tiyin).
    pub fn amount_tiyin(&self) -> Result<i64, ClickError> {
        let soum: BigDecimal = self.amount.trim().parse().map_err(|_| ClickError::IncorrectAmount)?;
        let tiyin = soum * BigDecimal::from(100);
        if !tiyin.is_integer() {
            return Err(ClickError::IncorrectAmount);
        }
        tiyin.to_i64().filter(|t| *t > 0).ok_or(ClickError::IncorrectAmount)
    }
}
