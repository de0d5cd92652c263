//! Payments in the moderator panel: end users' payments across the platform and owners'
//! plan payments, newest first, paged and filtered by status.

use super::{
    actions::{Ledger, PanelAction, STATUSES},
    with_nav, Desk,
};
use crate::{
    db::platform_stats,
    handlers::{common::date_text, main_bot::screens::Screen, Button, HandlerError},
    services::input::format_amount,
};

/// Payments per page.
const PAGE: i64 = 10;

/// A page of one ledger.
pub async fn screen(
    desk: &Desk<'_>,
    ledger: Ledger,
    status: Option<&'static str>,
    page: i64,
) -> Result<Screen, HandlerError> {
    let (lines, total) = {
        let mut conn = desk.conn().await?;
        platform_stats::ledger(&mut conn, ledger == Ledger::Plans, status, page * PAGE, PAGE).await?
    };
    let tz = desk.ctx.app.settings.timezone;
    let listed: Vec<String> = lines
        .iter()
        .map(|p| {
            let amount = format!("{} {}", format_amount(&p.amount), p.currency);
            format!("#{} · {amount} · {} · {} · {}", p.id, p.status, p.whom, date_text(p.created_at, tz))
        })
        .collect();
    let title = if ledger == Ledger::Plans { "payments-plans-title" } else { "payments-end-users-title" };
    let details = if listed.is_empty() { desk.t("payments-none") } else { listed.join("\n") };
    let text = desk.ta(title, &[("count", &total.to_string()), ("details", &details)]);

    let mut filters: Vec<Button> = [None]
        .into_iter()
        .chain(STATUSES.map(Some))
        .map(|s| {
            let label = desk.t(&format!("status-{}", s.unwrap_or("all")));
            let text = if s == status { format!("• {label}") } else { label };
            Button { text, data: PanelAction::Payments(ledger, s, 0).data() }
        })
        .collect();
    let other = if ledger == Ledger::Plans { Ledger::EndUsers } else { Ledger::Plans };
    let switch_key = if other == Ledger::Plans { "button-plan-payments" } else { "button-end-user-payments" };
    let mut rows = vec![
        filters.drain(..2).collect(),
        filters,
        vec![desk.button(switch_key, PanelAction::Payments(other, None, 0))],
    ];
    // Telegram Stars payments can be refunded, or their subscription stopped, from here.
    let stars: Vec<Button> = lines
        .iter()
        .filter(|p| p.currency == "XTR" && p.status == "approved")
        .map(|p| Button { text: format!("⭐ #{}", p.id), data: PanelAction::StarsPayment(p.id).data() })
        .collect();
    rows.extend(stars.chunks(3).map(<[Button]>::to_vec));
    let mut paging = Vec::new();
    if page > 0 {
        paging.push(Button { text: "⬅️".into(), data: PanelAction::Payments(ledger, status, page - 1).data() });
    }
    if (page + 1) * PAGE < total {
        paging.push(Button { text: "➡️".into(), data: PanelAction::Payments(ledger, status, page + 1).data() });
    }
    if !paging.is_empty() {
        rows.push(paging);
    }
    Ok(with_nav(desk, text, rows))
}
