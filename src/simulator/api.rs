//! Bot API envelope, errors and method names.

use actix_web::{http::StatusCode, HttpResponse};
use serde_json::{json, Value};

/// An error answer of the Bot API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub description: String,
    pub retry_after: Option<u32>,
    /// `parameters.migrate_to_chat_id`: the supergroup a basic group became.
    pub migrate_to: Option<i64>,
}

impl ApiError {
    /// Any code with a full description.
    pub fn new(code: u16, description: &str) -> Self {
        ApiError { code, description: description.to_owned(), retry_after: None, migrate_to: None }
    }

    /// 400 `Bad Request: <msg>`.
    pub fn bad(msg: &str) -> Self {
        Self::new(400, &format!("Bad Request: {msg}"))
    }

    /// 403 `Forbidden: <msg>`.
    pub fn forbidden(msg: &str) -> Self {
        Self::new(403, &format!("Forbidden: {msg}"))
    }

    /// 401 `Unauthorized`.
    pub fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    /// 429 with `retry_after`.
    pub fn too_many(retry_after: u32) -> Self {
        ApiError {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
            migrate_to: None,
        }
    }

    /// 400 for a call on a basic group that was upgraded, naming the new supergroup.
    pub fn migrated(to: i64) -> Self {
        ApiError { migrate_to: Some(to), ..Self::bad("group chat was upgraded to a supergroup chat") }
    }

    /// The JSON envelope.
    pub fn body(&self) -> Value {
        let mut v = json!({"ok": false, "error_code": self.code, "description": self.description});
        if let Some(r) = self.retry_after {
            v["parameters"] = json!({"retry_after": r});
        }
        if let Some(to) = self.migrate_to {
            v["parameters"] = json!({"migrate_to_chat_id": to});
        }
        v
    }
}

/// HTTP response for a result.
pub(crate) fn respond(result: &Result<Value, ApiError>) -> HttpResponse {
    match result {
        Ok(v) => HttpResponse::Ok().json(json!({"ok": true, "result": v})),
        Err(e) => {
            let status = StatusCode::from_u16(e.code).unwrap_or(StatusCode::BAD_REQUEST);
            HttpResponse::build(status).json(e.body())
        }
    }
}

/// Every method the simulator implements, in canonical spelling.
pub(crate) const METHODS: &[&str] = &[
    "getMe",
    "getManagedBotToken",
    "sendInvoice",
    "createInvoiceLink",
    "answerPreCheckoutQuery",
    "refundStarPayment",
    "editUserStarSubscription",
    "getStarTransactions",
    "replaceManagedBotToken",
    "logOut",
    "close",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "getUpdates",
    "sendMessage",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "sendPhoto",
    "sendDocument",
    "copyMessage",
    "forwardMessage",
    "deleteMessage",
    "getFile",
    "sendChatAction",
    "createChatInviteLink",
    "editChatInviteLink",
    "revokeChatInviteLink",
    "approveChatJoinRequest",
    "declineChatJoinRequest",
    "banChatMember",
    "unbanChatMember",
    "getChat",
    "getChatMember",
    "getChatMemberCount",
    "getChatAdministrators",
    "leaveChat",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
];

/// Canonical name of a method given in any case.
pub(crate) fn canonical(method: &str) -> Option<&'static str> {
    METHODS.iter().copied().find(|m| m.eq_ignore_ascii_case(method))
}
