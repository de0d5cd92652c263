//! The notices that follow a payment made through a provider (Payme, Click, Uzum): the
//! customer's access handed over by the seller bot and the owner's line in the main bot; for a
//! refund, both are told what it withdrew. A plan paid to the platform is told to its owner
//! and the moderators (`plan_notices`). They go through the courier under keys named after
//! the payment, so whoever plans them again (a provider repeating its call after a crash) sends
//! nothing twice.

use crate::{
    db::{deliveries, owners, user_bots, DbError, DbPool},
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

/// A notice to queue: its key, the chat it goes to, and the effect.
#[derive(Debug, Clone)]
struct Planned {
    key: String,
    chat: i64,
    effect: Effect,
}

/// Queues the notices of a paid order (`provider`: its name for people, e.g. "Payme").
pub async fn announce_paid(app: &AppState, grant: &Grant, provider: &str) -> Result<(), DbError> {
    match grant {
        Grant::Access(approval) => announce_access(app, approval, provider).await,
        Grant::Plan(decision) => queue(app, plan_notices::paid(app, decision, provider).await?).await,
    }
}

/// Queues the notices of a refund: who paid and who sold are told what it withdrew.
pub async fn announce_refund(app: &AppState, withdrawal: &Withdrawal, provider: &str) -> Result<(), DbError> {
    match withdrawal {
        Withdrawal::Access(refund) => announce_access_refund(app, refund, provider).await,
        Withdrawal::Plan(refund) => queue(app, plan_notices::refunded(app, refund, provider).await?).await,
    }
}

/// Who sells and who owns: the seller bot's Telegram id, the owner's chat and language.
async fn seller_of(db: &DbPool, user_bot_id: i64) -> Result<(i64, String, i64, Lang), DbError> {
    let mut conn = db.get().await?;
    let bot = user_bots::find(&mut conn, user_bot_id).await?.ok_or(DbError::Unavailable("bot gone".into()))?;
    let owner =
        owners::find_by_id(&mut conn, bot.user_admin_id).await?.ok_or(DbError::Unavailable("owner gone".into()))?;
    let lang = owner.language.parse().unwrap_or(Lang::Uz);
    Ok((bot.telegram_bot_id, format!("@{}", bot.bot_username), owner.telegram_id, lang))
}

/// The customer's access handed over, and the owner's line.
async fn announce_access(app: &AppState, approval: &Approval, provider: &str) -> Result<(), DbError> {
    let (seller, bot_name, owner_chat, owner_lang) = seller_of(&app.db, approval.payment.user_bot_id).await?;
    let payment = &approval.payment;
    let customer = handover::access_effect(&app.i18n, app.settings.timezone, approval, (owner_chat, owner_lang));
    let (id, amount) = (payment.id.to_string(), format_amount(&payment.amount));
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
    queue(
        app,
        vec![
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
        ],
    )
    .await
}

/// The customer and the owner are told what a refund withdrew.
async fn announce_access_refund(app: &AppState, refund: &Refund, provider: &str) -> Result<(), DbError> {
    let payment = &refund.payment;
    let (seller, bot_name, owner_chat, owner_lang) = seller_of(&app.db, payment.user_bot_id).await?;
    let (user, channel) = {
        let mut conn = app.db.get().await?;
        let user = crate::db::end_users::find(&mut conn, payment.end_user_id).await?;
        let channel = crate::db::channels::find(&mut conn, payment.channel_id).await?;
        (user, channel)
    };
    let (Some(user), Some(channel)) = (user, channel) else { return Ok(()) };
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
    let (id, amount) = (payment.id.to_string(), format_amount(&payment.amount));
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
    queue(
        app,
        vec![
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
        ],
    )
    .await
}

/// Hands the notices to the courier (a key queued before changes nothing) and wakes it.
async fn queue(app: &AppState, planned: Vec<Planned>) -> Result<(), DbError> {
    let main = app.settings.bot_token.bot_id();
    let mut conn = app.db.get().await?;
    for p in planned {
        deliveries::enqueue(&mut conn, &p.key, (main, p.chat), &p.effect, app.clock.now()).await?;
    }
    app.courier.notify_one();
    Ok(())
}
