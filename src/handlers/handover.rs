//! What a customer gets once a payment is approved or paid, whoever approved it (the owner's
//! review, a manual grant, or a provider's confirmation): the seller bot hands over a personal
//! invite link, or for a renewal of a subscription in use, the new end date. Built once here,
//! so every way of paying hands access over alike.

use crate::{
    handlers::{
        common::{chat_label, date_text},
        seller_bot::actions::Action as SellerAction,
        Button, Effect, Invite, Keyboard,
    },
    i18n::{I18n, Lang},
    services::purchases::Approval,
};

/// The key under which the customer is told of a decision on their payment (`outcome`:
/// `approved`, `rejected`, `refunded`), whoever plans the notice: once per payment.
pub fn customer_key(payment_id: i64, outcome: &str) -> String {
    format!("payment:{payment_id}:{outcome}:customer")
}

/// The customer's language (Uzbek when they never chose one).
pub fn customer_lang(approval: &Approval) -> Lang {
    approval.end_user.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(Lang::Uz)
}

/// The effect that hands the approval's access to its customer, carried out by the seller
/// bot (see [`crate::actors::bot::invite`]): a personal link made, stored and sent (a retry
/// sends the same link), or the renewal's new end. When no link can be made, the customer is
/// told to ask for one later and `reviewer` (a chat with the main bot, in `reviewer_lang`)
/// is told why.
pub fn access_effect(
    i18n: &I18n,
    tz: chrono_tz::Tz,
    approval: &Approval,
    (reviewer, reviewer_lang): (i64, Lang),
) -> Effect {
    let lang = customer_lang(approval);
    let (sub, chat, payment) = (&approval.subscription, &approval.channel, &approval.payment);
    let until = match sub.expires_at {
        Some(at) => i18n.tr(lang, "access-until", &[("details", &date_text(at, tz))]),
        None => i18n.tr(lang, "access-lifetime", &[]),
    };
    let (id, title) = (payment.id.to_string(), chat_label(&chat.kind, &chat.title));
    let base = [("id", id.as_str()), ("title", title.as_str()), ("details", until.as_str())];
    let user_id = approval.end_user.telegram_id;
    if approval.extended && sub.joined_at.is_some() {
        return Effect::Send {
            chat_id: user_id,
            text: i18n.tr(lang, "payment-approved-renewal", &base),
            keyboard: None,
        };
    }
    let mut args = base.to_vec();
    args.push(("link", crate::handlers::LINK_SLOT));
    let fresh = Button { text: i18n.tr(lang, "button-fresh-link", &[]), data: SellerAction::FreshLink.data() };
    let no_link = i18n.tr(lang, "payment-approved-no-link", &base);
    let note = i18n.tr(reviewer_lang, "review-link-failed", &[("title", &chat.title)]);
    Effect::Invite(Box::new(Invite {
        subscription_id: sub.id,
        user_id,
        name: format!("Getolog #{}", payment.id),
        text: Invite::around_link(&i18n.tr(lang, "payment-approved-link", &args)),
        if_member: None,
        otherwise: vec![
            Effect::Send { chat_id: user_id, text: no_link, keyboard: Some(Keyboard(vec![vec![fresh]])) },
            Effect::Notify { chat_id: reviewer, text: note, keyboard: None },
        ],
        delivery: customer_key(payment.id, "approved"),
    }))
}
