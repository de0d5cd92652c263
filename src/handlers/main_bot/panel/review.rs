//! Owners' plan receipts: every moderator gets a copy with Approve / Reject; the first
//! decision wins (one guarded transaction), every copy is then edited to say who decided, so
//! nobody acts twice, and the owner is told in their language. Each copy's buttons name the
//! payment's revision it showed: a newer receipt (maybe for another plan) retires the older
//! copies, and a press on one of them decides nothing.

use teloxide_core::types::CallbackQuery;

use super::{
    actions::{PanelAction, PLAN_REJECT_REASONS},
    Desk,
};
use crate::{
    db::{
        owners::{self, Owner},
        platform_payments::{plan_months, PlanPayment},
        DbError,
    },
    handlers::{
        common::{date_text, display_name_of, period_text},
        main_bot::typing::Step,
        Button, Effect, HandlerContext, HandlerError, Keyboard, Media, Sender,
    },
    i18n::Lang,
    services::{
        input::format_amount,
        plans::{self, PlanDecision, PlanReviewError},
    },
};

type Pressed = (Option<String>, Vec<Effect>);

fn copies_key(payment_id: i64) -> String {
    format!("plan-review:{payment_id}")
}

async fn language_of(ctx: &HandlerContext<'_>, telegram_id: i64) -> Result<Lang, HandlerError> {
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    let stored = owners::find_by_telegram_id(&mut conn, telegram_id).await?;
    Ok(stored.and_then(|o| o.language.parse().ok()).unwrap_or(Lang::En))
}

fn caption(ctx: &HandlerContext<'_>, lang: Lang, payment: &PlanPayment, owner: &Owner) -> String {
    let who = display_name_of(&owner.full_name, owner.username.as_deref(), owner.telegram_id);
    let plan = period_text(&ctx.app.i18n, lang, plan_months(&payment.plan).unwrap_or(1));
    let amount = format!("{} UZS", format_amount(&payment.amount));
    let id = payment.id.to_string();
    ctx.app.i18n.tr(lang, "plan-review-caption", &[("id", &id), ("name", &who), ("plan", &plan), ("amount", &amount)])
}

fn review_keyboard(ctx: &HandlerContext<'_>, lang: Lang, id: i64, rev: i32) -> Keyboard {
    let button = |key: &str, action: PanelAction| Button { text: ctx.app.i18n.tr(lang, key, &[]), data: action.data() };
    Keyboard(vec![vec![
        button("button-approve", PanelAction::PlanApprove(id, rev)),
        button("button-reject", PanelAction::PlanReject(id, rev)),
    ]])
}

/// A copy of the receipt for every moderator, each remembered so the decision can edit it.
/// Copies of an earlier revision of the payment are retired first: edited to point at the
/// new copy, without buttons.
pub async fn receipt_copies(
    ctx: &HandlerContext<'_>,
    payment: &PlanPayment,
    owner: &Owner,
    media: Media,
) -> Result<Vec<Effect>, HandlerError> {
    let mut effects = Vec::new();
    for (chat_id, message_id) in ctx.platform.take_remembered_messages(&copies_key(payment.id)).await {
        let lang = language_of(ctx, chat_id).await?;
        let caption = ctx.app.i18n.tr(lang, "plan-review-outdated", &[("id", &payment.id.to_string())]);
        effects.push(Effect::EditCaption { chat_id, message_id, caption, keyboard: None });
    }
    for moderator in ctx.app.settings.moderator_ids.iter().copied() {
        let lang = language_of(ctx, moderator).await?;
        let copy = Effect::SendMedia {
            via: Sender::This,
            chat_id: moderator,
            media: media.clone(),
            caption: caption(ctx, lang, payment, owner),
            keyboard: Some(review_keyboard(ctx, lang, payment.id, payment.revision)),
        };
        effects.push(Effect::Remember { key: copies_key(payment.id), effect: Box::new(copy) });
    }
    Ok(effects)
}

/// A review button.
pub async fn on_review(desk: &Desk<'_>, action: PanelAction, query: &CallbackQuery) -> Result<Pressed, HandlerError> {
    let message = query.regular_message();
    let edit_here = |caption: String, keyboard: Option<Keyboard>| -> Vec<Effect> {
        message
            .map(|m| Effect::EditCaption { chat_id: m.chat.id.0, message_id: m.id.0, caption, keyboard })
            .into_iter()
            .collect()
    };
    let caption_here = message.and_then(|m| m.caption()).unwrap_or_default().to_owned();
    let now = desk.ctx.app.clock.now();
    match action {
        PanelAction::PlanApprove(id, rev) => {
            let approved = {
                let mut conn = desk.conn().await?;
                plans::approve(&mut conn, id, rev, desk.id, now).await
            };
            match approved {
                Ok(decision) => Ok((Some(desk.t("plan-review-approved")), decided(desk, &decision).await?)),
                Err(e) => refused(desk, e, Some(query)).await,
            }
        }
        PanelAction::PlanReject(id, rev) | PanelAction::PlanReview(id, rev) => {
            if let Some(refusal) = unreviewable(desk, id, rev, query).await? {
                return Ok(refusal);
            }
            let rows = if let PanelAction::PlanReject(..) = action {
                let mut rows: Vec<Vec<Button>> = PLAN_REJECT_REASONS
                    .iter()
                    .zip(1u8..)
                    .map(|(key, n)| vec![desk.button(key, PanelAction::PlanRejectPreset(id, rev, n))])
                    .collect();
                rows.push(vec![desk.button("button-reject-typed", PanelAction::PlanRejectTyped(id, rev))]);
                rows.push(vec![desk.button("button-back", PanelAction::PlanReview(id, rev))]);
                Keyboard(rows)
            } else {
                review_keyboard(desk.ctx, desk.lang, id, rev)
            };
            Ok((None, edit_here(caption_here, Some(rows))))
        }
        PanelAction::PlanRejectPreset(id, rev, n) => {
            let key = PLAN_REJECT_REASONS[usize::from(n.saturating_sub(1)).min(PLAN_REJECT_REASONS.len() - 1)];
            reject(desk, (id, rev), Reason::Preset(key), Some(query)).await
        }
        PanelAction::PlanRejectTyped(id, rev) => {
            if let Some(refusal) = unreviewable(desk, id, rev, query).await? {
                return Ok(refusal);
            }
            desk.set_step(&Step::PlanRejectReason { payment_id: id, revision: rev }).await?;
            let ask = desk.ta("plan-reject-reason-ask", &[("id", &id.to_string())]);
            Ok((None, vec![Effect::Send { chat_id: desk.id, text: ask, keyboard: None }]))
        }
        _ => Ok((Some(desk.t("stale-button")), Vec::new())),
    }
}

/// A reason the moderator typed for the payment at the revision their copy showed.
pub async fn typed_reason(
    desk: &Desk<'_>,
    payment_id: i64,
    revision: i32,
    text: &str,
) -> Result<Vec<Effect>, HandlerError> {
    if text.is_empty() || text.starts_with('/') {
        let ask = desk.ta("plan-reject-reason-ask", &[("id", &payment_id.to_string())]);
        return Ok(vec![Effect::Send { chat_id: desk.id, text: ask, keyboard: None }]);
    }
    // The step is cleared once decided: a redelivery after a crash still reads the reason.
    let (toast, mut effects) = reject(desk, (payment_id, revision), Reason::Typed(text), None).await?;
    desk.clear_step().await?;
    let note = toast.unwrap_or_else(|| desk.t("plan-review-rejected"));
    effects.push(Effect::Send { chat_id: desk.id, text: note, keyboard: None });
    Ok(effects)
}

enum Reason<'a> {
    Preset(&'static str),
    Typed(&'a str),
}

/// Rejects the payment `seen` (id and revision); `query` is the press, when one made it.
async fn reject(
    desk: &Desk<'_>,
    (id, rev): (i64, i32),
    reason: Reason<'_>,
    query: Option<&CallbackQuery>,
) -> Result<Pressed, HandlerError> {
    let stored = match &reason {
        Reason::Preset(key) => desk.ctx.app.i18n.tr(Lang::En, key, &[]),
        Reason::Typed(text) => (*text).to_owned(),
    };
    let now = desk.ctx.app.clock.now();
    let rejected = {
        let mut conn = desk.conn().await?;
        plans::reject(&mut conn, id, rev, desk.id, &stored, now).await
    };
    let decision = match rejected {
        Ok(decision) => decision,
        Err(e) => return refused(desk, e, query).await,
    };
    Ok((Some(desk.t("plan-review-rejected")), decided(desk, &decision).await?))
}

/// After a decision: every moderator's copy says who decided, and the owner is told.
async fn decided(desk: &Desk<'_>, decision: &PlanDecision) -> Result<Vec<Effect>, HandlerError> {
    let ctx = desk.ctx;
    let (payment, owner) = (&decision.payment, &decision.owner);
    let mut effects = Vec::new();
    for (chat_id, message_id) in ctx.platform.remembered_messages(&copies_key(payment.id)).await {
        let lang = language_of(ctx, chat_id).await?;
        let key = if payment.status == "approved" { "plan-decided-approved" } else { "plan-decided-rejected" };
        let verdict = ctx.app.i18n.tr(lang, key, &[("name", &desk.name)]);
        let caption = format!("{}\n\n{verdict}", caption(ctx, lang, payment, owner));
        effects.push(Effect::EditCaption { chat_id, message_id, caption, keyboard: None });
    }
    effects.extend(owner_notice(ctx, decision));
    Ok(effects)
}

/// The owner's notice of a decision, in their language, rebuilt from what was stored (a
/// preset reason is recognised and shown in the owner's language), for the courier under
/// the decision's key: whoever plans it (the deciding press, its redelivery after a crash,
/// another moderator's press), the owner is told once. `None` for an approval whose plan
/// has ended since.
fn owner_notice(ctx: &HandlerContext<'_>, decision: &PlanDecision) -> Option<Effect> {
    let (payment, owner) = (&decision.payment, &decision.owner);
    let i18n = &ctx.app.i18n;
    let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
    let text = if payment.status == "approved" {
        let plan = period_text(i18n, lang, plan_months(&payment.plan).unwrap_or(1));
        let date = date_text(decision.ends_at?, ctx.app.settings.timezone);
        i18n.tr(lang, "plan-approved", &[("plan", &plan), ("date", &date)])
    } else {
        let shown = i18n.retranslate(&PLAN_REJECT_REASONS, payment.reject_reason.as_deref().unwrap_or_default(), lang);
        i18n.tr(lang, "plan-rejected", &[("id", &payment.id.to_string()), ("details", &shown)])
    };
    let key = format!("plan-payment:{}:{}:owner", payment.id, payment.status);
    Some(Effect::Send { chat_id: owner.telegram_id, text, keyboard: None }.follow_up(key))
}

/// Why the payment `id` at revision `rev` can be reviewed no more, as the answer to the
/// press; `None` while it can.
async fn unreviewable(
    desk: &Desk<'_>,
    id: i64,
    rev: i32,
    query: &CallbackQuery,
) -> Result<Option<Pressed>, HandlerError> {
    let current = {
        let mut conn = desk.conn().await?;
        crate::db::platform_payments::find(&mut conn, id).await?
    };
    match current {
        Some(p) if p.status == "pending" && p.revision == rev => Ok(None),
        Some(p) if p.status == "pending" => {
            Ok(Some(refused(desk, PlanReviewError::Changed(Box::new(p)), Some(query)).await?))
        }
        _ => Ok(Some((Some(desk.t("review-already-decided")), Vec::new()))),
    }
}

/// The answer to an attempt that decided nothing. A pressed copy of an earlier revision says
/// so for good: it is edited to point at the newer copy, without buttons. A decision made
/// before is followed up again (the owner's notice), as the press that made it may have died
/// first.
async fn refused(desk: &Desk<'_>, e: PlanReviewError, query: Option<&CallbackQuery>) -> Result<Pressed, HandlerError> {
    match e {
        PlanReviewError::NotFound => Ok((Some(desk.t("stale-button")), Vec::new())),
        PlanReviewError::Storage(e) => Err(e.into()),
        // What follows the decision is planned again: the courier tells the owner once.
        PlanReviewError::AlreadyDecided(payment) => {
            let decision = {
                let mut conn = desk.conn().await?;
                plans::decision_of(&mut conn, *payment, desk.ctx.app.clock.now()).await
            };
            let notice = match decision {
                Ok(decision) => owner_notice(desk.ctx, &decision),
                Err(PlanReviewError::Storage(e)) => return Err(e.into()),
                Err(_) => None,
            };
            Ok((Some(desk.t("review-already-decided")), notice.into_iter().collect()))
        }
        PlanReviewError::Changed(payment) => {
            let caption = desk.ta("plan-review-outdated", &[("id", &payment.id.to_string())]);
            let retired = query.and_then(|q| q.regular_message()).map(|m| Effect::EditCaption {
                chat_id: m.chat.id.0,
                message_id: m.id.0,
                caption,
                keyboard: None,
            });
            Ok((Some(desk.t("review-changed")), retired.into_iter().collect()))
        }
    }
}
