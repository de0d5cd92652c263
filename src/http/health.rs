//! `GET /healthz` (the process answers) and `GET /readyz` (PostgreSQL and Redis reachable).
//!
//! Readiness asks both stores at once, each with a real round trip bounded by
//! [`CHECK_TIMEOUT`], so it answers within a second during an outage and never says ready
//! while either store is unreachable.

use std::{future::Future, time::Duration};

use actix_web::{web, HttpResponse};
use diesel_async::RunQueryDsl;

use crate::state::AppState;

/// Longest a readiness check waits for one store.
pub const CHECK_TIMEOUT: Duration = Duration::from_millis(700);

/// Liveness: the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// Readiness: every dependency answers a query now.
pub async fn readyz(app: web::Data<AppState>) -> HttpResponse {
    let postgres = within(async {
        let mut conn = app.db.get().await.map_err(|e| e.to_string())?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.map(drop).map_err(|e| e.to_string())
    });
    let redis = within(async { app.cache.ping().await.map_err(|e| e.to_string()) });
    let (postgres, redis) = futures_util::join!(postgres, redis);
    let body = serde_json::json!({
        "postgres": postgres.as_ref().map(|_| "ok").unwrap_or("down"),
        "redis": redis.as_ref().map(|_| "ok").unwrap_or("down"),
    });
    if postgres.is_ok() && redis.is_ok() {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

async fn within(check: impl Future<Output = Result<(), String>>) -> Result<(), String> {
    tokio::time::timeout(CHECK_TIMEOUT, check).await.unwrap_or_else(|_| Err("no answer in time".into()))
}
