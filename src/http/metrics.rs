//! `GET /metrics`: Prometheus text format from the process-wide recorder.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the recorder once per process (later calls reuse it).
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &buckets)
                .ok()?
                .install_recorder()
                .map_err(|e| tracing::error!(error = %e, "metrics recorder not installed"))
                .ok()
        })
        .as_ref()
}

/// Renders every metric.
pub async fn render() -> HttpResponse {
    match install() {
        Some(handle) => {
            handle.run_upkeep();
            HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(handle.render())
        }
        None => HttpResponse::ServiceUnavailable().body("metrics unavailable"),
    }
}
