//! Telegram Stars in the moderator panel: one Stars payment with what it gave, and the
//! moderator's refund (`refundStarPayment`) or stop of its subscription's renewal, as the
//! owner can from the customer's card (the calls are in `handlers::paid::stars`).

use super::{actions::PanelAction, with_nav, Desk};
use crate::{
    db::{channels, end_users, payments, star_subscriptions as star_subs, user_bots},
    handlers::{
        common::{chat_label, date_text, display_name_of},
        main_bot::screens::{Screen, Target},
        paid, Effect, HandlerError,
    },
    services::{input::format_amount, stars::METHOD},
};

type Pressed = (Option<String>, Vec<Effect>);

/// A press on a Stars payment's screen or its buttons.
pub async fn on_action(desk: &Desk<'_>, action: PanelAction, target: Target) -> Result<Pressed, HandlerError> {
    let id = match action {
        PanelAction::StarsPayment(id) | PanelAction::StarsRefund(id) | PanelAction::StarsStop(id) => id,
        _ => return Ok((Some(desk.t("stale-button")), Vec::new())),
    };
    let (payment, renewing) = {
        let mut conn = desk.conn().await?;
        let payment = payments::find(&mut conn, id).await?.filter(|p| p.payment_method == METHOD);
        let renewing = match &payment {
            Some(p) => star_subs::of_customer(&mut conn, p.end_user_id, p.channel_id).await?.filter(|s| s.renews()),
            None => None,
        };
        (payment, renewing)
    };
    let Some(payment) = payment else { return Ok((Some(desk.t("stale-button")), Vec::new())) };
    let toast = match action {
        PanelAction::StarsRefund(_) if payment.status == "approved" => {
            tracing::info!(moderator = desk.id, payment = id, "a moderator refunds a Stars payment");
            Some(match paid::stars::refund(desk.ctx, &payment).await? {
                Ok(()) => desk.ta("stars-refunded", &[("id", &id.to_string())]),
                Err(e) => {
                    tracing::warn!(error = %e, "a Stars refund was refused");
                    desk.t("stars-call-failed")
                }
            })
        }
        PanelAction::StarsStop(_) => match &renewing {
            Some(sub) => {
                tracing::info!(moderator = desk.id, subscription = sub.id, "a moderator stops a Stars renewal");
                Some(match paid::stars::stop_renewal(desk.ctx, sub).await? {
                    Ok(()) => desk.t("stars-stopped"),
                    Err(e) => {
                        tracing::warn!(error = %e, "a Stars renewal stop was refused");
                        desk.t("stars-call-failed")
                    }
                })
            }
            None => Some(desk.t("stale-button")),
        },
        PanelAction::StarsPayment(_) => None,
        _ => Some(desk.t("stale-button")),
    };
    Ok((toast, vec![screen(desk, id).await?.show(target)]))
}

/// The payment as it reads now, with the buttons that still apply.
async fn screen(desk: &Desk<'_>, id: i64) -> Result<Screen, HandlerError> {
    let mut conn = desk.conn().await?;
    let Some(payment) = payments::find(&mut conn, id).await? else {
        return Ok(with_nav(desk, desk.t("stale-button"), Vec::new()));
    };
    let user = end_users::find(&conn, payment.end_user_id).await?;
    let bot = user_bots::find(&mut conn, payment.user_bot_id).await?;
    let chat = channels::find(&conn, payment.channel_id).await?;
    let sub = star_subs::of_customer(&mut conn, payment.end_user_id, payment.channel_id).await?;
    let who = user.map(|u| display_name_of(&u.full_name, u.username.as_deref(), u.telegram_id)).unwrap_or_default();
    let tz = desk.ctx.app.settings.timezone;
    let renewal = match &sub {
        Some(s) if s.renews() => desk.ta("stars-renews-until", &[("date", &date_text(s.paid_until, tz))]),
        Some(s) => desk.ta("stars-ends-on", &[("date", &date_text(s.paid_until, tz))]),
        None => desk.t("stars-one-off"),
    };
    let text = desk.ta(
        "panel-stars-payment",
        &[
            ("id", &id.to_string()),
            ("stars", &format_amount(&payment.amount)),
            ("status", &payment.status),
            ("name", &who),
            ("bot", &bot.map(|b| format!("@{}", b.bot_username)).unwrap_or_default()),
            ("title", &chat.map(|c| chat_label(&c.kind, &c.title)).unwrap_or_default()),
            ("date", &date_text(payment.created_at, tz)),
            ("renewal", &renewal),
        ],
    );
    let mut rows = Vec::new();
    if payment.status == "approved" {
        rows.push(vec![desk.button("button-stars-panel-refund", PanelAction::StarsRefund(id))]);
    }
    if sub.is_some_and(|s| s.renews()) {
        rows.push(vec![desk.button("button-stars-stop", PanelAction::StarsStop(id))]);
    }
    Ok(with_nav(desk, text, rows))
}
