//! The HTTP front: webhooks in, health and metrics out. Thin on purpose: check, parse,
//! hand to the bot's actor, answer.

pub mod click;
pub mod grants_first;
pub mod health;
pub mod lookups;
pub mod metrics;
pub mod payme;
pub mod uzum;
pub mod webhook;

use actix_web::web;

/// Mounts every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/webhook/{bot_id}", web::post().to(webhook::receive))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(metrics::render))
        .service(
            web::resource("/pay/payme/{key}")
                .app_data(web::PayloadConfig::new(payme::MAX_BODY_BYTES))
                .route(web::route().to(payme::receive)),
        )
        .service(
            web::scope("/pay/click/{key}")
                .app_data(web::PayloadConfig::new(click::MAX_BODY_BYTES))
                .route("/prepare", web::post().to(click::prepare))
                .route("/complete", web::post().to(click::complete)),
        )
        .service(
            web::resource("/pay/uzum/{key}/{operation}")
                .app_data(web::PayloadConfig::new(uzum::MAX_BODY_BYTES))
                .route(web::route().to(uzum::receive)),
        );
}
