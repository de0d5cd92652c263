//! Uzum Bank's error codes (strings in its answers; there is no 10004).

/// An Uzum Merchant API error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UzumError {
    /// 10001: wrong or missing credentials.
    #[error("access denied")]
    AccessDenied,
    /// 10002: the body is not JSON.
    #[error("JSON parse error")]
    JsonParse,
    /// 10003: not a POST, or no such operation.
    #[error("invalid operation")]
    InvalidOperation,
    /// 10005: a required parameter is missing or malformed.
    #[error("missing required parameters")]
    MissingParams,
    /// 10006: another account's `serviceId`.
    #[error("invalid serviceId")]
    InvalidService,
    /// 10007: no such order.
    #[error("order not found")]
    OrderNotFound,
    /// 10008: the order is paid.
    #[error("already paid")]
    AlreadyPaid,
    /// 10009: the order is cancelled.
    #[error("payment cancelled")]
    PaymentCancelled,
    /// 10010: a repeated create.
    #[error("transaction already created")]
    AlreadyCreated,
    /// 10011: the amount is not the order's.
    #[error("invalid amount")]
    InvalidAmount,
    /// 10012: below the minimum.
    #[error("amount below minimum")]
    BelowMinimum,
    /// 10013: above the maximum.
    #[error("amount above maximum")]
    AboveMaximum,
    /// 10014: no such transaction.
    #[error("transaction not found")]
    TransactionNotFound,
    /// 10015: cancelled or failed: it cannot be confirmed.
    #[error("transaction cancelled")]
    TransactionCancelled,
    /// 10016: a repeated confirm.
    #[error("already confirmed")]
    AlreadyConfirmed,
    /// 10017: it cannot be cancelled.
    #[error("cannot be cancelled")]
    CannotCancel,
    /// 10018: a repeated reverse.
    #[error("already cancelled")]
    AlreadyReversed,
    /// 99999: storage failed; try later.
    #[error("internal error")]
    Internal,
}

impl UzumError {
    /// Uzum's `errorCode`.
    pub fn code(self) -> &'static str {
        match self {
            UzumError::AccessDenied => "10001",
            UzumError::JsonParse => "10002",
            UzumError::InvalidOperation => "10003",
            UzumError::MissingParams => "10005",
            UzumError::InvalidService => "10006",
            UzumError::OrderNotFound => "10007",
            UzumError::AlreadyPaid => "10008",
            UzumError::PaymentCancelled => "10009",
            UzumError::AlreadyCreated => "10010",
            UzumError::InvalidAmount => "10011",
            UzumError::BelowMinimum => "10012",
            UzumError::AboveMaximum => "10013",
            UzumError::TransactionNotFound => "10014",
            UzumError::TransactionCancelled => "10015",
            UzumError::AlreadyConfirmed => "10016",
            UzumError::CannotCancel => "10017",
            UzumError::AlreadyReversed => "10018",
            UzumError::Internal => "99999",
        }
    }
}

impl From<diesel::result::Error> for UzumError {
    fn from(e: diesel::result::Error) -> Self {
        tracing::warn!(error = %e, "uzum: storage failed; answered 99999");
        UzumError::Internal
    }
}
