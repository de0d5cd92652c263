//! The HTTP side: actix-web routes for `/bot<token>/<method>` and `/file/bot<token>/<path>`.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::simulator::api::{self, ApiError};
use crate::simulator::delivery::Outgoing;
use crate::simulator::methods::{self, Ctx};
use crate::simulator::params::{self, Params, Parsed};
use crate::simulator::types::{BackgroundDelivery, Call, Fault};
use crate::simulator::{delivery, limits, Inner};

/// Registers the simulator's routes.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/bot{token}/{method}", web::route().to(api_call))
        .route("/file/bot{token}/{path:.*}", web::get().to(download));
}

/// What the fault rules say about one call.
enum FaultAction {
    None,
    Fail(ApiError),
    Delay(Duration),
}

fn take_fault(st: &mut crate::simulator::state::State, bot_id: i64, method: &str) -> FaultAction {
    if st.faults.is_empty() {
        return FaultAction::None;
    }
    let pos = st.faults.iter().position(|r| {
        r.times > 0
            && r.bot_id.is_none_or(|b| b == bot_id)
            && r.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    });
    let Some(pos) = pos else {
        return FaultAction::None;
    };
    let rule = &mut st.faults[pos];
    rule.times -= 1;
    let fault = rule.fault.clone();
    if rule.times == 0 {
        st.faults.remove(pos);
    }
    match fault {
        Fault::TooManyRequests { retry_after } => FaultAction::Fail(ApiError::too_many(retry_after)),
        Fault::Forbidden(s) => FaultAction::Fail(ApiError::forbidden(&s)),
        Fault::BadRequest(s) => FaultAction::Fail(ApiError::bad(&s)),
        Fault::ServerError(code) => {
            FaultAction::Fail(ApiError::new(code, if code == 502 { "Bad Gateway" } else { "Internal Server Error" }))
        }
        Fault::Latency(d) => FaultAction::Delay(d),
    }
}

/// Stores uploaded files for `bot_id` and points `attach://` references (or the part's own
/// field) at the new file ids.
fn store_uploads(st: &mut crate::simulator::state::State, bot_id: i64, parsed: &mut Parsed) {
    for up in std::mem::take(&mut parsed.uploads) {
        let kind = match up.field.as_str() {
            "photo" => "photo",
            _ => {
                let attach = format!("attach://{}", up.field);
                let referrer = parsed.params.iter().find(|(_, v)| v.as_str() == Some(&attach));
                match referrer.map(|(k, _)| k.as_str()) {
                    Some("photo") => "photo",
                    _ => "document",
                }
            }
        };
        let id = st.add_file(bot_id, kind, up.file_name, up.data);
        let attach = format!("attach://{}", up.field);
        let mut replaced = false;
        for v in parsed.params.values_mut() {
            if v.as_str() == Some(&attach) {
                *v = Value::String(id.clone());
                replaced = true;
            }
        }
        if !replaced {
            parsed.params.insert(up.field, Value::String(id));
        }
    }
}

async fn api_call(req: HttpRequest, payload: web::Payload, inner: web::Data<Arc<Inner>>) -> HttpResponse {
    let token = req.match_info().get("token").unwrap_or_default().to_owned();
    let raw_method = req.match_info().get("method").unwrap_or_default().to_owned();
    let latency = inner.latency_us.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_micros(latency)).await;
    }
    let parsed = params::read(&req, payload).await;
    let method = api::canonical(&raw_method);
    let method_name = method.map_or_else(|| raw_method.clone(), str::to_owned);
    let mut parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            let bot_id = inner.lock().bot_by_token(&token).unwrap_or(0);
            inner.record(bot_id, &method_name, Value::Object(Default::default()), false);
            return api::respond(&Err(e));
        }
    };
    let bot_id = inner.lock().bot_by_token(&token);
    let result = match (bot_id, method) {
        (None, _) => (0, Err(ApiError::unauthorized())),
        (Some(bot_id), None) => (bot_id, Err(ApiError::new(404, "Not Found: method not found"))),
        (Some(bot_id), Some(m)) => (bot_id, execute(&inner, bot_id, m, &mut parsed).await),
    };
    let (bot_id, result) = result;
    if inner.recording.load(Ordering::Relaxed) {
        inner.record(bot_id, &method_name, Value::Object(parsed.params), result.is_ok());
    }
    api::respond(&result)
}

/// Carries out one Bot API method of a bot as Telegram would: counted, fault rules and flood
/// limits first, then the method itself; updates it causes are delivered in the background.
async fn execute(inner: &Arc<Inner>, bot_id: i64, m: &'static str, parsed: &mut Parsed) -> Result<Value, ApiError> {
    let mut out: Vec<Outgoing> = Vec::new();
    let delay = {
        let mut st = inner.lock();
        *inner.received.lock().unwrap_or_else(|e| e.into_inner()).entry((bot_id, m)).or_default() += 1;
        store_uploads(&mut st, bot_id, parsed);
        match take_fault(&mut st, bot_id, m) {
            FaultAction::Fail(e) => return Err(e),
            FaultAction::None if limits::is_sending(m) => match flood_check(inner, bot_id, parsed) {
                Err(retry_after) => return Err(ApiError::too_many(retry_after)),
                Ok(()) => None,
            },
            FaultAction::Delay(d) => Some(d),
            FaultAction::None => None,
        }
    };
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    let result = {
        let mut st = inner.lock();
        run(&mut st, bot_id, m, parsed, &mut out)
    };
    if !out.is_empty() {
        spawn_background(inner.clone(), out);
    }
    result
}

/// A method in a webhook's answer (`{"method": "answerCallbackQuery", ...}`): Telegram carries
/// it out for the bot the update was for, and tells nobody how it went.
pub(crate) async fn webhook_reply(inner: &Arc<Inner>, bot_id: i64, mut reply: serde_json::Map<String, Value>) {
    let Some(Value::String(raw)) = reply.remove("method") else { return };
    let Some(m) = api::canonical(&raw) else { return };
    *inner.replied.lock().unwrap_or_else(|e| e.into_inner()).entry((bot_id, m)).or_default() += 1;
    let mut parsed = Parsed { params: reply, uploads: Vec::new() };
    let result = execute(inner, bot_id, m, &mut parsed).await;
    if inner.recording.load(Ordering::Relaxed) {
        inner.record(bot_id, m, Value::Object(parsed.params), result.is_ok());
    }
}

/// Telegram's flood limits for a sending call (when the simulator enforces them).
fn flood_check(inner: &Inner, bot_id: i64, parsed: &Parsed) -> Result<(), u32> {
    let Ok(chat_id) = Params(&parsed.params).chat_id("chat_id") else { return Ok(()) };
    inner.flood.lock().unwrap_or_else(|e| e.into_inner()).admit(bot_id, chat_id, std::time::Instant::now())
}

fn run(
    st: &mut crate::simulator::state::State,
    bot_id: i64,
    method: &str,
    parsed: &Parsed,
    out: &mut Vec<Outgoing>,
) -> Result<Value, ApiError> {
    let p = Params(&parsed.params);
    // A basic group upgraded to a supergroup answers every call on its old id this way.
    if let Some(to) = p.i64("chat_id").ok().flatten().and_then(|id| st.migrated.get(&id)) {
        return Err(ApiError::migrated(*to));
    }
    let mut cx = Ctx { st, bot_id, p, out };
    methods::handle(&mut cx, method)
}

/// Delivers updates in order in a background task, retrying failures a few times (Telegram
/// delivers at least once), and logs the outcome.
pub(crate) fn spawn_background(inner: Arc<Inner>, out: Vec<Outgoing>) {
    tokio::spawn(async move {
        for o in out {
            let mut status = 0;
            for attempt in 0..5u32 {
                status = delivery::post(&inner, &o).await.status;
                if (200..300).contains(&status) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50 << attempt)).await;
            }
            let rec = BackgroundDelivery { bot_id: o.bot_id, kind: o.kind, update: o.body, status };
            inner.background.lock().unwrap_or_else(|e| e.into_inner()).push(rec);
        }
    });
}

async fn download(req: HttpRequest, inner: web::Data<Arc<Inner>>) -> HttpResponse {
    let token = req.match_info().get("token").unwrap_or_default();
    let path = req.match_info().get("path").unwrap_or_default();
    let st = inner.lock();
    let Some(bot_id) = st.bot_by_token(token) else {
        return api::respond(&Err(ApiError::unauthorized()));
    };
    // Clients may send the path as one percent-encoded segment (teloxide does: `photos%2F…`).
    let path = path.replace("%2F", "/").replace("%2f", "/");
    let file_id = path.rsplit('/').next().unwrap_or_default();
    match st.files.get(file_id) {
        Some(f) if f.owner_bot == bot_id => {
            HttpResponse::Ok().content_type("application/octet-stream").body(f.data.clone())
        }
        _ => api::respond(&Err(ApiError::new(404, "Not Found"))),
    }
}

/// Records a call (used by the handler when recording is on).
impl Inner {
    pub(crate) fn record(&self, bot_id: i64, method: &str, params: Value, ok: bool) {
        if !self.recording.load(Ordering::Relaxed) {
            return;
        }
        self.calls.lock().unwrap_or_else(|e| e.into_inner()).push(Call {
            bot_id,
            method: method.to_owned(),
            params,
            response_ok: ok,
            at: std::time::Instant::now(),
        });
    }
}
