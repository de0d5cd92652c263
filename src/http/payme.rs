//! `/pay/payme/{key}`: Payme's Merchant API for one owner's payment account (JSON-RPC 2.0,
//! always HTTP 200). The account is found by the unguessable `key` in the path, and Payme's
//! `Basic Paycom:<key>` authorization is checked against that account's key in use, in
//! constant time, before any order or transaction is read. Parsing and answers live here;
//! the rules in `services::payme`; the notices in `handlers::paid`.

use actix_web::{http::Method, web, HttpRequest, HttpResponse};
use base64::Engine as _;
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde_json::{json, Map, Value};

use crate::{
    crypto::secrets_match,
    db::{
        payment_accounts::{self, Merchant},
        provider_transactions::ProviderTransaction,
    },
    handlers::paid,
    http::grants_first::{Call, GrantsFirst},
    services::{
        payme::{self, Cancelled, PaymeError, Performed},
        payment_accounts::by_route,
    },
    state::AppState,
};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Payme's name for people.
const LABEL: &str = "Payme";

/// Answers one Payme call.
pub async fn receive(
    req: HttpRequest,
    key: web::Path<String>,
    body: web::Bytes,
    app: web::Data<AppState>,
    turns: web::Data<GrantsFirst>,
) -> HttpResponse {
    let parsed: Option<Value> = serde_json::from_slice(&body).ok();
    let id = parsed.as_ref().and_then(|v| v.get("id")).cloned().unwrap_or(Value::Null);
    let settles = matches!(
        parsed.as_ref().and_then(|v| v.get("method")).and_then(Value::as_str),
        Some("PerformTransaction" | "CancelTransaction")
    );
    let _turn = turns.into_inner().enter(if settles { Call::Settles } else { Call::Asks }).await;
    let answer =
        if req.method() != Method::POST { Err(PaymeError::NotPost) } else { answer(&req, &key, parsed, &app).await };
    let outcome = match &answer {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.code().to_string(),
    };
    metrics::counter!("getolog_payme_calls_total", "outcome" => outcome).increment(1);
    let body = match answer {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err(e) => {
            let (ru, uz, en) = e.messages();
            let mut error = json!({ "code": e.code(), "message": { "ru": ru, "uz": uz, "en": en } });
            if let Some(data) = e.data() {
                error["data"] = json!(data);
            }
            json!({ "jsonrpc": "2.0", "id": id, "error": error })
        }
    };
    HttpResponse::Ok().content_type("application/json; charset=UTF-8").body(body.to_string())
}

/// Authorizes, then runs the method.
async fn answer(req: &HttpRequest, key: &str, parsed: Option<Value>, app: &AppState) -> Result<Value, PaymeError> {
    let mut pooled = app.db.get().await.map_err(|_| PaymeError::System)?;
    let conn: &mut AsyncPgConnection = &mut pooled;
    let account = by_route(conn, app.settings.platform_account.as_ref(), key).await?;
    let account = account.ok_or(PaymeError::Privileges)?;
    let stored = account.payme_key_in_use().ok_or(PaymeError::Privileges)?;
    let expected = app.settings.vault.decrypt_secret(stored).map_err(|_| PaymeError::Privileges)?;
    if !authorized(req, &expected) {
        return Err(PaymeError::Privileges);
    }
    let request = parsed.ok_or(PaymeError::Parse)?;
    let method = request.get("method").and_then(Value::as_str).ok_or(PaymeError::InvalidRequest)?;
    let params = request.get("params").and_then(Value::as_object).ok_or(PaymeError::InvalidRequest)?;
    let now = app.clock.now();
    let merchant = account.merchant;
    match method {
        "CheckPerformTransaction" => {
            payme::check_perform(conn, merchant, amount(params)?, order_id(params)?).await?;
            Ok(json!({ "allow": true }))
        }
        "CreateTransaction" => {
            let (id, time) = (text(params, "id")?, integer(params, "time")?);
            let tx = payme::create(conn, merchant, (id, time), (amount(params)?, order_id(params)?), now).await?;
            Ok(
                json!({ "create_time": payme::millis(tx.created_at), "transaction": tx.id.to_string(), "state": tx.state }),
            )
        }
        "PerformTransaction" => {
            let performed = perform(conn, app, merchant, text(params, "id")?, now).await?;
            let tx = &performed.transaction;
            Ok(
                json!({ "transaction": tx.id.to_string(), "perform_time": millis_or_zero(tx.performed_at), "state": tx.state }),
            )
        }
        "CancelTransaction" => {
            let reason = i16::try_from(integer(params, "reason")?).map_err(|_| PaymeError::InvalidRequest)?;
            let cancelled = cancel(conn, app, merchant, (text(params, "id")?, reason), now).await?;
            let tx = &cancelled.transaction;
            Ok(
                json!({ "transaction": tx.id.to_string(), "cancel_time": millis_or_zero(tx.cancelled_at), "state": tx.state }),
            )
        }
        "CheckTransaction" => Ok(view(&payme::check(conn, merchant, text(params, "id")?).await?)),
        "GetStatement" => {
            let (from, to) = (integer(params, "from")?, integer(params, "to")?);
            let transactions = payme::statement(conn, merchant, from, to).await?;
            Ok(json!({ "transactions": transactions.iter().map(statement_row).collect::<Vec<_>>() }))
        }
        "ChangePassword" if account.merchant == Merchant::Platform => {
            // The platform's key is the operator's PLATFORM_PAYME_KEY: it changes there.
            tracing::warn!("payme: ChangePassword for the platform's cashbox refused; set PLATFORM_PAYME_KEY");
            Err(PaymeError::Privileges)
        }
        "ChangePassword" => {
            let password = text(params, "password")?;
            let encrypted = app.settings.vault.encrypt_secret(password);
            payment_accounts::replace_payme_key_in_use(conn, &account, &encrypted, now).await?;
            Ok(json!({ "success": true }))
        }
        _ => Err(PaymeError::MethodNotFound),
    }
}

/// PerformTransaction, and the notices of what it granted queued in the same transaction:
/// both commit or neither, so a crash in between loses no notice.
async fn perform(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    merchant: Merchant,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Performed, PaymeError> {
    let outcome = conn
        .transaction(async |conn| {
            let performed = payme::perform(conn, merchant, id, now).await?;
            if let Ok(Performed { granted: Some(grant), .. }) = &performed {
                paid::queue_paid(conn, app, grant, LABEL).await?;
            }
            Ok::<_, diesel::result::Error>(performed)
        })
        .await
        .map_err(unannounced)?;
    app.courier.notify_one();
    outcome
}

/// CancelTransaction, and the notices of what a refund withdrew, in one transaction.
async fn cancel(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    merchant: Merchant,
    (id, reason): (&str, i16),
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Cancelled, PaymeError> {
    let outcome = conn
        .transaction(async |conn| {
            let cancelled = payme::cancel(conn, merchant, id, reason, now).await;
            if let Ok(Cancelled { refund: Some(refund), .. }) = &cancelled {
                paid::queue_refund(conn, app, refund, LABEL).await?;
            }
            Ok::<_, diesel::result::Error>(cancelled)
        })
        .await
        .map_err(unannounced)?;
    app.courier.notify_one();
    outcome
}

/// A payment and its notices could not be committed: nothing was, the call is answered
/// -32400, and Payme repeats it.
fn unannounced(e: diesel::result::Error) -> PaymeError {
    tracing::warn!(error = %e, "payme: not committed; answered -32400 for a repeat");
    PaymeError::System
}

/// Whether the request carries `Basic base64("Paycom:" + expected)`.
fn authorized(req: &HttpRequest, expected: &str) -> bool {
    let Some(header) = req.headers().get("Authorization").and_then(|h| h.to_str().ok()) else { return false };
    let Some(encoded) = header.strip_prefix("Basic ") else { return false };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else { return false };
    match decoded.strip_prefix(b"Paycom:") {
        Some(given) => secrets_match(expected, given),
        None => false,
    }
}

/// A transaction as CheckTransaction shows it: unset times are 0, an unset reason is null.
fn view(tx: &ProviderTransaction) -> Value {
    json!({
        "create_time": payme::millis(tx.created_at),
        "perform_time": millis_or_zero(tx.performed_at),
        "cancel_time": millis_or_zero(tx.cancelled_at),
        "transaction": tx.id.to_string(),
        "state": tx.state,
        "reason": tx.reason,
    })
}

/// A transaction as GetStatement lists it.
fn statement_row(tx: &ProviderTransaction) -> Value {
    let mut row = view(tx);
    row["id"] = json!(tx.external_id);
    row["time"] = json!(tx.provider_time);
    row["amount"] = json!(tx.amount_tiyin);
    row["account"] = json!({ "order_id": tx.order_id.to_string() });
    row
}

fn millis_or_zero(at: Option<chrono::DateTime<chrono::Utc>>) -> i64 {
    at.map(payme::millis).unwrap_or(0)
}

/// A positive whole number of tiyin; a float, a string or a negative number is malformed.
fn amount(params: &Map<String, Value>) -> Result<i64, PaymeError> {
    let amount = params.get("amount").and_then(Value::as_i64).ok_or(PaymeError::InvalidRequest)?;
    if amount <= 0 {
        return Err(PaymeError::InvalidRequest);
    }
    Ok(amount)
}

/// The order named in `account.order_id` (a string or a number); anything else is an order
/// that does not exist.
fn order_id(params: &Map<String, Value>) -> Result<i64, PaymeError> {
    let account = params.get("account").and_then(Value::as_object).ok_or(PaymeError::InvalidRequest)?;
    let order = match account.get("order_id") {
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    };
    order.ok_or(payme::OrderError::NotFound.into())
}

fn integer(params: &Map<String, Value>, field: &str) -> Result<i64, PaymeError> {
    params.get(field).and_then(Value::as_i64).ok_or(PaymeError::InvalidRequest)
}

fn text<'a>(params: &'a Map<String, Value>, field: &str) -> Result<&'a str, PaymeError> {
    params
        .get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty() && s.len() <= 64)
        .ok_or(PaymeError::InvalidRequest)
}
