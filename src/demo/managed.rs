//! The demo's one-tap shop bot: a new owner taps "Create my shop bot", confirms Telegram's
//! pre-filled form, and the bot is connected with no token copied (Bot API managed bots).

use std::time::Duration;

use anyhow::Context as _;

use super::{transcript::Transcript, wait_for_webhook};
use crate::simulator::{SimBot, SimUser, Simulator};

/// Dilshod creates his shop bot through the main bot and a customer starts it.
pub async fn owner_creates_bot_in_one_tap(
    sim: &Simulator,
    transcript: &mut Transcript,
    main_bot: &SimBot,
    owner: &SimUser,
) -> anyhow::Result<()> {
    transcript.section("Dilshod creates his shop bot in one tap: no @BotFather, no token to copy");
    transcript.press(owner, main_bot, "b:new").await?;
    let offer = sim
        .messages_in(main_bot.id, owner.id)
        .iter()
        .rev()
        .find(|m| sim.create_bot_request(main_bot.id, owner.id, m.message_id).is_some())
        .map(|m| m.message_id)
        .context("the create-bot button was not shown")?;
    let request = sim.create_bot_request(main_bot.id, owner.id, offer).context("the button")?;
    transcript.note(&format!(
        "Dilshod taps the button under it and confirms Telegram's form: name «{}», username @{}",
        request.suggested_name.unwrap_or_default(),
        request.suggested_username.unwrap_or_default()
    ));
    let (shop, _) = sim.press_create_bot_button(main_bot.id, owner, offer).await?;
    wait_for_webhook(sim, &shop).await?;
    sim.wait_for(Duration::from_secs(5), |s| {
        s.messages_in(main_bot.id, owner.id).iter().any(|m| m.text.as_deref().is_some_and(|t| t.contains("✅")))
    })
    .await;
    transcript.note(&format!(
        "@getolog_bot got the managed_bot update, fetched the token with getManagedBotToken and connected @{}",
        shop.username
    ));
    transcript.flush();
    let customer = sim.user(super::CUSTOMER_ID + 9, "Sevara", Some("sevara"));
    transcript.name(&customer);
    transcript.type_text(&customer, &shop, "/start", "/start").await?;
    Ok(())
}
