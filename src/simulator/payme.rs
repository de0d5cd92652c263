//! Payme, as the sandbox and the live service behave towards a merchant: it opens the
//! checkout link a bot gave (base64 GET form), and calls the merchant's endpoint with
//! JSON-RPC 2.0 under `Basic Paycom:<key>`, sending `text/json` as Payme may. Tests drive the
//! sandbox's sequence through it, repeat calls, send wrong keys, and move its clock (Payme's
//! `time` and the 12-hour timeout are in Unix ms).

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::clock::SharedClock;

/// What a merchant answered.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymeAnswer {
    /// The HTTP status (Payme expects 200 always).
    pub status: u16,
    /// The whole JSON body.
    pub body: Value,
}

impl PaymeAnswer {
    /// The `result`, when the call succeeded.
    pub fn result(&self) -> Option<&Value> {
        self.body.get("result")
    }

    /// The error code, when the call failed.
    pub fn error_code(&self) -> Option<i64> {
        self.body.get("error").and_then(|e| e.get("code")).and_then(Value::as_i64)
    }
}

/// The checkout form a Payme link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymeCheckout {
    /// Whether it opens the sandbox (`checkout.test.paycom.uz`).
    pub sandbox: bool,
    /// The cashbox id (`m`).
    pub merchant_id: String,
    /// The order (`ac.order_id`).
    pub order_id: String,
    /// The amount in tiyin (`a`).
    pub amount: i64,
    /// Where the customer comes back (`c`).
    pub return_url: String,
    /// The page's language (`l`).
    pub lang: String,
}

/// Payme calling one merchant endpoint.
#[derive(Clone)]
pub struct PaymeSandbox {
    client: reqwest::Client,
    endpoint: String,
    key: String,
    clock: SharedClock,
    ids: Arc<AtomicI64>,
}

impl std::fmt::Debug for PaymeSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymeSandbox").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

impl PaymeSandbox {
    /// Payme for the endpoint URL the owner pasted into the cabinet, with the cashbox key in
    /// use; `clock` gives Payme's time.
    pub fn new(endpoint: &str, key: &str, clock: SharedClock) -> Self {
        Self {
            client: reqwest::Client::new(),
            endpoint: endpoint.to_owned(),
            key: key.to_owned(),
            clock,
            ids: Arc::new(AtomicI64::new(0)),
        }
    }

    /// The same Payme with another key (a wrong one, or after ChangePassword).
    pub fn with_key(&self, key: &str) -> Self {
        Self { key: key.to_owned(), ..self.clone() }
    }

    /// The same Payme on another clock (the real one, against a `getolog serve` child).
    pub fn with_clock(&self, clock: SharedClock) -> Self {
        Self { clock, ..self.clone() }
    }

    /// The same Payme calling another endpoint (another owner's URL).
    pub fn at(&self, endpoint: &str) -> Self {
        Self { endpoint: endpoint.to_owned(), ..self.clone() }
    }

    /// Payme's time now, Unix ms.
    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// A fresh 24-character Payme transaction id (like Payme's: seconds, then random).
    pub fn new_id(&self) -> String {
        let random: u64 = rand::random();
        format!("{:08x}{random:016x}", self.now_ms() / 1000)
    }

    /// Sends one JSON-RPC call.
    pub async fn call(&self, method: &str, params: Value) -> reqwest::Result<PaymeAnswer> {
        let body = json!({ "jsonrpc": "2.0", "id": self.ids.fetch_add(1, Ordering::Relaxed), "method": method, "params": params });
        self.raw(reqwest::Method::POST, body.to_string(), true).await
    }

    /// Sends a raw body (a broken one, or with another HTTP method), authorized or not.
    pub async fn raw(&self, method: reqwest::Method, body: String, authorized: bool) -> reqwest::Result<PaymeAnswer> {
        let mut request = self
            .client
            .request(method, &self.endpoint)
            .header(reqwest::header::CONTENT_TYPE, "text/json; charset=UTF-8")
            .body(body);
        if authorized {
            let credentials = base64::engine::general_purpose::STANDARD.encode(format!("Paycom:{}", self.key));
            request = request.header(reqwest::header::AUTHORIZATION, format!("Basic {credentials}"));
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        Ok(PaymeAnswer { status, body })
    }

    /// CheckPerformTransaction.
    pub async fn check_perform(&self, amount: i64, order: &str) -> reqwest::Result<PaymeAnswer> {
        self.call("CheckPerformTransaction", json!({ "amount": amount, "account": { "order_id": order } })).await
    }

    /// CreateTransaction, at Payme's time now.
    pub async fn create(&self, id: &str, amount: i64, order: &str) -> reqwest::Result<PaymeAnswer> {
        let params = json!({ "id": id, "time": self.now_ms(), "amount": amount, "account": { "order_id": order } });
        self.call("CreateTransaction", params).await
    }

    /// PerformTransaction.
    pub async fn perform(&self, id: &str) -> reqwest::Result<PaymeAnswer> {
        self.call("PerformTransaction", json!({ "id": id })).await
    }

    /// CancelTransaction.
    pub async fn cancel(&self, id: &str, reason: i64) -> reqwest::Result<PaymeAnswer> {
        self.call("CancelTransaction", json!({ "id": id, "reason": reason })).await
    }

    /// CheckTransaction.
    pub async fn check(&self, id: &str) -> reqwest::Result<PaymeAnswer> {
        self.call("CheckTransaction", json!({ "id": id })).await
    }

    /// GetStatement.
    pub async fn statement(&self, from: i64, to: i64) -> reqwest::Result<PaymeAnswer> {
        self.call("GetStatement", json!({ "from": from, "to": to })).await
    }

    /// The customer pays on the checkout page: check, create, perform, as Payme does. Returns
    /// the transaction id and the perform answer.
    pub async fn pay(&self, checkout: &PaymeCheckout) -> reqwest::Result<(String, PaymeAnswer)> {
        let checked = self.check_perform(checkout.amount, &checkout.order_id).await?;
        if checked.result().is_none() {
            return Ok((String::new(), checked));
        }
        let id = self.new_id();
        let created = self.create(&id, checkout.amount, &checkout.order_id).await?;
        if created.result().is_none() {
            return Ok((id, created));
        }
        let performed = self.perform(&id).await?;
        Ok((id, performed))
    }
}

/// Reads a Payme checkout link as the checkout page does.
pub fn open_checkout(link: &str) -> Option<PaymeCheckout> {
    let (sandbox, encoded) = match link.strip_prefix("https://checkout.test.paycom.uz/") {
        Some(rest) => (true, rest),
        None => (false, link.strip_prefix("https://checkout.paycom.uz/")?),
    };
    let form = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).ok()?).ok()?;
    let field = |name: &str| {
        form.split(';').find_map(|pair| pair.strip_prefix(name).and_then(|v| v.strip_prefix('='))).map(str::to_owned)
    };
    Some(PaymeCheckout {
        sandbox,
        merchant_id: field("m")?,
        order_id: field("ac.order_id")?,
        amount: field("a")?.parse().ok()?,
        return_url: field("c")?,
        lang: field("l")?,
    })
}
