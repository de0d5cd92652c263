//! Method dispatch plus the bot-level methods (getMe, webhooks, commands, files).

use serde_json::{json, Value};

use crate::simulator::api::ApiError;
use crate::simulator::delivery::Outgoing;
use crate::simulator::params::Params;
use crate::simulator::state::State;
use crate::simulator::types::WebhookInfo;
use crate::simulator::{chats, messages};

/// Everything a method handler needs; runs with the state lock held.
pub(crate) struct Ctx<'a, 'p> {
    pub st: &'a mut State,
    pub bot_id: i64,
    pub p: Params<'p>,
    /// Updates to deliver in the background once the answer is sent.
    pub out: &'a mut Vec<Outgoing>,
}

/// Runs one (canonical) method.
pub(crate) fn handle(cx: &mut Ctx<'_, '_>, method: &str) -> Result<Value, ApiError> {
    match method {
        "getMe" => get_me(cx),
        "logOut" | "close" | "setMyDescription" | "setMyShortDescription" | "setMyName" => Ok(json!(true)),
        "setWebhook" => set_webhook(cx),
        "deleteWebhook" => delete_webhook(cx),
        "getWebhookInfo" => webhook_info(cx),
        "getUpdates" => {
            if bot(cx)?.webhook.is_some() {
                return Err(ApiError::new(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                ));
            }
            Ok(json!([]))
        }
        "setMyCommands" => set_commands(cx),
        "getMyCommands" => Ok(bot(cx)?.commands.clone()),
        "deleteMyCommands" => {
            bot(cx)?.commands = json!([]);
            Ok(json!(true))
        }
        "getFile" => get_file(cx),
        "sendMessage" => messages::send_message(cx),
        "sendInvoice" => crate::simulator::stars::send_invoice(cx),
        "createInvoiceLink" => crate::simulator::stars::create_invoice_link(cx),
        "answerPreCheckoutQuery" => crate::simulator::stars::answer_pre_checkout(cx),
        "refundStarPayment" => crate::simulator::stars::refund(cx),
        "editUserStarSubscription" => crate::simulator::stars::edit_subscription(cx),
        "getStarTransactions" => crate::simulator::stars::transactions(cx),
        "getManagedBotToken" => crate::simulator::managed::token(cx, false),
        "replaceManagedBotToken" => crate::simulator::managed::token(cx, true),
        "editMessageText" => messages::edit_text(cx, false),
        "editMessageCaption" => messages::edit_text(cx, true),
        "editMessageReplyMarkup" => messages::edit_markup(cx),
        "answerCallbackQuery" => messages::answer_callback(cx),
        "sendPhoto" => messages::send_media(cx, "photo"),
        "sendDocument" => messages::send_media(cx, "document"),
        "copyMessage" => messages::copy_message(cx, false),
        "forwardMessage" => messages::copy_message(cx, true),
        "deleteMessage" => messages::delete_message(cx),
        "sendChatAction" => {
            let chat_id = cx.p.chat_id("chat_id")?;
            messages::check_can_send(cx.st, cx.bot_id, chat_id)?;
            Ok(json!(true))
        }
        other => chats::handle(cx, other),
    }
}

fn bot<'a>(cx: &'a mut Ctx<'_, '_>) -> Result<&'a mut crate::simulator::state::BotState, ApiError> {
    cx.st.bots.get_mut(&cx.bot_id).ok_or_else(ApiError::unauthorized)
}

fn get_me(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let mut me = cx.st.bot_user_json(cx.bot_id);
    me["can_join_groups"] = json!(true);
    me["can_read_all_group_messages"] = json!(false);
    me["supports_inline_queries"] = json!(false);
    me["can_connect_to_business"] = json!(false);
    me["has_main_web_app"] = json!(false);
    me["can_manage_bots"] = json!(bot(cx)?.can_manage_bots);
    Ok(me)
}

/// Whether a secret token has 1–256 characters of `A-Za-z0-9_-`.
pub(crate) fn valid_secret(s: &str) -> bool {
    (1..=256).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn set_webhook(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let url = cx.p.str("url").unwrap_or_default();
    let secret = cx.p.str("secret_token").filter(|s| !s.is_empty());
    if let Some(s) = &secret {
        if !valid_secret(s) {
            return Err(ApiError::bad("secret token contains unallowed characters"));
        }
    }
    let max_connections = cx.p.i64("max_connections")?.unwrap_or(40);
    if !(1..=100).contains(&max_connections) {
        return Err(ApiError::bad("bad webhook: max_connections must be between 1 and 100"));
    }
    let allowed = match cx.p.json("allowed_updates")? {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| ApiError::bad("can't parse allowed updates"))?,
        ),
        Some(_) => return Err(ApiError::bad("can't parse allowed updates")),
    };
    if !url.is_empty() {
        match url::Url::parse(&url) {
            Ok(u) if u.scheme() == "https" || u.scheme() == "http" => {}
            _ => return Err(ApiError::bad("bad webhook: An HTTPS URL must be provided for webhook")),
        }
    }
    let b = bot(cx)?;
    if let Some(a) = allowed {
        b.allowed_updates = a;
    }
    if url.is_empty() {
        b.webhook = None;
        return Ok(json!(true));
    }
    b.webhook = Some(WebhookInfo {
        url,
        secret_token: secret,
        allowed_updates: b.allowed_updates.clone(),
        max_connections: u32::try_from(max_connections).unwrap_or(40),
    });
    Ok(json!(true))
}

fn delete_webhook(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    bot(cx)?.webhook = None;
    Ok(json!(true))
}

fn webhook_info(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let b = bot(cx)?;
    let mut v = json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0});
    if let Some(w) = &b.webhook {
        v["url"] = json!(w.url);
        v["max_connections"] = json!(w.max_connections);
        v["ip_address"] = json!("127.0.0.1");
    }
    if !b.allowed_updates.is_empty() {
        v["allowed_updates"] = json!(b.allowed_updates);
    }
    Ok(v)
}

fn set_commands(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let commands = cx.p.json("commands")?.ok_or_else(|| ApiError::bad("parameter \"commands\" is required"))?;
    let list = commands.as_array().ok_or_else(|| ApiError::bad("can't parse commands JSON object"))?;
    for c in list {
        let name = c.get("command").and_then(Value::as_str).unwrap_or_default();
        let ok_name = (1..=32).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok_name {
            return Err(ApiError::bad("BOT_COMMAND_INVALID"));
        }
        let desc = c.get("description").and_then(Value::as_str).unwrap_or_default();
        if desc.is_empty() || desc.chars().count() > 256 {
            return Err(ApiError::bad("BOT_COMMAND_DESCRIPTION_INVALID"));
        }
    }
    bot(cx)?.commands = commands;
    Ok(json!(true))
}

/// The `file_path` a stored file is served under.
pub(crate) fn file_path(kind: &str, file_id: &str) -> String {
    format!("{kind}s/{file_id}")
}

fn get_file(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let id = cx.p.str("file_id").ok_or_else(|| ApiError::bad("file_id is empty"))?;
    let f = cx
        .st
        .files
        .get(&id)
        .filter(|f| f.owner_bot == cx.bot_id)
        .ok_or_else(|| ApiError::bad("wrong file identifier/HTTP URL specified"))?;
    Ok(json!({
        "file_id": id,
        "file_unique_id": f.unique_id,
        "file_size": f.data.len(),
        "file_path": file_path(f.kind, &id),
    }))
}
