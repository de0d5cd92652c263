//! `POST /webhook/{bot_id}`: the only way updates come in.
//!
//! Order matters: the bot is found in the routing table; an id it does not know is answered
//! 404 at once when it was found unknown lately, else looked up in the database within a
//! small bound of concurrent lookups (503 when all are busy, see [`super::lookups`]). Then
//! the secret is checked (constant time) before the body is read; the
//! in-flight limits are taken before the body is buffered; the answer is sent only once the
//! bot has handled the update, so a 2xx is never a lost update. Anything that prevents
//! handling answers non-2xx and Telegram redelivers.

use std::sync::Arc;

use actix::Addr;
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt;
use teloxide_core::types::Update;
use tokio::sync::Semaphore;

use crate::{
    actors::{
        bot::{HandleUpdate, UpdateOutcome},
        supervisor::{
            registry::{BotState, Registry, Route},
            AdoptBot, Supervisor,
        },
    },
    crypto::secrets_match,
    http::lookups::BotLookups,
};

/// Largest webhook body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";

/// What the webhook route needs.
#[derive(Clone)]
pub struct WebhookFront {
    /// Routing table.
    pub registry: Registry,
    /// To adopt bots registered on another node.
    pub supervisor: Addr<Supervisor>,
    /// Bounds the database lookups of ids the routing table does not know.
    pub lookups: Arc<BotLookups>,
    /// Process-wide in-flight limit.
    pub in_flight: Arc<Semaphore>,
}

/// Why a delivery was not acknowledged; each maps to one status code.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// No such bot.
    #[error("unknown bot")]
    UnknownBot,
    /// Missing or wrong secret header.
    #[error("wrong secret token")]
    Unauthorized,
    /// Body over 1 MiB.
    #[error("body too large")]
    TooLarge,
    /// Body is not a Telegram update.
    #[error("malformed update: {0}")]
    Malformed(String),
    /// This bot has too many updates in flight.
    #[error("too many updates in flight for this bot")]
    BotBusy,
    /// The bot is restarting, failed, or the process is saturated: redeliver later.
    #[error("temporarily unavailable: {0}")]
    Unavailable(&'static str),
    /// Handling failed in a way a redelivery may fix.
    #[error("handling failed")]
    HandlingFailed,
}

impl ResponseError for WebhookError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebhookError::UnknownBot => StatusCode::NOT_FOUND,
            WebhookError::Unauthorized => StatusCode::UNAUTHORIZED,
            WebhookError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebhookError::Malformed(_) => StatusCode::BAD_REQUEST,
            WebhookError::BotBusy => StatusCode::TOO_MANY_REQUESTS,
            WebhookError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebhookError::HandlingFailed => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        if matches!(self, WebhookError::BotBusy | WebhookError::Unavailable(_)) {
            response.insert_header(("Retry-After", "1"));
        }
        response.body(self.to_string())
    }
}

/// The webhook route.
pub async fn receive(
    req: HttpRequest,
    path: web::Path<String>,
    payload: web::Payload,
    front: web::Data<WebhookFront>,
) -> Result<HttpResponse, WebhookError> {
    let bot_id: i64 = path.parse().map_err(|_| WebhookError::UnknownBot)?;
    let route = find_route(&front, bot_id).await?;
    let given = req.headers().get(SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    if !secrets_match(&route.secret, given) {
        return Err(WebhookError::Unauthorized);
    }
    let declared =
        req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES) {
        return Err(WebhookError::TooLarge);
    }
    let addr = match (route.state, route.addr) {
        (BotState::Alive, Some(addr)) => addr,
        (BotState::Restarting | BotState::Alive, _) => return Err(WebhookError::Unavailable("bot restarting")),
        (BotState::Failed, _) => return Err(WebhookError::Unavailable("bot failed")),
        (BotState::Revoked, _) => return Err(WebhookError::Unavailable("bot token revoked")),
    };
    let _process_permit = front.in_flight.try_acquire().map_err(|_| WebhookError::Unavailable("server saturated"))?;
    let _bot_permit = route.in_flight.try_acquire().map_err(|_| WebhookError::BotBusy)?;
    let _gauge = InFlightGauge::enter();
    let body = read_body(payload).await?;
    let mut update: Update = serde_json::from_slice(&body).map_err(|e| WebhookError::Malformed(e.to_string()))?;
    crate::telegram::managed::keep_unknown(&mut update, &body);
    match addr.send(HandleUpdate(update)).await {
        Ok(UpdateOutcome::Handled | UpdateOutcome::Duplicate | UpdateOutcome::Ignored | UpdateOutcome::Dropped) => {
            Ok(HttpResponse::Ok().finish())
        }
        Ok(UpdateOutcome::Replied(reply)) => Ok(HttpResponse::Ok().json(reply)),
        Ok(UpdateOutcome::InProgress) => Err(WebhookError::Unavailable("update in progress")),
        Ok(UpdateOutcome::Unavailable(_)) => Err(WebhookError::Unavailable("storage busy or down")),
        Ok(UpdateOutcome::Failed(_) | UpdateOutcome::Panicked) => Err(WebhookError::HandlingFailed),
        Err(_) => Err(WebhookError::Unavailable("bot restarting")),
    }
}

async fn find_route(front: &WebhookFront, bot_id: i64) -> Result<Route, WebhookError> {
    if let Some(route) = front.registry.route(bot_id) {
        return Ok(route);
    }
    if front.registry.recently_unknown(bot_id) {
        metrics::counter!("getolog_unknown_bot_requests_total", "answer" => "remembered").increment(1);
        return Err(WebhookError::UnknownBot);
    }
    let _slot = front.lookups.try_start().ok_or(WebhookError::Unavailable("too many unknown bots being looked up"))?;
    match front.supervisor.send(AdoptBot { telegram_bot_id: bot_id }).await {
        Ok(Ok(true)) => front.registry.route(bot_id).ok_or(WebhookError::UnknownBot),
        Ok(Ok(false)) => Err(WebhookError::UnknownBot),
        Ok(Err(_)) | Err(_) => Err(WebhookError::Unavailable("cannot look the bot up right now")),
    }
}

async fn read_body(mut payload: web::Payload) -> Result<web::BytesMut, WebhookError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| WebhookError::Malformed(e.to_string()))?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(WebhookError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Keeps `getolog_updates_in_flight` right whichever way the request ends.
struct InFlightGauge;

impl InFlightGauge {
    fn enter() -> Self {
        metrics::gauge!("getolog_updates_in_flight").increment(1.0);
        InFlightGauge
    }
}

impl Drop for InFlightGauge {
    fn drop(&mut self) {
        metrics::gauge!("getolog_updates_in_flight").decrement(1.0);
    }
}
