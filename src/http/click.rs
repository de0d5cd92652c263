//! `/pay/click/{key}/prepare` and `/pay/click/{key}/complete`: Click's SHOP-API for one owner's
//! payment account. Click posts a form; the fields are kept exactly as received so the md5
//! signature is checked on what Click signed (constant time, with that account's secret),
//! before any order is read. Parsing and answers live here; the rules in `services::click`.

use std::collections::HashMap;

use diesel_async::AsyncConnection;

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use crate::{
    db::payment_accounts::PaymentAccount,
    handlers::paid,
    http::grants_first::{Call, GrantsFirst},
    services::{
        click::{self, ClickError, ClickRequest, Completed, COMPLETE, PREPARE},
        payment_accounts::by_route,
    },
    state::AppState,
};

/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Click's name for people.
const LABEL: &str = "Click";

/// Prepare (action 0).
pub async fn prepare(
    key: web::Path<String>,
    body: web::Bytes,
    app: web::Data<AppState>,
    turns: web::Data<GrantsFirst>,
) -> HttpResponse {
    let _turn = turns.into_inner().enter(Call::Asks).await;
    let fields = form(&body);
    let answer = match checked(&app, &key, &fields, false).await {
        Ok((account, request)) => match app.db.get().await {
            Ok(mut conn) => click::prepare(&mut conn, account.merchant, &request, app.clock.now()).await,
            Err(_) => Err(ClickError::FailedToUpdate),
        },
        Err(e) => Err(e),
    };
    respond("prepare", &fields, "merchant_prepare_id", answer)
}

/// Complete (action 1). A storage outage is answered 503, not an error code: Click has
/// debited the customer and must ask again, not give up.
pub async fn complete(
    key: web::Path<String>,
    body: web::Bytes,
    app: web::Data<AppState>,
    turns: web::Data<GrantsFirst>,
) -> HttpResponse {
    let _turn = turns.into_inner().enter(Call::Settles).await;
    let fields = form(&body);
    let (account, request) = match checked(&app, &key, &fields, true).await {
        Ok(checked) => checked,
        Err(ClickError::FailedToUpdate) => return unavailable(),
        Err(e) => return respond("complete", &fields, "merchant_confirm_id", Err(e)),
    };
    let Ok(mut conn) = app.db.get().await else { return unavailable() };
    let (merchant, now) = (account.merchant, app.clock.now());
    // The grant and its notices commit together, or neither does.
    let outcome = conn
        .transaction(async |conn| {
            let completed = click::complete(conn, merchant, &request, now).await;
            if let Ok(Completed { granted: Some(grant), .. }) = &completed {
                paid::queue_paid(conn, &app, grant, LABEL).await?;
            }
            Ok::<_, diesel::result::Error>(completed)
        })
        .await;
    let completed = match outcome {
        Ok(completed) => completed,
        Err(e) => {
            tracing::warn!(error = %e, "click: not committed; answered 503 for a repeat");
            return unavailable();
        }
    };
    app.courier.notify_one();
    let answer = match completed {
        Ok(done) => {
            if done.first {
                Ok(done.confirm_id)
            } else {
                Err((ClickError::AlreadyPaid, Some(done.confirm_id)))
            }
        }
        Err(ClickError::FailedToUpdate) => return unavailable(),
        Err(e) => Err((e, None)),
    };
    match answer {
        Ok(id) => respond("complete", &fields, "merchant_confirm_id", Ok(id)),
        Err((e, id)) => answer_with(&fields, "merchant_confirm_id", e.code(), &e.to_string(), id, "complete"),
    }
}

/// The account and the request, once the action, the signature and the service are right.
async fn checked(
    app: &AppState,
    key: &str,
    fields: &HashMap<String, String>,
    complete: bool,
) -> Result<(PaymentAccount, ClickRequest), ClickError> {
    let account = {
        let mut conn = app.db.get().await.map_err(|_| ClickError::FailedToUpdate)?;
        by_route(&mut conn, app.settings.platform_account.as_ref(), key)
            .await
            .map_err(|_| ClickError::FailedToUpdate)?
    };
    let account = account.filter(PaymentAccount::click_complete).ok_or(ClickError::BadRequest)?;
    let request = ClickRequest::from_form(fields, complete)?;
    let (Some(stored), Some(service_id)) = (account.click_secret.as_deref(), account.click_service_id) else {
        return Err(ClickError::BadRequest);
    };
    let secret = app.settings.vault.decrypt_secret(stored).map_err(|_| ClickError::BadRequest)?;
    request.verify(if complete { COMPLETE } else { PREPARE }, &secret, service_id)?;
    Ok((account, request))
}

/// The form's fields (the last of a repeated name wins).
fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn respond(
    step: &str,
    fields: &HashMap<String, String>,
    id_field: &str,
    answer: Result<i64, ClickError>,
) -> HttpResponse {
    match answer {
        Ok(id) => answer_with(fields, id_field, 0, "Success", Some(id), step),
        Err(e) => answer_with(fields, id_field, e.code(), &e.to_string(), None, step),
    }
}

/// Click's JSON answer, echoing its ids.
fn answer_with(
    fields: &HashMap<String, String>,
    id_field: &str,
    code: i64,
    note: &str,
    id: Option<i64>,
    step: &str,
) -> HttpResponse {
    metrics::counter!("getolog_click_calls_total", "step" => step.to_owned(), "outcome" => code.to_string())
        .increment(1);
    let echo = |name: &str| -> Value {
        match fields.get(name) {
            Some(v) => v.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(v.clone())),
            None => Value::Null,
        }
    };
    let mut body = json!({
        "click_trans_id": echo("click_trans_id"),
        "merchant_trans_id": fields.get("merchant_trans_id").cloned().unwrap_or_default(),
        "error": code,
        "error_note": note,
    });
    body[id_field] = id.map(Value::from).unwrap_or(Value::Null);
    HttpResponse::Ok().json(body)
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable().finish()
}
