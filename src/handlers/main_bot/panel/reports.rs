//! Moderators' charts and exports: new owners and approved plan revenue per day over the
//! last 30 days (PNG, in the moderator's language), every owner and every plan payment as
//! CSV.

use bigdecimal::ToPrimitive;
use chrono::{DateTime, Duration, Utc};

use super::{actions::PanelAction, with_nav, Desk};
use crate::{
    db::platform_stats,
    handlers::{main_bot::screens::Screen, Effect, HandlerError, MediaKind},
    stats::{chart, csv_export},
};

/// The reports screen.
pub fn screen(desk: &Desk<'_>) -> Screen {
    let rows = vec![
        vec![desk.button("button-stats-chart", PanelAction::ReportChart)],
        vec![
            desk.button("button-export-owners", PanelAction::ExportOwners),
            desk.button("button-export-plan-payments", PanelAction::ExportPlanPayments),
        ],
    ];
    with_nav(desk, desk.t("reports-title"), rows)
}

/// The 30-day chart, as a photo.
pub async fn chart(desk: &Desk<'_>) -> Result<Vec<Effect>, HandlerError> {
    let app = desk.ctx.app;
    let today = app.clock.now().with_timezone(&app.settings.timezone).date_naive();
    let first = today - Duration::days(29);
    let days = {
        let mut conn = desk.conn().await?;
        platform_stats::daily(&mut conn, (first, today), app.settings.timezone.name()).await?
    };
    let series = chart::DailySeries {
        title: desk.t("chart-platform-title"),
        days: days.iter().map(|d| d.day).collect(),
        bars: days.iter().map(|d| d.revenue.to_f64().unwrap_or(0.0)).collect(),
        bars_label: desk.ta("chart-revenue", &[("currency", "UZS")]),
        line: days.iter().map(|d| d.owners.max(0) as u64).collect(),
        line_label: desk.t("chart-new-owners"),
    };
    let png = match chart::render_png(&series) {
        Ok(png) => png,
        Err(e) => return Ok(failed(desk, &e)),
    };
    let span = format!("{} – {}", first.format("%d.%m.%Y"), today.format("%d.%m.%Y"));
    let caption = desk.ta("chart-caption", &[("details", &span)]);
    Ok(vec![Effect::SendFile {
        chat_id: desk.id,
        kind: MediaKind::Photo,
        bytes: png,
        file_name: "platform.png".into(),
        caption,
    }])
}

fn stamp(desk: &Desk<'_>, at: DateTime<Utc>) -> String {
    at.with_timezone(&desk.ctx.app.settings.timezone).format("%Y-%m-%d %H:%M").to_string()
}

/// Owners or plan payments as a CSV document.
pub async fn export(desk: &Desk<'_>, action: PanelAction) -> Result<Vec<Effect>, HandlerError> {
    let mut conn = desk.conn().await?;
    let (name, csv) = if action == PanelAction::ExportOwners {
        let rows = platform_stats::owner_rows(&mut conn, desk.ctx.app.clock.now()).await?;
        let header = [
            "telegram_id",
            "username",
            "name",
            "language",
            "banned",
            "registered",
            "plan",
            "plan_until",
            "bot",
            "bot_health",
        ];
        let lines = rows.into_iter().map(|r| {
            vec![
                r.telegram_id.to_string(),
                r.username.unwrap_or_default(),
                r.name,
                r.language,
                r.banned.to_string(),
                stamp(desk, r.registered),
                r.plan.unwrap_or_else(|| "free".into()),
                r.plan_until.map(|at| stamp(desk, at)).unwrap_or_default(),
                r.bot.unwrap_or_default(),
                r.health.unwrap_or_default(),
            ]
        });
        ("owners.csv", csv_export::to_csv(&header, lines))
    } else {
        let rows = platform_stats::plan_payment_rows(&mut conn).await?;
        let header =
            ["date", "owner_id", "username", "plan", "amount", "method", "status", "reviewed_at", "reviewed_by"];
        let lines = rows.into_iter().map(|r| {
            vec![
                stamp(desk, r.created_at),
                r.owner_id.to_string(),
                r.username.unwrap_or_default(),
                r.plan,
                r.amount.to_string(),
                r.method,
                r.status,
                r.reviewed_at.map(|at| stamp(desk, at)).unwrap_or_default(),
                r.reviewed_by.map(|id| id.to_string()).unwrap_or_default(),
            ]
        });
        ("plan-payments.csv", csv_export::to_csv(&header, lines))
    };
    let bytes = match csv {
        Ok(bytes) => bytes,
        Err(e) => return Ok(failed(desk, &e)),
    };
    let caption = desk.t("export-caption");
    Ok(vec![Effect::SendFile { chat_id: desk.id, kind: MediaKind::Document, bytes, file_name: name.into(), caption }])
}

fn failed(desk: &Desk<'_>, error: &dyn std::fmt::Display) -> Vec<Effect> {
    tracing::error!(moderator = desk.id, %error, "moderator report failed");
    vec![Effect::Send { chat_id: desk.id, text: desk.t("stats-report-failed"), keyboard: None }]
}
