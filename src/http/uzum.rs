//! `/pay/uzum/{key}/{check|create|confirm|reverse|status}`: Uzum Bank's Merchant API for one
//! owner's payment account. `Basic login:password` is checked first (constant time, against
//! that account's credentials), then the body, then `serviceId`. A failure is HTTP 400 with
//! Uzum's string `errorCode`. Parsing and answers live here; the rules in `services::uzum`.

use actix_web::{http::Method, web, HttpRequest, HttpResponse};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::{json, Map, Value};

use crate::{
    crypto::secrets_match,
    db::{payment_accounts::Merchant, provider_transactions::ProviderTransaction},
    handlers::paid,
    http::grants_first::{Call, GrantsFirst},
    services::{
        paid_orders::Withdrawal,
        payment_accounts::by_route,
        uzum::{self, Confirmed, UzumError},
    },
    state::AppState,
};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Uzum's name for people.
const LABEL: &str = "Uzum";

/// Answers one Uzum call.
pub async fn receive(
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
    app: web::Data<AppState>,
    turns: web::Data<GrantsFirst>,
) -> HttpResponse {
    let (key, operation) = path.into_inner();
    let settles = matches!(operation.as_str(), "confirm" | "reverse");
    let _turn = turns.into_inner().enter(if settles { Call::Settles } else { Call::Asks }).await;
    let parsed: Option<Value> = serde_json::from_slice(&body).ok();
    let field = |name: &str| parsed.as_ref().and_then(|v| v.get(name)).cloned().unwrap_or(Value::Null);
    let (service, trans_id) = (field("serviceId"), field("transId"));
    let answer = if req.method() != Method::POST {
        Err(UzumError::InvalidOperation)
    } else {
        answer(&req, &key, &operation, parsed.as_ref(), &app).await
    };
    let outcome = match &answer {
        Ok(_) => "ok",
        Err(e) => e.code(),
    };
    metrics::counter!("getolog_uzum_calls_total", "operation" => operation.clone(), "outcome" => outcome).increment(1);
    match answer {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(e) => {
            let mut body = json!({ "serviceId": service, "status": "FAILED", "errorCode": e.code() });
            if !trans_id.is_null() {
                body["transId"] = trans_id;
            }
            HttpResponse::BadRequest().json(body)
        }
    }
}

async fn answer(
    req: &HttpRequest,
    key: &str,
    operation: &str,
    parsed: Option<&Value>,
    app: &AppState,
) -> Result<Value, UzumError> {
    let mut pooled = app.db.get().await.map_err(|_| UzumError::Internal)?;
    let conn: &mut AsyncPgConnection = &mut pooled;
    let account = by_route(conn, app.settings.platform_account.as_ref(), key).await?;
    let account = account.filter(|a| a.uzum_complete()).ok_or(UzumError::AccessDenied)?;
    let (Some(login), Some(stored), Some(service_id)) =
        (account.uzum_login.as_deref(), account.uzum_password.as_deref(), account.uzum_service_id)
    else {
        return Err(UzumError::AccessDenied);
    };
    let password = app.settings.vault.decrypt_secret(stored).map_err(|_| UzumError::AccessDenied)?;
    if !authorized(req, login, &password) {
        return Err(UzumError::AccessDenied);
    }
    let body = parsed.and_then(Value::as_object).ok_or(UzumError::JsonParse)?;
    let given_service = body.get("serviceId").and_then(Value::as_i64).ok_or(UzumError::MissingParams)?;
    body.get("timestamp").and_then(Value::as_i64).ok_or(UzumError::MissingParams)?;
    if given_service != service_id {
        return Err(UzumError::InvalidService);
    }
    let now = app.clock.now();
    match operation {
        "check" => {
            let order = uzum::check(conn, account.merchant, order_id(body)?).await?;
            Ok(json!({
                "serviceId": service_id,
                "timestamp": now.timestamp_millis(),
                "status": "OK",
                "data": { "order_id": { "value": order.id.to_string() }, "amount": { "value": order.amount_tiyin } },
            }))
        }
        "create" => {
            let amount =
                body.get("amount").and_then(Value::as_i64).filter(|a| *a > 0).ok_or(UzumError::MissingParams)?;
            let tx = uzum::create(conn, account.merchant, (trans_id(body)?, order_id(body)?, amount), now).await?;
            Ok(json!({
                "serviceId": service_id,
                "transId": tx.external_id,
                "status": "CREATED",
                "transTime": tx.created_at.timestamp_millis(),
                "amount": tx.amount_tiyin,
                "data": { "order_id": { "value": tx.order_id.to_string() } },
            }))
        }
        "confirm" => {
            let confirmed = confirm(conn, app, account.merchant, trans_id(body)?, now).await?;
            if !confirmed.first {
                return Err(UzumError::AlreadyConfirmed);
            }
            let tx = &confirmed.transaction;
            Ok(json!({
                "serviceId": service_id,
                "transId": tx.external_id,
                "status": "CONFIRMED",
                "confirmTime": millis(tx.performed_at),
                "amount": tx.amount_tiyin,
            }))
        }
        "reverse" => {
            let (tx, _) = reverse(conn, app, account.merchant, trans_id(body)?, now).await?;
            Ok(json!({
                "serviceId": service_id,
                "transId": tx.external_id,
                "status": "REVERSED",
                "reverseTime": millis(tx.cancelled_at),
                "amount": tx.amount_tiyin,
            }))
        }
        "status" => Ok(status_view(service_id, &uzum::status(conn, account.merchant, trans_id(body)?).await?)),
        _ => Err(UzumError::InvalidOperation),
    }
}

fn status_view(service_id: i64, tx: &ProviderTransaction) -> Value {
    json!({
        "serviceId": service_id,
        "transId": tx.external_id,
        "status": uzum::status_name(tx),
        "transTime": tx.created_at.timestamp_millis(),
        "confirmTime": tx.performed_at.map(|at| at.timestamp_millis()),
        "reverseTime": tx.cancelled_at.map(|at| at.timestamp_millis()),
        "amount": tx.amount_tiyin,
    })
}

fn millis(at: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    at.map(|at| at.timestamp_millis())
}

/// confirm, and the notices of what it granted queued in the same transaction: both commit
/// or neither, so a crash in between loses no notice.
async fn confirm(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    merchant: Merchant,
    trans: &str,
    now: DateTime<Utc>,
) -> Result<Confirmed, UzumError> {
    let outcome = conn
        .transaction(async |conn| {
            let confirmed = uzum::confirm(conn, merchant, trans, now).await?;
            if let Ok(Confirmed { granted: Some(grant), .. }) = &confirmed {
                paid::queue_paid(conn, app, grant, LABEL).await?;
            }
            Ok::<_, diesel::result::Error>(confirmed)
        })
        .await
        .map_err(|_| UzumError::Internal)?;
    app.courier.notify_one();
    outcome
}

/// reverse, and the notices of what a refund withdrew, in one transaction. A repeat is
/// refused (10018) and plans the refund's notices again: they are keyed, so they go out once.
async fn reverse(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    merchant: Merchant,
    trans: &str,
    now: DateTime<Utc>,
) -> Result<(ProviderTransaction, Option<Withdrawal>), UzumError> {
    let outcome = conn
        .transaction(async |conn| {
            let reversed = uzum::reverse(conn, merchant, trans, now).await;
            let again = match &reversed {
                Err(UzumError::AlreadyReversed) => uzum::reversed(conn, merchant, trans, now).await?,
                _ => None,
            };
            let refund = reversed.as_ref().ok().and_then(|(_, refund)| refund.as_ref()).or(again.as_ref());
            if let Some(refund) = refund {
                paid::queue_refund(conn, app, refund, LABEL).await?;
            }
            Ok::<_, diesel::result::Error>(reversed)
        })
        .await
        .map_err(|_| UzumError::Internal)?;
    app.courier.notify_one();
    outcome
}

/// Whether the request carries `Basic base64(login:password)` for this account.
fn authorized(req: &HttpRequest, login: &str, password: &str) -> bool {
    let Some(header) = req.headers().get("Authorization").and_then(|h| h.to_str().ok()) else { return false };
    let Some(encoded) = header.strip_prefix("Basic ") else { return false };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else { return false };
    secrets_match(&format!("{login}:{password}"), &decoded)
}

fn trans_id(body: &Map<String, Value>) -> Result<&str, UzumError> {
    body.get("transId")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty() && t.len() <= 64)
        .ok_or(UzumError::MissingParams)
}

/// The order in `params.order_id` (a string or a number); a malformed one is not found.
fn order_id(body: &Map<String, Value>) -> Result<i64, UzumError> {
    let params = body.get("params").and_then(Value::as_object).ok_or(UzumError::MissingParams)?;
    match params.get("order_id") {
        Some(Value::String(s)) => s.trim().parse().map_err(|_| UzumError::OrderNotFound),
        Some(Value::Number(n)) => n.as_i64().ok_or(UzumError::OrderNotFound),
        _ => Err(UzumError::MissingParams),
    }
}
