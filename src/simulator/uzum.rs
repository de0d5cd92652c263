//! Uzum Bank, as it behaves towards a merchant: the customer pays in the Uzum app (opened by
//! the service link a bot gave), and Uzum posts JSON to the merchant's five webhooks under
//! `Basic login:password`, with `serviceId`, a Unix-ms `timestamp` and its own UUID
//! `transId`. On a failed or timed-out confirm it asks `/status`, up to 10 times.

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::clock::SharedClock;

/// What the merchant answered.
#[derive(Debug, Clone, PartialEq)]
pub struct UzumAnswer {
    /// HTTP status (200 success, 400 failure).
    pub status: u16,
    /// The JSON body.
    pub body: Value,
}

impl UzumAnswer {
    /// The `errorCode` of a failure.
    pub fn error_code(&self) -> Option<&str> {
        self.body.get("errorCode").and_then(Value::as_str)
    }

    /// The `status` field.
    pub fn state(&self) -> Option<&str> {
        self.body.get("status").and_then(Value::as_str)
    }
}

/// The service link's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UzumCheckout {
    /// `serviceId`.
    pub service_id: i64,
    /// The order.
    pub order: String,
    /// The amount in tiyin.
    pub amount: i64,
}

/// Uzum calling one merchant's webhooks.
#[derive(Clone)]
pub struct UzumSandbox {
    client: reqwest::Client,
    base: String,
    service_id: i64,
    credentials: (String, String),
    clock: SharedClock,
}

impl std::fmt::Debug for UzumSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UzumSandbox").field("base", &self.base).finish_non_exhaustive()
    }
}

impl UzumSandbox {
    /// Uzum for the merchant's webhook base URL, service and agreed credentials.
    pub fn new(base: &str, service_id: i64, (login, password): (&str, &str), clock: SharedClock) -> Self {
        Self {
            client: reqwest::Client::new(),
            base: base.trim_end_matches('/').to_owned(),
            service_id,
            credentials: (login.to_owned(), password.to_owned()),
            clock,
        }
    }

    /// The same Uzum with other credentials.
    pub fn with_credentials(&self, login: &str, password: &str) -> Self {
        Self { credentials: (login.to_owned(), password.to_owned()), ..self.clone() }
    }

    /// The same Uzum naming another service.
    pub fn with_service(&self, service_id: i64) -> Self {
        Self { service_id, ..self.clone() }
    }

    /// A fresh `transId` (a UUID, as Uzum's).
    pub fn new_trans_id(&self) -> String {
        let n: u128 = rand::random();
        let hex = format!("{n:032x}");
        format!("{}-{}-4{}-a{}-{}", &hex[..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
    }

    /// Posts `fields` (with `serviceId` and `timestamp` added) to a webhook.
    pub async fn call(&self, operation: &str, fields: Value) -> reqwest::Result<UzumAnswer> {
        let mut body = json!({ "serviceId": self.service_id, "timestamp": self.clock.now().timestamp_millis() });
        if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
            body.extend(fields.clone());
        }
        self.raw(operation, reqwest::Method::POST, body.to_string()).await
    }

    /// Sends a raw body with any HTTP method, authorized.
    pub async fn raw(&self, operation: &str, method: reqwest::Method, body: String) -> reqwest::Result<UzumAnswer> {
        let credentials =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", self.credentials.0, self.credentials.1));
        let response = self
            .client
            .request(method, format!("{}/{operation}", self.base))
            .header(reqwest::header::AUTHORIZATION, format!("Basic {credentials}"))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.json::<Value>().await.unwrap_or(Value::Null);
        Ok(UzumAnswer { status, body })
    }

    /// `/check` for an order.
    pub async fn check(&self, order: &str) -> reqwest::Result<UzumAnswer> {
        self.call("check", json!({ "params": { "order_id": order } })).await
    }

    /// `/create`.
    pub async fn create(&self, trans_id: &str, order: &str, amount: i64) -> reqwest::Result<UzumAnswer> {
        self.call("create", json!({ "transId": trans_id, "params": { "order_id": order }, "amount": amount })).await
    }

    /// `/confirm` (Uzum has taken the money).
    pub async fn confirm(&self, trans_id: &str) -> reqwest::Result<UzumAnswer> {
        let fields = json!({ "transId": trans_id, "paymentSource": "UZCARD", "tariff": null, "phone": "998901234567" });
        self.call("confirm", fields).await
    }

    /// `/reverse` (a refund after confirm).
    pub async fn reverse(&self, trans_id: &str) -> reqwest::Result<UzumAnswer> {
        self.call("reverse", json!({ "transId": trans_id })).await
    }

    /// `/status`.
    pub async fn status(&self, trans_id: &str) -> reqwest::Result<UzumAnswer> {
        self.call("status", json!({ "transId": trans_id })).await
    }

    /// The customer pays in the app: check, create, confirm; when confirm gets no answer,
    /// `/status` is asked up to 10 times as Uzum does. Returns the transId and the confirm (or
    /// last status) answer.
    pub async fn pay(&self, checkout: &UzumCheckout) -> reqwest::Result<(String, UzumAnswer)> {
        let checked = self.check(&checkout.order).await?;
        if checked.status != 200 {
            return Ok((String::new(), checked));
        }
        let id = self.new_trans_id();
        let created = self.create(&id, &checkout.order, checkout.amount).await?;
        if created.status != 200 {
            return Ok((id, created));
        }
        let confirmed = self.confirm(&id).await?;
        if confirmed.status < 500 {
            return Ok((id, confirmed));
        }
        let mut last = confirmed;
        for _ in 0..10 {
            last = self.status(&id).await?;
            if matches!(last.state(), Some("CONFIRMED" | "FAILED")) {
                break;
            }
        }
        Ok((id, last))
    }
}

/// Reads an Uzum service link.
pub fn open_checkout(link: &str) -> Option<UzumCheckout> {
    let query = link.strip_prefix("https://www.uzumbank.uz/open-service?")?;
    let fields: HashMap<String, String> =
        url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    Some(UzumCheckout {
        service_id: fields.get("serviceId")?.parse().ok()?,
        order: fields.get("order_id")?.clone(),
        amount: fields.get("amount")?.parse().ok()?,
    })
}
