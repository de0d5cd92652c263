//! Request parameters: reading query/JSON/form/multipart bodies into one JSON object, and
//! typed accessors that accept both JSON values and their string forms.

use actix_web::{web, HttpRequest};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use serde_json::{Map, Value};

use crate::simulator::api::ApiError;

/// Largest accepted request body.
const MAX_BODY: usize = 50 * 1024 * 1024;

/// Keys whose values stay strings even when they look like numbers or JSON.
const STRING_KEYS: &[&str] = &[
    "text",
    "caption",
    "secret_token",
    "url",
    "name",
    "callback_query_id",
    "file_id",
    "invite_link",
    "parse_mode",
    "description",
    "title",
    "photo",
    "document",
    "language_code",
    "ip_address",
    "short_description",
];

/// A file part of a multipart body.
pub(crate) struct Upload {
    pub field: String,
    pub file_name: Option<String>,
    pub data: Bytes,
}

/// Parsed parameters of one call.
#[derive(Default)]
pub(crate) struct Parsed {
    pub params: Map<String, Value>,
    pub uploads: Vec<Upload>,
}

/// Converts a form/multipart/query string value into the JSON value Telegram would see.
fn normalise(key: &str, value: String) -> Value {
    if STRING_KEYS.contains(&key) {
        return Value::String(value);
    }
    let t = value.trim();
    let looks_structured = t.starts_with('{') || t.starts_with('[');
    let looks_scalar = t == "true" || t == "false" || t.parse::<i64>().is_ok() || t.parse::<f64>().is_ok();
    if looks_structured || looks_scalar {
        if let Ok(v) = serde_json::from_str::<Value>(t) {
            return v;
        }
    }
    Value::String(value)
}

fn bad(msg: &str) -> ApiError {
    ApiError::bad(msg)
}

/// Reads the whole request into [`Parsed`].
pub(crate) async fn read(req: &HttpRequest, mut payload: web::Payload) -> Result<Parsed, ApiError> {
    let mut out = Parsed::default();
    for (k, v) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        out.params.insert(k.to_string(), normalise(&k, v.into_owned()));
    }
    let ctype = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ctype.starts_with("multipart/form-data") {
        read_multipart(req, payload, &mut out).await?;
        return Ok(out);
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| bad("failed to read request body"))?;
        if body.len() + chunk.len() > MAX_BODY {
            return Err(ApiError::new(413, "Request Entity Too Large"));
        }
        body.extend_from_slice(&chunk);
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(out);
    }
    if ctype.starts_with("application/x-www-form-urlencoded") {
        for (k, v) in url::form_urlencoded::parse(&body) {
            out.params.insert(k.to_string(), normalise(&k, v.into_owned()));
        }
        return Ok(out);
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => out.params.extend(map),
        Ok(_) | Err(_) => return Err(bad("can't parse JSON object")),
    }
    Ok(out)
}

async fn read_multipart(req: &HttpRequest, payload: web::Payload, out: &mut Parsed) -> Result<(), ApiError> {
    let mut mp = actix_multipart::Multipart::new(req.headers(), payload.into_inner());
    let mut total = 0usize;
    while let Some(field) = mp.next().await {
        let mut field = field.map_err(|e| bad(&format!("can't parse multipart: {e}")))?;
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.content_disposition().and_then(|cd| cd.get_filename()).map(str::to_owned);
        let mut data = BytesMut::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad(&format!("can't parse multipart: {e}")))?;
            total += chunk.len();
            if total > MAX_BODY {
                return Err(ApiError::new(413, "Request Entity Too Large"));
            }
            data.extend_from_slice(&chunk);
        }
        if file_name.is_some() {
            out.uploads.push(Upload { field: name, file_name, data: data.freeze() });
        } else {
            let text = String::from_utf8_lossy(&data).into_owned();
            let value = normalise(&name, text);
            out.params.insert(name, value);
        }
    }
    Ok(())
}

/// Typed view of a parameter object.
pub(crate) struct Params<'a>(pub &'a Map<String, Value>);

impl Params<'_> {
    /// Raw value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// An integer given as number or numeric string.
    pub fn i64(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| bad(&format!("invalid {key} specified"))),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => {
                s.trim().parse::<i64>().map(Some).map_err(|_| bad(&format!("invalid {key} specified")))
            }
            Some(_) => Err(bad(&format!("invalid {key} specified"))),
        }
    }

    /// A required integer.
    pub fn req_i64(&self, key: &str) -> Result<i64, ApiError> {
        self.i64(key)?.ok_or_else(|| bad(&format!("{key} is empty")))
    }

    /// A chat id (`@username` chats are not simulated: they are "not found").
    pub fn chat_id(&self, key: &str) -> Result<i64, ApiError> {
        match self.get(key) {
            None => Err(bad(&format!("{key} is empty"))),
            Some(Value::String(s)) if s.starts_with('@') => Err(bad("chat not found")),
            Some(_) => self.req_i64(key),
        }
    }

    /// A string (numbers are converted).
    pub fn str(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// A boolean given as bool, `"true"`/`"false"` or 0/1.
    pub fn bool(&self, key: &str) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "true" || s == "1",
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            _ => false,
        }
    }

    /// A structured value given as JSON or as a JSON string.
    pub fn json(&self, key: &str) -> Result<Option<Value>, ApiError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => {
                serde_json::from_str(s).map(Some).map_err(|_| bad(&format!("can't parse {key} JSON object")))
            }
            Some(v) => Ok(Some(v.clone())),
        }
    }
}
