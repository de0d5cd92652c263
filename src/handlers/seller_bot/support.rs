//! Support: the end user writes to the seller ("Support" or `/support`); the message (text or
//! photo) reaches the owner in the main bot with a Reply button.

use teloxide_core::types::Message;

use super::{actions::Action, shop::Step, Customer};
use crate::handlers::{
    common::{display_name_of, media_of, send},
    main_bot::actions::Action as OwnerAction,
    Button, Effect, HandlerError, Keyboard, Media, Sender,
};

/// Opens the support step.
pub async fn ask(customer: &Customer<'_>) -> Result<Vec<Effect>, HandlerError> {
    customer.set_step(&Step::Support).await?;
    let keyboard = Keyboard(vec![vec![Button { text: customer.t("button-cancel"), data: Action::Cancel.data() }]]);
    Ok(vec![Effect::Send { chat_id: customer.chat_id, text: customer.t("support-ask"), keyboard: Some(keyboard) }])
}

/// The user's message for the seller.
pub async fn relay(customer: &Customer<'_>, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let media = media_of(msg);
    let text = msg.text().or(msg.caption()).unwrap_or_default().trim().to_owned();
    if text.is_empty() && media.is_none() {
        return Ok(vec![send(customer.chat_id, customer.t("support-ask"))]);
    }
    customer.clear_step().await?;
    let mut effects = vec![send(customer.chat_id, customer.t("support-sent"))];
    let Some(owner) = customer.owner().await? else { return Ok(effects) };
    let lang = owner.language.parse().unwrap_or(customer.lang);
    let i18n = &customer.ctx.app.i18n;
    let who = display_name_of(&customer.user.full_name, customer.user.username.as_deref(), customer.user.telegram_id);
    let bot = format!("@{}", customer.ctx.bot.username);
    let heading = i18n.tr(lang, "support-to-owner", &[("name", &who), ("bot", &bot)]);
    let body = if text.is_empty() { heading } else { format!("{heading}\n\n{text}") };
    let reply =
        Button { text: i18n.tr(lang, "button-reply", &[]), data: OwnerAction::SupportReply(customer.user.id).data() };
    let keyboard = Some(Keyboard(vec![vec![reply]]));
    let to_owner = match media {
        Some((file_id, kind)) => Effect::SendMedia {
            via: Sender::Main,
            chat_id: owner.telegram_id,
            media: Media { kind, file_id, owner: Sender::This },
            caption: body,
            keyboard,
        },
        None => Effect::Notify { chat_id: owner.telegram_id, text: body, keyboard },
    };
    effects.push(to_owner.later()); // the owner's chat's limits never hold up the customer
    Ok(effects)
}
