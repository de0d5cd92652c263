//! The shop: language screen (with the platform advert on the Free plan), welcome, offer,
//! payment method, card details and receipts, and the owner's notices about them.

use std::time::Duration;

use teloxide_core::types::{CallbackQuery, Message};

use super::{actions::Action, Customer};
use crate::{
    db::{
        bot_settings,
        payments::{Receipt, Submitted},
        subscriptions,
    },
    handlers::{
        common::{
            chat_label, date_text, display_name_of, media_of, offer_terms, reply_in_place, send, terms_text,
            unique_id_of,
        },
        effects::TEXT_LIMIT,
        keyboards,
        main_bot::actions::Action as OwnerAction,
        Button, Effect, HandlerError, Keyboard, Media, Sender,
    },
    services::{
        input::format_card,
        purchases::{self, Offer},
    },
};

/// How often an owner is told their bot cannot sell yet.
const NOT_READY_NOTICE_EVERY: Duration = Duration::from_secs(24 * 3600);

/// What a customer's next message is for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// The receipt of a card payment for a chat.
    Receipt {
        /// `channels.id`.
        channel_id: i64,
    },
    /// A message for the seller.
    Support,
}

/// The language keyboard; on the owner's Free plan it carries the platform advert.
pub fn language_prompt(customer: &Customer<'_>, paid_plan: bool) -> Effect {
    let mut text = customer.t("language-prompt");
    if !paid_plan {
        let main = format!("@{}", customer.ctx.platform.main_username());
        text = format!("{text}\n\n{}", customer.ta("platform-advert", &[("bot", &main)]));
    }
    Effect::Prompt { chat_id: customer.chat_id, text, keyboard: Some(keyboards::language_keyboard()) }
}

/// The owner (Telegram id and language, read with the new customer's row) hears about them.
pub fn new_customer_notice(customer: &Customer<'_>, (owner, language): (i64, String)) -> Effect {
    let lang = language.parse().unwrap_or(customer.lang);
    let who = display_name_of(&customer.user.full_name, customer.user.username.as_deref(), customer.user.telegram_id);
    let bot = format!("@{}", customer.ctx.bot.username);
    let text = customer.ctx.app.i18n.tr(lang, "owner-new-customer", &[("name", &who), ("bot", &bot)]);
    Effect::Inform { chat_id: owner, text }
}

/// After the language: the welcome text and the offer in place of the language screen (the
/// shop as kept in memory while its settings version is current).
pub async fn after_language(
    customer: &Customer<'_>,
    query: &CallbackQuery,
    shop_version: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let shop = {
        let mut conn = customer.conn().await?;
        customer.ctx.app.shops.get(&mut conn, customer.user.user_bot_id, shop_version).await?
    };
    let Some(shop) = shop else { return Ok(Vec::new()) };
    let welcome = match shop.bot.welcome_for(customer.lang.code()) {
        Some(own) => own.to_owned(),
        None => {
            let at = format!("@{}", customer.ctx.bot.username);
            customer.ta("seller-welcome-default", &[("name", &customer.user.full_name), ("bot", &at)])
        }
    };
    let offer = offer_of(customer, purchases::offer_from(&shop.bot, &shop.chats), None).await?;
    Ok(welcome_with(query, welcome, offer))
}

/// The welcome and the offer's first message as one message, in place of the language
/// screen (one Bot API call for the press); the welcome in place and the offer as a new
/// message when together they would be over Telegram's limit.
fn welcome_with(query: &CallbackQuery, welcome: String, mut offer: Vec<Effect>) -> Vec<Effect> {
    let here = query.message.as_ref().map(|m| (m.chat().id.0, m.id().0));
    if let (Some((chat_id, message_id)), Some(Effect::Send { text, keyboard, .. })) = (here, offer.first()) {
        let joined = format!("{welcome}\n\n{text}");
        if joined.encode_utf16().count() <= TEXT_LIMIT {
            offer[0] = Effect::Edit { chat_id, message_id, text: joined, keyboard: keyboard.clone() };
            return offer;
        }
    }
    let mut effects = vec![reply_in_place(query, welcome)];
    effects.extend(offer);
    effects
}

/// The offer as a new message (or in place of `edit`): items with prices, the user's active
/// access, or a polite "not yet" (and the owner told what is missing, once a day).
pub async fn offer_screen(customer: &Customer<'_>, edit: Option<(i64, i32)>) -> Result<Vec<Effect>, HandlerError> {
    match load_offer(customer).await? {
        Some((_, offer)) => offer_of(customer, offer, edit).await,
        None => Ok(Vec::new()),
    }
}

/// The customer's bot and its offer, read now (for a purchase, not from the kept shop).
pub(super) async fn load_offer(
    customer: &Customer<'_>,
) -> Result<Option<(bot_settings::OwnedBot, Offer)>, HandlerError> {
    let mut conn = customer.conn().await?;
    let Some(bot) = bot_settings::find(&mut conn, customer.user.user_bot_id).await? else { return Ok(None) };
    let offer = purchases::offer(&mut conn, &bot).await?;
    Ok(Some((bot, offer)))
}

async fn offer_of(
    customer: &Customer<'_>,
    offer: Offer,
    edit: Option<(i64, i32)>,
) -> Result<Vec<Effect>, HandlerError> {
    if !offer.missing.is_empty() {
        let mut effects = vec![send(customer.chat_id, customer.t("shop-not-ready"))];
        effects.extend(not_ready_notice(customer, &offer).await?);
        return Ok(effects);
    }
    // The customer's own access is read only for a shop that sells.
    let active = {
        let mut conn = customer.conn().await?;
        subscriptions::active_of_end_user(&mut conn, customer.user.id).await?
    };
    let (i18n, lang, tz) = (&customer.ctx.app.i18n, customer.lang, customer.ctx.app.settings.timezone);
    let mut text = customer.t("shop-offer");
    let mut rows = Vec::new();
    for (chat, price) in &offer.items {
        let terms = offer_terms(i18n, lang, chat, price.as_ref(), offer.stars_of(chat));
        text.push_str(&format!("\n{} — {terms}", chat_label(&chat.kind, &chat.title)));
        let mine = active.iter().find(|s| s.channel_id == chat.id);
        if let Some(sub) = mine {
            let until = match sub.expires_at {
                Some(at) => customer.ta("shop-access-until", &[("details", &date_text(at, tz))]),
                None => customer.t("shop-access-lifetime"),
            };
            text.push_str(&format!("\n   ✅ {until}"));
        }
        if mine.is_some_and(|s| s.expires_at.is_none()) {
            continue; // lifetime access: nothing more to buy
        }
        let key = if mine.is_some() { "button-renew" } else { "button-buy" };
        let label = customer.ta(key, &[("title", &chat_label(&chat.kind, &chat.title))]);
        rows.push(vec![Button { text: label, data: Action::Buy(chat.id).data() }]);
    }
    if !active.is_empty() {
        rows.push(vec![Button { text: customer.t("button-fresh-link"), data: Action::FreshLink.data() }]);
    }
    rows.push(vec![Button { text: customer.t("button-support"), data: Action::Support.data() }]);
    let keyboard = Some(Keyboard(rows));
    Ok(vec![match edit {
        Some((chat_id, message_id)) => Effect::Edit { chat_id, message_id, text, keyboard },
        None => Effect::Send { chat_id: customer.chat_id, text, keyboard },
    }])
}

async fn not_ready_notice(customer: &Customer<'_>, offer: &Offer) -> Result<Vec<Effect>, HandlerError> {
    let bot_id = customer.ctx.bot.telegram_id;
    let first = customer.ctx.app.cache.first_within(format_args!("notready:{bot_id}"), NOT_READY_NOTICE_EVERY).await?;
    let Some(owner) = customer.owner().await?.filter(|_| first) else { return Ok(Vec::new()) };
    let lang = owner.language.parse().unwrap_or(customer.lang);
    let i18n = &customer.ctx.app.i18n;
    let details = offer
        .missing
        .iter()
        .map(|m| {
            let title = match m {
                purchases::Missing::Price(title) => title.as_str(),
                _ => "",
            };
            format!("• {}", i18n.tr(lang, m.message_key(), &[("title", title)]))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let bot = format!("@{}", customer.ctx.bot.username);
    let text = i18n.tr(lang, "owner-not-ready", &[("bot", &bot), ("details", &details)]);
    Ok(vec![Effect::Notify { chat_id: owner.telegram_id, text, keyboard: None }.later()])
}

/// Offer, buy and pay buttons.
pub async fn on_action(
    customer: &Customer<'_>,
    action: Action,
    query: &CallbackQuery,
) -> Result<(Option<String>, Vec<Effect>), HandlerError> {
    let here = query.message.as_ref().map(|m| (m.chat().id.0, m.id().0));
    let stale = || (Some(customer.t("stale-button")), Vec::new());
    match action {
        Action::Offer | Action::Cancel => {
            customer.clear_step().await?;
            Ok((None, offer_screen(customer, here).await?))
        }
        Action::Buy(channel_id) | Action::PayByCard(channel_id) => {
            let Some((bot, offer)) = load_offer(customer).await? else { return Ok(stale()) };
            let Some((chat, price)) = offer.items.iter().find(|(c, _)| c.id == channel_id) else { return Ok(stale()) };
            if !offer.missing.is_empty() {
                return Ok(stale());
            }
            let (i18n, lang) = (&customer.ctx.app.i18n, customer.lang);
            let item = format!(
                "{} — {}",
                chat_label(&chat.kind, &chat.title),
                offer_terms(i18n, lang, chat, price.as_ref(), offer.stars_of(chat))
            );
            let (text, rows) = if let Action::Buy(_) = action {
                let priced = price.is_some();
                let methods = bot.methods().filter_map(|m| {
                    let data = match m {
                        "card" if priced => Action::PayByCard(chat.id),
                        "payme" if priced && super::checkout::provider_sells(chat) => Action::PayByPayme(chat.id),
                        "click" if priced && super::checkout::provider_sells(chat) => Action::PayByClick(chat.id),
                        "uzum" if priced && super::checkout::provider_sells(chat) => Action::PayByUzum(chat.id),
                        "stars" if offer.stars_of(chat).is_some() => Action::PayByStars(chat.id),
                        _ => return None,
                    };
                    Some(Button { text: customer.t(&format!("method-{m}")), data: data.data() })
                });
                let mut rows: Vec<Vec<Button>> = methods.map(|b| vec![b]).collect();
                rows.push(vec![Button { text: customer.t("button-back"), data: Action::Offer.data() }]);
                (customer.ta("shop-choose-method", &[("title", &item)]), rows)
            } else {
                let Some((card, holder)) = offer.card.clone().filter(|_| bot.methods().any(|m| m == "card")) else {
                    return Ok(stale());
                };
                let Some(price) = price else { return Ok(stale()) };
                customer.set_step(&super::Step::Receipt { channel_id: chat.id }).await?;
                let amount = format!("{} {}", crate::services::input::format_amount(price), chat.currency);
                let text = customer.ta(
                    "shop-card-details",
                    &[("title", &item), ("details", &amount), ("card", &format_card(&card)), ("holder", &holder)],
                );
                (text, vec![vec![Button { text: customer.t("button-cancel"), data: Action::Cancel.data() }]])
            };
            let keyboard = Some(Keyboard(rows));
            let effect = match here {
                Some((chat_id, message_id)) => Effect::Edit { chat_id, message_id, text, keyboard },
                None => Effect::Send { chat_id: customer.chat_id, text, keyboard },
            };
            Ok((None, vec![effect]))
        }
        Action::FreshLink
        | Action::Support
        | Action::PayByPayme(_)
        | Action::PayByClick(_)
        | Action::PayByUzum(_)
        | Action::PayByStars(_) => Ok(stale()),
    }
}

/// A message while the customer owes a receipt.
pub async fn on_receipt(customer: &Customer<'_>, channel_id: i64, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let Some((file_id, kind)) = media_of(msg) else {
        let keyboard = Keyboard(vec![vec![Button { text: customer.t("button-cancel"), data: Action::Cancel.data() }]]);
        return Ok(vec![Effect::Send {
            chat_id: customer.chat_id,
            text: customer.t("shop-receipt-expected"),
            keyboard: Some(keyboard),
        }]);
    };
    let unique_id = unique_id_of(msg).filter(|id| !id.is_empty());
    let receipt = Receipt { file_id: &file_id, kind: kind.label(), unique_id: unique_id.as_deref() };
    let submitted = {
        let mut conn = customer.conn().await?;
        let now = customer.ctx.app.clock.now();
        purchases::submit_receipt(&mut conn, &customer.user, channel_id, &receipt, now).await?
    };
    customer.clear_step().await?;
    let Some((payment, submitted, chat)) = submitted else {
        return offer_screen(customer, None).await;
    };
    let told = if submitted == Submitted::Repeated { "shop-receipt-again" } else { "shop-receipt-received" };
    let mut effects = vec![send(customer.chat_id, customer.ta(told, &[("id", &payment.id.to_string())]))];
    let Some(owner) = customer.owner().await? else { return Ok(effects) };
    let lang = owner.language.parse().unwrap_or(customer.lang);
    let i18n = &customer.ctx.app.i18n;
    let who = display_name_of(&customer.user.full_name, customer.user.username.as_deref(), customer.user.telegram_id);
    let item = format!(
        "{} — {}",
        chat_label(&chat.kind, &chat.title),
        terms_text(i18n, lang, &payment.amount, &payment.currency, payment.duration_months)
    );
    let key = if submitted == Submitted::New { "review-caption" } else { "review-caption-again" };
    let caption = i18n.tr(
        lang,
        key,
        &[
            ("id", &payment.id.to_string()),
            ("name", &who),
            ("title", &item),
            ("bot", &format!("@{}", customer.ctx.bot.username)),
            ("count", &payment.receipts.to_string()),
        ],
    );
    let (id, rev) = (payment.id, payment.revision);
    let keyboard = Keyboard(vec![vec![
        Button { text: i18n.tr(lang, "button-approve", &[]), data: OwnerAction::Approve(id, rev).data() },
        Button { text: i18n.tr(lang, "button-reject", &[]), data: OwnerAction::Reject(id, rev).data() },
    ]]);
    // The owner's copies of an earlier receipt decide nothing any more: say so on them.
    let key = format!("review:{id}");
    let earlier = match submitted {
        Submitted::Repeated => Vec::new(),
        _ => customer.ctx.platform.take_remembered_messages(&key).await,
    };
    let retired: Vec<Effect> = earlier
        .into_iter()
        .map(|(chat_id, message_id)| {
            let caption = i18n.tr(lang, "review-outdated", &[("id", &id.to_string())]);
            Effect::EditCaption { chat_id, message_id, caption, keyboard: None }
        })
        .collect();
    if !retired.is_empty() {
        effects.push(Effect::AsBot { telegram_bot_id: customer.ctx.platform.main_bot_id, effects: retired });
    }
    // The owner's copy goes by the courier: the owner's chat at its limit (several receipts
    // at once) never holds up the customer's update. It is keyed by the revision it shows, so
    // the same receipt sent again queues nothing new.
    let copy = Effect::SendMedia {
        via: Sender::Main,
        chat_id: owner.telegram_id,
        media: Media { kind, file_id, owner: Sender::This },
        caption,
        keyboard: Some(keyboard),
    };
    let copy_key = format!("payment:{id}:receipt:{rev}:owner");
    effects.push(Effect::Remember { key, effect: Box::new(copy) }.follow_up(copy_key));
    Ok(effects)
}

/// A photo or file outside the receipt step: a further receipt for the user's pending
/// payment, or a hint to choose what to buy first.
pub async fn on_loose_receipt(customer: &Customer<'_>, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let pending = {
        let mut conn = customer.conn().await?;
        crate::db::payments::of_end_user(&mut conn, customer.user.id, 5)
            .await?
            .into_iter()
            .find(|p| p.status == "pending")
    };
    match pending {
        Some(payment) => on_receipt(customer, payment.channel_id, msg).await,
        None => {
            let mut effects = vec![send(customer.chat_id, customer.t("shop-choose-first"))];
            effects.extend(offer_screen(customer, None).await?);
            Ok(effects)
        }
    }
}
