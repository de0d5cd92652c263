//! Payme's error codes, with the messages Payme shows in its three languages.

/// Why an order (Payme's "account") cannot be paid: codes in Payme's -31050..-31099 range,
/// whose `data` names the account field, `order_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderError {
    /// No such order at this account.
    NotFound,
    /// The order is paid, cancelled or refunded already.
    Closed,
    /// Another Payme transaction waits on this order, or it is paid.
    Waiting,
    /// The customer was banned, or the chat is no longer sold.
    NotServed,
}

/// A Payme Merchant API error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymeError {
    /// Not a POST.
    #[error("not a POST")]
    NotPost,
    /// The body is not JSON.
    #[error("parse error")]
    Parse,
    /// The request or a field has the wrong shape or type (a float or negative amount).
    #[error("invalid request")]
    InvalidRequest,
    /// No such method.
    #[error("method not found")]
    MethodNotFound,
    /// Wrong or missing credentials.
    #[error("insufficient privileges")]
    Privileges,
    /// Storage failed; nothing was written.
    #[error("system error")]
    System,
    /// The amount is not the order's.
    #[error("wrong amount")]
    WrongAmount,
    /// No such transaction (at this account).
    #[error("transaction not found")]
    TransactionNotFound,
    /// Not possible in the transaction's state (or past its timeout).
    #[error("operation not possible")]
    CannotPerform,
    /// The order cannot be paid.
    #[error("order error {0:?}")]
    Order(OrderError),
}

impl From<OrderError> for PaymeError {
    fn from(e: OrderError) -> Self {
        PaymeError::Order(e)
    }
}

impl From<diesel::result::Error> for PaymeError {
    fn from(e: diesel::result::Error) -> Self {
        tracing::warn!(error = %e, "payme: storage failed; answered -32400");
        PaymeError::System
    }
}

impl PaymeError {
    /// Payme's numeric code.
    pub fn code(self) -> i64 {
        match self {
            PaymeError::NotPost => -32300,
            PaymeError::Parse => -32700,
            PaymeError::InvalidRequest => -32600,
            PaymeError::MethodNotFound => -32601,
            PaymeError::Privileges => -32504,
            PaymeError::System => -32400,
            PaymeError::WrongAmount => -31001,
            PaymeError::TransactionNotFound => -31003,
            PaymeError::CannotPerform => -31008,
            PaymeError::Order(OrderError::NotFound) => -31050,
            PaymeError::Order(OrderError::Closed) => -31051,
            PaymeError::Order(OrderError::Waiting) => -31052,
            PaymeError::Order(OrderError::NotServed) => -31053,
        }
    }

    /// The message in Payme's three languages: `(ru, uz, en)`.
    pub fn messages(self) -> (&'static str, &'static str, &'static str) {
        match self {
            PaymeError::NotPost => (
                "Метод запроса должен быть POST",
                "So'rov usuli POST bo'lishi kerak",
                "The request method must be POST",
            ),
            PaymeError::Parse => ("Ошибка разбора JSON", "JSON tahlilida xatolik", "JSON parse error"),
            PaymeError::InvalidRequest => ("Неверный запрос", "Noto'g'ri so'rov", "Invalid request"),
            PaymeError::MethodNotFound => ("Метод не найден", "Usul topilmadi", "Method not found"),
            PaymeError::Privileges => ("Недостаточно привилегий", "Huquqlar yetarli emas", "Insufficient privileges"),
            PaymeError::System => (
                "Системная ошибка, повторите позже",
                "Tizim xatosi, keyinroq urinib ko'ring",
                "System error, try again later",
            ),
            PaymeError::WrongAmount => ("Неверная сумма", "Noto'g'ri summa", "Wrong amount"),
            PaymeError::TransactionNotFound => {
                ("Транзакция не найдена", "Tranzaksiya topilmadi", "Transaction not found")
            }
            PaymeError::CannotPerform => {
                ("Невозможно выполнить операцию", "Amalni bajarib bo'lmaydi", "The operation cannot be performed")
            }
            PaymeError::Order(OrderError::NotFound) => ("Заказ не найден", "Buyurtma topilmadi", "Order not found"),
            PaymeError::Order(OrderError::Closed) => (
                "Заказ уже оплачен или отменён",
                "Buyurtma allaqachon to'langan yoki bekor qilingan",
                "The order is already paid or cancelled",
            ),
            PaymeError::Order(OrderError::Waiting) => (
                "По заказу уже ожидается другая оплата",
                "Buyurtma bo'yicha boshqa to'lov kutilmoqda",
                "Another payment for this order is in progress",
            ),
            PaymeError::Order(OrderError::NotServed) => (
                "Заказ больше не может быть оплачен",
                "Buyurtmani endi to'lab bo'lmaydi",
                "The order can no longer be paid",
            ),
        }
    }

    /// The account field an order error is about (`order_id`).
    pub fn data(self) -> Option<&'static str> {
        matches!(self, PaymeError::Order(_)).then_some("order_id")
    }
}
