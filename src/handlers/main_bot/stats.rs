//! The owner's statistics (`/stats`): for today, 7 days, 30 days or all time, per linked
//! channel/group and in total; a chart of the last 30 days (PNG, in the owner's language);
//! payments and subscribers as CSV files.

use std::collections::BTreeMap;

use bigdecimal::{BigDecimal, ToPrimitive};
use chrono::{DateTime, Duration, Utc};

use super::{
    actions::{Action, Period},
    screens::Screen,
    Session,
};
use crate::{
    db::{
        channels::{self, Channel},
        owner_stats::{self, ChatCount, ChatSum, OwnerFigures},
    },
    handlers::{
        common::{chat_label, date_text},
        main_bot::panel::period_start,
        Button, Effect, HandlerError, MediaKind,
    },
    services::input::format_amount,
    stats::{chart, csv_export},
};

fn counts_of(items: &[ChatCount], chat: Option<i64>) -> i64 {
    items.iter().filter(|c| chat.is_none_or(|id| c.channel_id == id)).map(|c| c.count).sum()
}

fn by_status(session: &Session<'_>, items: &[ChatCount], chat: Option<i64>) -> String {
    let count = |status: &str| -> i64 {
        items.iter().filter(|c| c.label == status && chat.is_none_or(|id| c.channel_id == id)).map(|c| c.count).sum()
    };
    // Refunds (through a provider) are listed only when there are some.
    ["approved", "pending", "rejected", "refunded"]
        .into_iter()
        .map(|status| (status, count(status)))
        .filter(|(status, n)| *status != "refunded" || *n > 0)
        .map(|(status, n)| format!("{} {n}", session.t(&format!("status-{status}")).to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn revenue_of(sums: &[ChatSum], chat: Option<i64>) -> String {
    let mut per_currency: BTreeMap<&str, BigDecimal> = BTreeMap::new();
    for sum in sums.iter().filter(|s| chat.is_none_or(|id| s.channel_id == id)) {
        *per_currency.entry(&sum.currency).or_default() += &sum.total;
    }
    if per_currency.is_empty() {
        return "0".into();
    }
    per_currency.iter().map(|(cur, total)| format!("{} {cur}", format_amount(total))).collect::<Vec<_>>().join(", ")
}

fn block(session: &Session<'_>, key: &str, figures: &OwnerFigures, chat: Option<i64>, title: &str) -> String {
    let args = [
        ("chat", title.to_owned()),
        ("payments", by_status(session, &figures.payments, chat)),
        ("revenue", revenue_of(&figures.revenue, chat)),
        ("new", counts_of(&figures.new_subscribers, chat).to_string()),
        ("active", counts_of(&figures.active, chat).to_string()),
        ("renewals", counts_of(&figures.renewals, chat).to_string()),
        ("customers", figures.new_end_users.to_string()),
        ("methods", crate::handlers::common::methods_text(&session.ctx.app.i18n, session.lang, &figures.by_method)),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    session.ta(key, &args)
}

async fn bot_and_chats(session: &Session<'_>) -> Result<Option<(i64, Vec<Channel>)>, HandlerError> {
    let Some(bot) = session.bot().await? else { return Ok(None) };
    let mut conn = session.conn().await?;
    let chats = channels::list_for_bot(&mut conn, bot.id).await?;
    Ok(Some((bot.id, chats)))
}

fn since(session: &Session<'_>, period: Period) -> DateTime<Utc> {
    let app = session.ctx.app;
    period_start(period, app.clock.now(), app.settings.timezone).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// The statistics screen for a period.
pub async fn screen(session: &Session<'_>, period: Period) -> Result<Screen, HandlerError> {
    let Some((bot_id, chats)) = bot_and_chats(session).await? else {
        return Ok(session.menu_screen().await?.with_notice(session.t("stats-no-bot")));
    };
    let (figures, star_changes) = {
        let mut conn = session.conn().await?;
        let from = since(session, period);
        let figures = owner_stats::figures(&mut conn, bot_id, from, session.ctx.app.clock.now()).await?;
        (figures, crate::db::star_subscriptions::changes_since(&mut conn, bot_id, from).await?)
    };
    let mut text = vec![session.ta("stats-title", &[("period", &session.t(period.label_key()))])];
    for chat in chats.iter().filter(|c| c.link_status == "linked" || counts_of(&figures.payments, Some(c.id)) > 0) {
        text.push(block(session, "stats-chat", &figures, Some(chat.id), &chat_label(&chat.kind, &chat.title)));
    }
    text.push(block(session, "stats-total", &figures, None, ""));
    if !star_changes.is_empty() {
        let count = |state: &str| star_changes.iter().find(|(s, _)| s == state).map_or(0, |(_, n)| *n).to_string();
        let args = [("canceled", count("canceled")), ("failed", count("failed")), ("active", count("active"))];
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        text.push(session.ta("stats-stars-subscriptions", &args));
    }
    let periods = Period::ALL
        .into_iter()
        .map(|p| {
            let label = session.t(p.label_key());
            Button { text: if p == period { format!("• {label}") } else { label }, data: Action::Stats(p).data() }
        })
        .collect();
    let rows = vec![
        periods,
        vec![session.button("button-stats-chart", Action::StatsChart)],
        vec![
            session.button("button-export-payments", Action::ExportPayments(period)),
            session.button("button-export-subscribers", Action::ExportSubscribers),
        ],
        vec![session.button("button-back", Action::Menu)],
    ];
    Ok(Screen { text: text.join("\n\n"), rows })
}

/// The chart of the last 30 days, as a photo.
pub async fn chart(session: &Session<'_>) -> Result<Vec<Effect>, HandlerError> {
    let Some((bot_id, chats)) = bot_and_chats(session).await? else { return Ok(Vec::new()) };
    let app = session.ctx.app;
    let currency = chats.iter().find(|c| c.link_status == "linked").map_or("UZS", |c| c.currency.as_str()).to_owned();
    let today = app.clock.now().with_timezone(&app.settings.timezone).date_naive();
    let first = today - Duration::days(29);
    let days = {
        let mut conn = session.conn().await?;
        owner_stats::daily(&mut conn, bot_id, &currency, (first, today), app.settings.timezone.name()).await?
    };
    let series = chart::DailySeries {
        title: session.t("chart-owner-title"),
        days: days.iter().map(|d| d.day).collect(),
        bars: days.iter().map(|d| d.revenue.to_f64().unwrap_or(0.0)).collect(),
        bars_label: session.ta("chart-revenue", &[("currency", &currency)]),
        line: days.iter().map(|d| d.subscribers.max(0) as u64).collect(),
        line_label: session.t("chart-new-subscribers"),
    };
    let png = match chart::render_png(&series) {
        Ok(png) => png,
        Err(e) => return Ok(report_failed(session, &e)),
    };
    let caption = session
        .ta("chart-caption", &[("details", &format!("{} – {}", first.format("%d.%m.%Y"), today.format("%d.%m.%Y")))]);
    Ok(vec![Effect::SendFile {
        chat_id: session.chat_id,
        kind: MediaKind::Photo,
        bytes: png,
        file_name: "stats.png".into(),
        caption,
    }])
}

fn stamp(at: DateTime<Utc>, session: &Session<'_>) -> String {
    at.with_timezone(&session.ctx.app.settings.timezone).format("%Y-%m-%d %H:%M").to_string()
}

/// The payments of a period, or every subscriber, as a CSV document.
pub async fn export(session: &Session<'_>, action: Action) -> Result<Vec<Effect>, HandlerError> {
    let Some((bot_id, _)) = bot_and_chats(session).await? else { return Ok(Vec::new()) };
    let mut conn = session.conn().await?;
    let (name, csv) = if let Action::ExportPayments(period) = action {
        let rows = owner_stats::payment_rows(&mut conn, bot_id, since(session, period)).await?;
        let header = [
            "date",
            "user_id",
            "username",
            "item",
            "amount",
            "currency",
            "method",
            "transaction",
            "status",
            "reviewed_at",
        ];
        let lines = rows.into_iter().map(|r| {
            vec![
                stamp(r.created_at, session),
                r.user_id.to_string(),
                r.username.unwrap_or_default(),
                r.item,
                r.amount.to_string(),
                r.currency,
                r.method,
                r.transaction.unwrap_or_default(),
                r.status,
                r.reviewed_at.map(|at| stamp(at, session)).unwrap_or_default(),
            ]
        });
        (format!("payments-{}.csv", period.code()), csv_export::to_csv(&header, lines))
    } else {
        let rows = owner_stats::subscriber_rows(&mut conn, bot_id).await?;
        let header = ["user_id", "username", "name", "item", "status", "started", "expires"];
        let lines = rows.into_iter().map(|r| {
            vec![
                r.user_id.to_string(),
                r.username.unwrap_or_default(),
                r.name,
                r.item,
                r.status,
                stamp(r.started, session),
                r.expires.map(|at| date_text(at, session.ctx.app.settings.timezone)).unwrap_or_default(),
            ]
        });
        ("subscribers.csv".to_owned(), csv_export::to_csv(&header, lines))
    };
    let bytes = match csv {
        Ok(bytes) => bytes,
        Err(e) => return Ok(report_failed(session, &e)),
    };
    let caption = session.t("export-caption");
    Ok(vec![Effect::SendFile { chat_id: session.chat_id, kind: MediaKind::Document, bytes, file_name: name, caption }])
}

/// A report that could not be made (a bug, not a passing failure: no retry) is logged and
/// the owner told.
fn report_failed(session: &Session<'_>, error: &dyn std::fmt::Display) -> Vec<Effect> {
    tracing::error!(owner = session.owner.id, %error, "statistics report failed");
    vec![Effect::Send { chat_id: session.chat_id, text: session.t("stats-report-failed"), keyboard: None }]
}
