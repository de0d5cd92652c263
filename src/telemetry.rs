//! Logs (tracing, pretty or JSON) and error reporting (Sentry, when `SENTRY_DSN` is set).
//! Tokens never reach either: they are not logged, and Sentry events are scrubbed anyway.

use std::sync::Arc;

use tracing_subscriber::{layer::SubscriberExt, util::SubscriberInitExt, EnvFilter, Layer};

use crate::{config::LogFormat, crypto::redact_tokens};

/// Keeps Sentry flushing until dropped.
pub struct TelemetryGuard {
    _sentry: Option<sentry::ClientInitGuard>,
}

/// Installs the global subscriber (level from `RUST_LOG`, default `info`) and Sentry.
pub fn init(format: LogFormat, sentry_dsn: Option<&str>) -> TelemetryGuard {
    let sentry = sentry_dsn.map(init_sentry);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let fmt = match format {
        LogFormat::Json => tracing_subscriber::fmt::layer().json().flatten_event(true).with_current_span(true).boxed(),
        LogFormat::Pretty => tracing_subscriber::fmt::layer().boxed(),
    };
    // Errors become Sentry events; warnings and info become breadcrumbs of the next error.
    let sentry_layers = sentry.as_ref().map(|_| {
        use sentry::integrations::tracing::{BreadcrumbLayer, ErrorLayer};
        use tracing_subscriber::filter::{filter_fn, LevelFilter};
        BreadcrumbLayer::new()
            .with_filter(filter_fn(|m| matches!(*m.level(), tracing::Level::WARN | tracing::Level::INFO)))
            .and_then(ErrorLayer::new().with_filter(LevelFilter::ERROR))
    });
    let _ = tracing_subscriber::registry().with(filter).with(fmt).with(sentry_layers).try_init();
    TelemetryGuard { _sentry: sentry }
}

fn init_sentry(dsn: &str) -> sentry::ClientInitGuard {
    let mut options = sentry::ClientOptions::new();
    options.dsn = dsn.parse().ok();
    options.release = sentry::release_name!();
    options.send_default_pii = false;
    options.before_send = Some(Arc::new(|event| Some(scrub(event))));
    sentry::init(options)
}

/// Removes anything token-shaped from a Sentry event.
pub fn scrub(mut event: sentry::protocol::Event<'static>) -> sentry::protocol::Event<'static> {
    if let Some(message) = event.message.as_mut() {
        *message = redact_tokens(message);
    }
    for exception in event.exception.values.iter_mut() {
        if let Some(value) = exception.value.as_mut() {
            *value = redact_tokens(value);
        }
    }
    if let Some(logentry) = event.logentry.as_mut() {
        logentry.message = redact_tokens(&logentry.message);
    }
    for crumb in event.breadcrumbs.values.iter_mut() {
        if let Some(message) = crumb.message.as_mut() {
            *message = redact_tokens(message);
        }
        crumb.data.values_mut().for_each(scrub_value);
    }
    event.extra.values_mut().for_each(scrub_value);
    event.tags.values_mut().for_each(|tag| *tag = redact_tokens(tag));
    event
}

fn scrub_value(value: &mut sentry::protocol::Value) {
    match value {
        sentry::protocol::Value::String(text) => *text = redact_tokens(text),
        sentry::protocol::Value::Array(items) => items.iter_mut().for_each(scrub_value),
        sentry::protocol::Value::Object(map) => map.values_mut().for_each(scrub_value),
        _ => {}
    }
}

/// Logs for tests: once per process, only when `TEST_LOG` is set.
pub fn init_for_test() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt().with_env_filter(EnvFilter::new("debug")).with_test_writer().try_init();
    }
}

#[cfg(test)]
mod tests {
    use sentry::protocol::{Breadcrumb, Event, Exception};

    use super::scrub;

    #[test]
    fn sentry_events_lose_every_token() {
        let token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";
        let mut event =
            Event { message: Some(format!("send failed for url /bot{token}/SendMessage")), ..Default::default() };
        event.exception.values.push(Exception { value: Some(format!("token {token}")), ..Default::default() });
        let mut crumb = Breadcrumb { message: Some(token.into()), ..Default::default() };
        crumb.data.insert("url".into(), format!("https://api/bot{token}/GetMe").into());
        event.breadcrumbs.values.push(crumb);
        event.extra.insert("error".into(), serde_json::json!({ "nested": [format!("bot{token}")] }));
        event.tags.insert("t".into(), token.into());
        let clean = scrub(event);
        let text = format!("{:?}", clean);
        assert!(!text.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"), "{text}");
        assert!(clean.message.unwrap().contains("[redacted-token]"));
    }
}
