//! The owner reviews a payment: Approve (subscription and personal invite, one guarded
//! transaction) or Reject with a reason (presets or typed). The decision reaches the end
//! user through the seller bot, in the user's language. Every button names the payment's
//! revision its copy showed: after a newer receipt, an older copy decides nothing and is
//! retired.

use teloxide_core::types::CallbackQuery;

use super::{
    actions::{Action, REJECT_REASONS},
    typing::Step,
    Session,
};
use crate::{
    db::{end_users::EndUser, payments::Payment, user_bots, DbError},
    handlers::{
        handover::{self, customer_key},
        seller_bot::actions::Action as SellerAction,
        Button, Effect, HandlerError, Keyboard,
    },
    i18n::Lang,
    services::purchases::{self, Approval, ReviewError},
};

type Pressed = (Option<String>, Vec<Effect>);

/// A review button.
pub async fn on_review(session: &Session<'_>, action: Action, query: &CallbackQuery) -> Result<Pressed, HandlerError> {
    let message = query.regular_message();
    let caption = message.and_then(|m| m.caption()).unwrap_or_default().to_owned();
    let edit = |caption: String, keyboard: Option<Keyboard>| -> Vec<Effect> {
        message
            .map(|m| Effect::EditCaption { chat_id: m.chat.id.0, message_id: m.id.0, caption, keyboard })
            .into_iter()
            .collect()
    };
    match action {
        Action::Approve(id, rev) => {
            let now = session.ctx.app.clock.now();
            let approved = {
                let mut conn = session.conn().await?;
                purchases::approve(&mut conn, session.owner.id, session.owner.telegram_id, (id, rev), now).await
            };
            match approved {
                Ok(approval) => {
                    let notes = grant_access(session, &approval).await?;
                    let mut effects = edit(format!("{caption}\n\n{}", session.t("review-approved")), None);
                    effects.extend(notes);
                    Ok((Some(session.t("review-approved")), effects))
                }
                Err(ReviewError::AlreadyDecided(payment)) if payment.status == "approved" => {
                    // A retry of an approval whose link never reached the user completes it.
                    let unfinished = {
                        let mut conn = session.conn().await?;
                        purchases::unfinished_approval(&mut conn, &payment).await?
                    };
                    let Some(approval) = unfinished else {
                        return decided_before(session, ReviewError::AlreadyDecided(payment), Some(query)).await;
                    };
                    let mut effects = edit(format!("{caption}\n\n{}", session.t("review-approved")), None);
                    effects.extend(grant_access(session, &approval).await?);
                    Ok((Some(session.t("review-approved")), effects))
                }
                Err(e) => decided_before(session, e, Some(query)).await,
            }
        }
        Action::Reject(id, rev) | Action::Review(id, rev) => {
            if let Some(refusal) = unreviewable(session, (id, rev), query).await? {
                return Ok(refusal);
            }
            let rows = if let Action::Reject(..) = action {
                let mut rows: Vec<Vec<Button>> = REJECT_REASONS
                    .iter()
                    .zip(1u8..)
                    .map(|(key, n)| vec![session.button(key, Action::RejectPreset(id, rev, n))])
                    .collect();
                rows.push(vec![session.button("button-reject-typed", Action::RejectTyped(id, rev))]);
                rows.push(vec![session.button("button-back", Action::Review(id, rev))]);
                rows
            } else {
                review_buttons(session, id, rev)
            };
            Ok((None, edit(caption, Some(Keyboard(rows)))))
        }
        Action::RejectPreset(id, rev, n) => {
            let key = REJECT_REASONS[usize::from(n.saturating_sub(1)).min(REJECT_REASONS.len() - 1)];
            let (toast, mut effects) = reject(session, (id, rev), Reason::Preset(key), Some(query)).await?;
            if toast.is_none() {
                effects.extend(edit(
                    format!("{caption}\n\n{}", session.ta("review-rejected", &[("details", &session.t(key))])),
                    None,
                ));
            }
            Ok((toast.or_else(|| Some(session.t("review-rejected-short"))), effects))
        }
        Action::RejectTyped(id, rev) => {
            if let Some(refusal) = unreviewable(session, (id, rev), query).await? {
                return Ok(refusal);
            }
            session.set_step(&Step::RejectReason { payment_id: id, revision: rev }).await?;
            let prompt = session.prompt(session.ta("reject-reason-ask", &[("id", &id.to_string())]));
            Ok((None, vec![prompt.show(super::screens::Target::New { chat_id: session.chat_id })]))
        }
        _ => Ok((Some(session.t("stale-button")), Vec::new())),
    }
}

/// Approve / Reject for a pending payment at revision `rev`.
pub fn review_buttons(session: &Session<'_>, id: i64, rev: i32) -> Vec<Vec<Button>> {
    vec![vec![
        session.button("button-approve", Action::Approve(id, rev)),
        session.button("button-reject", Action::Reject(id, rev)),
    ]]
}

/// Why the payment at the revision `seen` can be reviewed no more, as the answer to the
/// press; `None` while it can.
async fn unreviewable(
    session: &Session<'_>,
    (id, rev): (i64, i32),
    query: &CallbackQuery,
) -> Result<Option<Pressed>, HandlerError> {
    let payment = {
        let mut conn = session.conn().await?;
        crate::db::payments::find_for_owner(&mut conn, session.owner.id, id).await?
    };
    match payment {
        Some(p) if p.status == "pending" && p.revision == rev => Ok(None),
        Some(p) if p.status == "pending" => {
            Ok(Some(decided_before(session, ReviewError::Changed(Box::new(p)), Some(query)).await?))
        }
        _ => Ok(Some((Some(session.t("stale-button")), Vec::new()))),
    }
}

/// Why a payment was rejected.
pub enum Reason<'a> {
    /// A preset (Fluent key), translated for each reader.
    Preset(&'static str),
    /// The owner's own words.
    Typed(&'a str),
}

/// Rejects the payment at the revision `seen` and tells the user; returns a toast only when
/// nothing happened. `query` is the press, when one made it.
pub async fn reject(
    session: &Session<'_>,
    (id, rev): (i64, i32),
    reason: Reason<'_>,
    query: Option<&CallbackQuery>,
) -> Result<Pressed, HandlerError> {
    let stored = match &reason {
        Reason::Preset(key) => session.t(key),
        Reason::Typed(text) => (*text).to_owned(),
    };
    let now = session.ctx.app.clock.now();
    let rejected = {
        let mut conn = session.conn().await?;
        purchases::reject(&mut conn, session.owner.id, session.owner.telegram_id, (id, rev), &stored, now).await
    };
    match rejected {
        Ok((payment, user)) => Ok((None, vec![rejection_notice(session, &payment, &user).await?])),
        Err(e) => decided_before(session, e, query).await,
    }
}

/// The rejection and its reason for the customer, in their language, rebuilt from the stored
/// payment (a preset reason is recognised in any language and shown in the customer's), for
/// the courier under the decision's key.
async fn rejection_notice(session: &Session<'_>, payment: &Payment, user: &EndUser) -> Result<Effect, HandlerError> {
    let lang: Lang = user.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(session.lang);
    let i18n = &session.ctx.app.i18n;
    let shown = i18n.retranslate(&REJECT_REASONS, payment.reject_reason.as_deref().unwrap_or_default(), lang);
    let text = i18n.tr(lang, "payment-rejected", &[("id", &payment.id.to_string()), ("details", &shown)]);
    let again = Button { text: i18n.tr(lang, "button-buy-again", &[]), data: SellerAction::Offer.data() };
    let to_user = Effect::Send { chat_id: user.telegram_id, text, keyboard: Some(Keyboard(vec![vec![again]])) };
    Ok(as_seller(session, payment, vec![to_user]).await?.follow_up(customer_key(payment.id, "rejected")))
}

/// An approval made before this press (a redelivery after a crash, another device) with
/// something still to do: its invite never handed over (`extended` is false), or its
/// renewal notice.
pub(super) async fn approval_again(session: &Session<'_>, payment: &Payment) -> Result<Option<Approval>, HandlerError> {
    let mut conn = session.conn().await?;
    match purchases::unfinished_approval(&mut conn, payment).await? {
        Some(approval) => Ok(Some(approval)),
        None => Ok(purchases::renewal_of(&mut conn, payment).await?),
    }
}

/// The payment was decided before this press, changed since its copy was drawn (which is
/// then retired: edited to point at the newer copy, without buttons), or is not the
/// presser's: say so. A decision made before is followed up again (its notice to the
/// customer, an invite never handed over), as the press that made it may have died first.
async fn decided_before(
    session: &Session<'_>,
    e: ReviewError,
    query: Option<&CallbackQuery>,
) -> Result<Pressed, HandlerError> {
    match e {
        ReviewError::Changed(payment) => {
            let caption = session.ta("review-outdated", &[("id", &payment.id.to_string())]);
            let retired = query.and_then(|q| q.regular_message()).map(|m| Effect::EditCaption {
                chat_id: m.chat.id.0,
                message_id: m.id.0,
                caption,
                keyboard: None,
            });
            Ok((Some(session.t("review-changed")), retired.into_iter().collect()))
        }
        ReviewError::NotFound => Ok((Some(session.t("stale-button")), Vec::new())),
        ReviewError::Banned => Ok((Some(session.t("customer-is-banned")), Vec::new())),
        ReviewError::Storage(e) => Err(e.into()),
        // What follows the decision is planned again: the courier tells the customer once.
        ReviewError::AlreadyDecided(payment) if payment.status == "rejected" => {
            let user = {
                let conn = session.conn().await?;
                crate::db::end_users::find(&conn, payment.end_user_id).await?
            };
            let mut effects: Vec<Effect> = settled_copy(session, &payment, query).into_iter().collect();
            if let Some(user) = user {
                effects.push(rejection_notice(session, &payment, &user).await?);
            }
            Ok((Some(session.t("review-already-rejected")), effects))
        }
        ReviewError::AlreadyDecided(payment) => {
            let mut effects: Vec<Effect> = settled_copy(session, &payment, query).into_iter().collect();
            if let Some(approval) = approval_again(session, &payment).await? {
                effects.extend(grant_access(session, &approval).await?);
            }
            Ok((Some(session.t("review-already-approved")), effects))
        }
    }
}

/// The pressed copy, while it still offers buttons (the press that decided was cut off
/// before its edit), edited to say how the payment was decided.
fn settled_copy(session: &Session<'_>, payment: &Payment, query: Option<&CallbackQuery>) -> Option<Effect> {
    let message = query?.regular_message()?;
    message.reply_markup().filter(|k| k.inline_keyboard.iter().any(|row| !row.is_empty()))?;
    let verdict = match payment.reject_reason.as_deref() {
        Some(stored) if payment.status == "rejected" => session.ta(
            "review-rejected",
            &[("details", &session.ctx.app.i18n.retranslate(&REJECT_REASONS, stored, session.lang))],
        ),
        _ => session.t("review-approved"),
    };
    let caption = format!("{}\n\n{verdict}", message.caption().unwrap_or_default());
    Some(Effect::EditCaption { chat_id: message.chat.id.0, message_id: message.id.0, caption, keyboard: None })
}

/// The user's access after an approval, handed over by the seller bot through the courier
/// once per approval (see [`handover::access_effect`]); when no link can be made, this
/// reviewer is told why.
pub(super) async fn grant_access(session: &Session<'_>, approval: &Approval) -> Result<Vec<Effect>, HandlerError> {
    let app = &session.ctx.app;
    let to_user = handover::access_effect(&app.i18n, app.settings.timezone, approval, (session.chat_id, session.lang));
    let key = customer_key(approval.payment.id, "approved");
    Ok(vec![as_seller(session, &approval.payment, vec![to_user]).await?.follow_up(key)])
}

/// Wraps effects to be carried out by the payment's seller bot.
async fn as_seller(session: &Session<'_>, payment: &Payment, effects: Vec<Effect>) -> Result<Effect, HandlerError> {
    let mut conn = session.conn().await?;
    let bot = user_bots::find(&mut conn, payment.user_bot_id).await?.ok_or(DbError::Unavailable("bot gone".into()))?;
    Ok(Effect::AsBot { telegram_bot_id: bot.telegram_bot_id, effects })
}
