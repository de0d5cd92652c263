//! Building updates and posting them to webhooks.

use std::{sync::Arc, time::Duration};

use bytes::Bytes;
use serde_json::{json, Value};

use crate::simulator::state::{State, UPDATES_PER_BOT};
use crate::simulator::types::{Delivery, SimError};
use crate::simulator::Inner;

/// Header carrying the webhook secret.
pub(crate) const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// Kinds a bot gets when its `allowed_updates` list is empty.
const NOT_BY_DEFAULT: &[&str] = &["chat_member", "message_reaction", "message_reaction_count", "subscription"];

/// Update kinds sent by a person to the bot; delivering one "starts" the bot for that person.
const STARTING_KINDS: &[&str] =
    &["message", "edited_message", "callback_query", "inline_query", "pre_checkout_query", "shipping_query"];

/// An update ready to be posted.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    pub bot_id: i64,
    pub update_id: i64,
    pub kind: String,
    pub url: String,
    pub secret: Option<String>,
    pub body: Value,
}

/// Whether an `allowed_updates` list lets `kind` through.
pub(crate) fn allows(allowed: &[String], kind: &str) -> bool {
    if allowed.is_empty() {
        !NOT_BY_DEFAULT.contains(&kind)
    } else {
        allowed.iter().any(|a| a == kind)
    }
}

impl State {
    /// Assigns the next update id for `bot_id` and wraps `payload` as update `kind`.
    ///
    /// Fails if the bot has no webhook or does not accept that kind.
    pub fn make_update(&mut self, bot_id: i64, kind: &str, payload: Value) -> Result<Outgoing, SimError> {
        let b = self.bots.get_mut(&bot_id).ok_or(SimError::UnknownBot(bot_id))?;
        let hook = b.webhook.as_ref().ok_or(SimError::NoWebhook(bot_id))?;
        if !allows(&b.allowed_updates, kind) {
            return Err(SimError::NotAllowed { bot_id, kind: kind.to_owned() });
        }
        let (url, secret) = (hook.url.clone(), hook.secret_token.clone());
        if STARTING_KINDS.contains(&kind) {
            if let Some(user) = payload.pointer("/from/id").and_then(Value::as_i64) {
                b.started.insert(user);
                b.blocked.remove(&user);
            }
        }
        b.next_update_id += 1;
        let update_id = b.next_update_id;
        let mut body = json!({ "update_id": update_id });
        body[kind] = payload;
        if b.updates.len() >= UPDATES_PER_BOT {
            b.updates.pop_front();
        }
        b.updates.push_back((update_id, body.clone()));
        Ok(Outgoing { bot_id, update_id, kind: kind.to_owned(), url, secret, body })
    }

    /// A previously built update, ready to be posted again.
    pub fn stored_update(&self, bot_id: i64, update_id: i64) -> Result<Outgoing, SimError> {
        let b = self.bots.get(&bot_id).ok_or(SimError::UnknownBot(bot_id))?;
        let hook = b.webhook.as_ref().ok_or(SimError::NoWebhook(bot_id))?;
        let (_, body) = b.updates.iter().find(|(id, _)| *id == update_id).ok_or(SimError::NoUpdate(update_id))?;
        let kind = body.as_object().and_then(|o| o.keys().find(|k| *k != "update_id").cloned()).unwrap_or_default();
        Ok(Outgoing {
            bot_id,
            update_id,
            kind,
            url: hook.url.clone(),
            secret: hook.secret_token.clone(),
            body: body.clone(),
        })
    }
}

/// Posts a raw body to `url` with an optional secret header; returns the HTTP status (0 on
/// transport failure) and the answer's body.
async fn send(client: &reqwest::Client, url: &str, secret: Option<&str>, body: Vec<u8>) -> (u16, Option<Bytes>) {
    let mut req = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .timeout(Duration::from_secs(30))
        .body(body);
    if let Some(s) = secret {
        req = req.header(SECRET_HEADER, s);
    }
    match req.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            // Read the body (a method for Telegram to carry out), which also lets the
            // connection be reused.
            (status, resp.bytes().await.ok())
        }
        Err(e) => {
            tracing::debug!(error = %e, url, "simulator: webhook delivery failed");
            (0, None)
        }
    }
}

/// Posts a raw body to `url` with an optional secret header; returns the HTTP status (0 on
/// transport failure).
pub(crate) async fn post_raw(client: &reqwest::Client, url: &str, secret: Option<&str>, body: Vec<u8>) -> u16 {
    send(client, url, secret, body).await.0
}

/// Posts an update to its webhook. A 2xx answer may carry one Bot API method in its body, as
/// Telegram allows: it is carried out for the bot before this returns (its outcome is told
/// to nobody).
pub(crate) async fn post(inner: &Arc<Inner>, out: &Outgoing) -> Delivery {
    let body = serde_json::to_vec(&out.body).unwrap_or_default();
    let (status, answer) = send(&inner.client, &out.url, out.secret.as_deref(), body).await;
    if (200..300).contains(&status) {
        let reply = answer.filter(|b| !b.is_empty()).and_then(|b| serde_json::from_slice::<Value>(&b).ok());
        if let Some(Value::Object(reply)) = reply {
            crate::simulator::server::webhook_reply(inner, out.bot_id, reply).await;
        }
    }
    Delivery { update_id: out.update_id, status }
}
