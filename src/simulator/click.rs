//! Click, as its SHOP-API test runner and the live service behave towards a merchant: it
//! opens the checkout link a bot gave, and posts form-encoded Prepare (action 0) and Complete
//! (action 1) to the merchant's two URLs, signed with md5 over the values as it sends them.
//! Tests send repeats, tampered signatures, wrong services and Click's own failures.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
};

use md5::{Digest, Md5};
use serde_json::Value;

use crate::clock::SharedClock;

/// A Click call as it will be sent (edit a field to send something Click would not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickCall {
    /// The fields, in the order Click sends them.
    pub fields: Vec<(String, String)>,
}

impl ClickCall {
    /// Replaces a field's value (the signature is not recomputed: see [`ClickSandbox::sign`]).
    pub fn set(mut self, name: &str, value: &str) -> Self {
        match self.fields.iter_mut().find(|(k, _)| k == name) {
            Some(field) => field.1 = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// Leaves a field out.
    pub fn without(mut self, name: &str) -> Self {
        self.fields.retain(|(k, _)| k != name);
        self
    }

    fn get(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

/// What the merchant answered.
#[derive(Debug, Clone, PartialEq)]
pub struct ClickAnswer {
    /// HTTP status.
    pub status: u16,
    /// The JSON body (null when there was none).
    pub body: Value,
}

impl ClickAnswer {
    /// The `error` code.
    pub fn error(&self) -> Option<i64> {
        self.body.get("error").and_then(Value::as_i64)
    }

    /// `merchant_prepare_id` or `merchant_confirm_id`.
    pub fn merchant_id(&self, field: &str) -> Option<i64> {
        self.body.get(field).and_then(Value::as_i64)
    }
}

/// The checkout form a Click link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClickCheckout {
    /// `service_id`.
    pub service_id: String,
    /// `merchant_id`.
    pub merchant_id: String,
    /// The amount in so'm, as the link gives it.
    pub amount: String,
    /// The order (`transaction_param`).
    pub order: String,
    /// Where the customer comes back.
    pub return_url: String,
}

/// Click calling one merchant's two URLs.
#[derive(Clone)]
pub struct ClickSandbox {
    client: reqwest::Client,
    prepare_url: String,
    complete_url: String,
    service_id: String,
    secret: String,
    clock: SharedClock,
    ids: Arc<AtomicI64>,
}

impl std::fmt::Debug for ClickSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClickSandbox").field("prepare_url", &self.prepare_url).finish_non_exhaustive()
    }
}

impl ClickSandbox {
    /// Click for the merchant's Prepare and Complete URLs, its service and secret key.
    pub fn new(urls: (&str, &str), service_id: i64, secret: &str, clock: SharedClock) -> Self {
        Self {
            client: reqwest::Client::new(),
            prepare_url: urls.0.to_owned(),
            complete_url: urls.1.to_owned(),
            service_id: service_id.to_string(),
            secret: secret.to_owned(),
            clock,
            ids: Arc::new(AtomicI64::new(1_000_000)),
        }
    }

    /// The same Click signing with another secret.
    pub fn with_secret(&self, secret: &str) -> Self {
        Self { secret: secret.to_owned(), ..self.clone() }
    }

    /// A fresh `click_trans_id`.
    pub fn new_trans_id(&self) -> String {
        self.ids.fetch_add(1, Ordering::Relaxed).to_string()
    }

    /// A signed Prepare for `order` and `amount` (so'm, as Click formats it).
    pub fn prepare_call(&self, trans_id: &str, order: &str, amount: &str) -> ClickCall {
        self.sign(self.call(trans_id, order, amount, "0", None, 0))
    }

    /// A signed Complete; `error` is Click's own status (negative: the payment failed).
    pub fn complete_call(&self, trans_id: &str, order: &str, prepare_id: &str, amount: &str, error: i64) -> ClickCall {
        self.sign(self.call(trans_id, order, amount, "1", Some(prepare_id), error))
    }

    fn call(
        &self,
        trans_id: &str,
        order: &str,
        amount: &str,
        action: &str,
        prepare: Option<&str>,
        error: i64,
    ) -> ClickCall {
        let mut fields = vec![
            ("click_trans_id", trans_id.to_owned()),
            ("service_id", self.service_id.clone()),
            ("click_paydoc_id", format!("9{trans_id}")),
            ("merchant_trans_id", order.to_owned()),
        ];
        if let Some(prepare) = prepare {
            fields.push(("merchant_prepare_id", prepare.to_owned()));
        }
        let note = if error < 0 { "Payment failed" } else { "Success" };
        fields.extend([
            ("amount", amount.to_owned()),
            ("action", action.to_owned()),
            ("error", error.to_string()),
            ("error_note", note.to_owned()),
            ("sign_time", self.clock.now().format("%Y-%m-%d %H:%M:%S").to_string()),
        ]);
        ClickCall { fields: fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect() }
    }

    /// Signs a call as Click does, over its values as they stand.
    pub fn sign(&self, call: ClickCall) -> ClickCall {
        let mut md5 = Md5::new();
        for name in ["click_trans_id", "service_id"] {
            md5.update(call.get(name).as_bytes());
        }
        md5.update(self.secret.as_bytes());
        md5.update(call.get("merchant_trans_id").as_bytes());
        if call.get("action") == "1" {
            md5.update(call.get("merchant_prepare_id").as_bytes());
        }
        for name in ["amount", "action", "sign_time"] {
            md5.update(call.get(name).as_bytes());
        }
        let sign: String = md5.finalize().iter().map(|b| format!("{b:02x}")).collect();
        call.set("sign_string", &sign)
    }

    /// Posts a call to the Prepare URL.
    pub async fn send_prepare(&self, call: &ClickCall) -> reqwest::Result<ClickAnswer> {
        self.post(&self.prepare_url, call).await
    }

    /// Posts a call to the Complete URL.
    pub async fn send_complete(&self, call: &ClickCall) -> reqwest::Result<ClickAnswer> {
        self.post(&self.complete_url, call).await
    }

    async fn post(&self, url: &str, call: &ClickCall) -> reqwest::Result<ClickAnswer> {
        let response = self.client.post(url).form(&call.fields).send().await?;
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        Ok(ClickAnswer { status, body })
    }

    /// The customer pays on Click's page: Prepare, then Complete with success. Returns the
    /// transaction id, the Prepare answer and the Complete answer (none when Prepare failed).
    pub async fn pay(&self, checkout: &ClickCheckout) -> reqwest::Result<(String, ClickAnswer, Option<ClickAnswer>)> {
        let id = self.new_trans_id();
        let prepared = self.send_prepare(&self.prepare_call(&id, &checkout.order, &checkout.amount)).await?;
        let Some(prepare_id) = prepared.merchant_id("merchant_prepare_id").filter(|_| prepared.error() == Some(0))
        else {
            return Ok((id, prepared, None));
        };
        let call = self.complete_call(&id, &checkout.order, &prepare_id.to_string(), &checkout.amount, 0);
        let completed = self.send_complete(&call).await?;
        Ok((id, prepared, Some(completed)))
    }
}

/// Reads a Click checkout link as Click's page does.
pub fn open_checkout(link: &str) -> Option<ClickCheckout> {
    let query = link.strip_prefix("https://my.click.uz/services/pay?")?;
    let fields: HashMap<String, String> =
        url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    Some(ClickCheckout {
        service_id: fields.get("service_id")?.clone(),
        merchant_id: fields.get("merchant_id")?.clone(),
        amount: fields.get("amount")?.clone(),
        order: fields.get("transaction_param")?.clone(),
        return_url: fields.get("return_url")?.clone(),
    })
}
