//! `GET /healthz` (the process answers) and `GET /readyz` (PostgreSQL and Redis reachable).

use actix_web::{web, HttpResponse};
use diesel_async::RunQueryDsl;

use crate::state::AppState;

/// Liveness: the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// Readiness: every dependency answers.
pub async fn readyz(app: web::Data<AppState>) -> HttpResponse {
    let postgres = async {
        let mut conn = app.db.get().await.map_err(|e| e.to_string())?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.map_err(|e| e.to_string())
    }
    .await;
    let redis = app.cache.ping().await.map_err(|e| e.to_string());
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
