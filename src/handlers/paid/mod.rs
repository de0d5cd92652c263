//! The notices that follow a payment made through a provider (Payme, Click, Uzum): the
//! customer's access handed over by the seller bot and the owner's line in the main bot; for a
//! refund, both are told what it withdrew. A plan paid to the platform is told to its owner
//! and the moderators (`plan_notices`). They are queued for the courier on the caller's
//! connection, inside the transaction that pays or refunds (both commit, or neither), under
//! keys named after the payment, so whoever plans them again (a provider repeating its call)
//! sends nothing twice. The caller wakes the courier once that transaction has committed.

use diesel_async::AsyncPgConnection;

use crate::{
    db::{deliveries, user_bots},
    handlers::{
        common::{chat_label, date_text},
        handover::{self, customer_key},
        Effect,
    },
    i18n::Lang,
    services::{
        input::format_amount,
        paid_orders::{Grant, Refund, Withdrawal},
        purchases::Approval,
    },
    state::AppState,
};

mod plan_notices;
pub mod rehearsal;
pub mod stars;

/// A notice to queue: its key, the chat it goes to, and the effect.
#[derive(Debug, Clone)]
struct Planned {
    key: String,
    chat: i64,
    effect: Effect,
}

/// Queues the notices of a paid order (`provider`: its name for people, e.g. "Payme") on
/// `conn`, inside the transaction that paid it.
pub async fn queue_paid(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    grant: &Grant,
    provider: &str,
) -> diesel::QueryResult<()> {
    let planned = match grant {
        Grant::Access(approval) => access_paid(conn, app, approval, provider).await?,
        Grant::Plan(decision) => plan_notices::paid(conn, app, decision, provider).await?,
    };
    queue(conn, app, planned).await
}

/// Queues the notices of a refund on `conn`, inside the transaction that refunded: who paid
/// and who sold are told what it withdrew.
pub async fn queue_refund(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    withdrawal: &Withdrawal,
    provider: &str,
) -> diesel::QueryResult<()> {
    let planned = match withdrawal {
        Withdrawal::Access(refund) => access_refunded(conn, app, refund, provider).await?,
        Withdrawal::Plan(refund) => plan_notices::refunded(conn, app, refund, provider).await?,
    };
    queue(conn, app, planned).await
}

/// Who sells and who owns: the seller bot's Telegram id, the owner's chat and language.
async fn seller_of(conn: &mut AsyncPgConnection, user_bot_id: i64) -> diesel::QueryResult<(i64, String, i64, Lang)> {
    let (bot, owner) = user_bots::with_owner(conn, user_bot_id).await?.ok_or(diesel::result::Error::NotFound)?;
    let lang = owner.language.parse().unwrap_or(Lang::Uz);
    Ok((bot.telegram_bot_id, format!("@{}", bot.bot_username), owner.telegram_id, lang))
}

/// The customer's access handed over, and the owner's line.
async fn access_paid(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    approval: &Approval,
    provider: &str,
) -> diesel::QueryResult<Vec<Planned>> {
    let (seller, bot_name, owner_chat, owner_lang) = seller_of(conn, approval.payment.user_bot_id).await?;
    let payment = &approval.payment;
    let customer = handover::access_effect(&app.i18n, app.settings.timezone, approval, (owner_chat, owner_lang));
    let (id, amount) = (payment.id.to_string(), format!("{} {}", format_amount(&payment.amount), payment.currency));
    let title = chat_label(&approval.channel.kind, &approval.channel.title);
    let args = [
        ("provider", provider),
        ("id", id.as_str()),
        ("bot", bot_name.as_str()),
        ("amount", amount.as_str()),
        ("name", approval.end_user.full_name.as_str()),
        ("title", title.as_str()),
    ];
    let owner = app.i18n.tr(owner_lang, "owner-paid", &args);
    Ok(vec![
        Planned {
            key: customer_key(payment.id, "approved"),
            chat: approval.end_user.telegram_id,
            effect: Effect::AsBot { telegram_bot_id: seller, effects: vec![customer] },
        },
        Planned {
            key: format!("payment:{}:paid:owner", payment.id),
            chat: owner_chat,
            effect: Effect::Notify { chat_id: owner_chat, text: owner, keyboard: None },
        },
    ])
}

/// The customer and the owner are told what a refund withdrew.
async fn access_refunded(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    refund: &Refund,
    provider: &str,
) -> diesel::QueryResult<Vec<Planned>> {
    let payment = &refund.payment;
    let (seller, bot_name, owner_chat, owner_lang) = seller_of(conn, payment.user_bot_id).await?;
    let user = crate::db::end_users::find(conn, payment.end_user_id).await?;
    let channel = crate::db::channels::find(conn, payment.channel_id).await?;
    let (Some(user), Some(channel)) = (user, channel) else { return Ok(Vec::new()) };
    let user_lang = user.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(Lang::Uz);
    let title = chat_label(&channel.kind, &channel.title);
    let details = |lang: Lang| match refund.subscription.as_ref().and_then(|s| s.expires_at) {
        Some(end) if !refund.ended => app.i18n.tr(
            lang,
            "refund-shortened",
            &[("title", title.as_str()), ("date", &date_text(end, app.settings.timezone))],
        ),
        _ => app.i18n.tr(lang, "refund-ended", &[("title", title.as_str())]),
    };
    let (id, amount) = (payment.id.to_string(), format!("{} {}", format_amount(&payment.amount), payment.currency));
    let to_user = app.i18n.tr(
        user_lang,
        "customer-refunded",
        &[("id", id.as_str()), ("provider", provider), ("details", &details(user_lang))],
    );
    let owner_details = details(owner_lang);
    let to_owner = app.i18n.tr(
        owner_lang,
        "owner-refunded",
        &[
            ("provider", provider),
            ("id", id.as_str()),
            ("bot", bot_name.as_str()),
            ("amount", amount.as_str()),
            ("name", user.full_name.as_str()),
            ("title", title.as_str()),
            ("details", owner_details.as_str()),
        ],
    );
    let send = Effect::Send { chat_id: user.telegram_id, text: to_user, keyboard: None };
    Ok(vec![
        Planned {
            key: customer_key(payment.id, "refunded"),
            chat: user.telegram_id,
            effect: Effect::AsBot { telegram_bot_id: seller, effects: vec![send] },
        },
        Planned {
            key: format!("payment:{}:refunded:owner", payment.id),
            chat: owner_chat,
            effect: Effect::Notify { chat_id: owner_chat, text: to_owner, keyboard: None },
        },
    ])
}

/// Hands the notices to the courier on `conn` (a key queued before changes nothing), in one
/// round trip: the inserts are pipelined.
async fn queue(conn: &mut AsyncPgConnection, app: &AppState, planned: Vec<Planned>) -> diesel::QueryResult<()> {
    let (main, now, conn) = (app.settings.bot_token.bot_id(), app.clock.now(), &*conn);
    let inserts = planned.iter().map(|p| deliveries::enqueue(conn, &p.key, (main, p.chat), &p.effect, now));
    futures_util::future::try_join_all(inserts).await.map(drop)
}
