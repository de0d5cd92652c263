//! The demo's Uzum scene: Kamola connects Uzum Bank in the main bot, and a customer pays in
//! the Uzum app (the simulator plays Uzum calling her webhooks).

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;

use super::{newest_button, transcript::Transcript, CUSTOMER_ID};
use crate::{
    clock::ManualClock,
    simulator::{
        uzum::{open_checkout, UzumSandbox},
        SimBot, SimUser, Simulator,
    },
};

const SERVICE: i64 = 50_123;
const LOGIN: &str = "kamola_uzum";
const PASSWORD: &str = "Demo#Uzum&Pass";

/// Connects Uzum and lets a customer pay with it.
pub(super) async fn customer_pays_with_uzum(
    sim: &Simulator,
    transcript: &mut Transcript,
    (main_bot, shop, kamola): (&SimBot, &SimBot, &SimUser),
    clock: &ManualClock,
) -> anyhow::Result<()> {
    transcript.section("Kamola connects Uzum Bank");
    transcript.type_text(kamola, main_bot, "/menu", "/menu").await?;
    for data in ["s", "s:methods", "s:uz", "s:uz:svc"] {
        transcript.press(kamola, main_bot, data).await?;
    }
    transcript.type_text(kamola, main_bot, &SERVICE.to_string(), &SERVICE.to_string()).await?;
    transcript.press(kamola, main_bot, "s:uz:login").await?;
    transcript.type_text(kamola, main_bot, LOGIN, LOGIN).await?;
    transcript.press(kamola, main_bot, "s:uz:pwd").await?;
    transcript.type_text(kamola, main_bot, PASSWORD, "‹the password agreed with Uzum›").await?;
    let screen = sim.last_message(main_bot.id, kamola.id).and_then(|m| m.text).unwrap_or_default();
    let base = screen.split_whitespace().find(|w| w.contains("/pay/uzum/")).context("no Uzum webhook address")?;
    let uzum = UzumSandbox::new(base, SERVICE, (LOGIN, PASSWORD), Arc::new(clock.clone()));

    let timur = sim.user(CUSTOMER_ID + 4, "Timur", Some("timur"));
    transcript.name(&timur);
    transcript.section("A customer pays in the Uzum Bank app");
    transcript.type_text(&timur, shop, "/start", "/start").await?;
    transcript.press(&timur, shop, "lang:uz").await?;
    let buy = newest_button(sim, shop, &timur, |d| d.starts_with("buy:")).await?;
    transcript.press(&timur, shop, &buy).await?;
    let pay = newest_button(sim, shop, &timur, |d| d.starts_with("pay:") && d.ends_with(":uzum")).await?;
    transcript.press(&timur, shop, &pay).await?;
    let url = newest_button(sim, shop, &timur, |d| d.starts_with("https://www.uzumbank.uz")).await?;
    let checkout = open_checkout(&url).context("not an Uzum service link")?;
    transcript.note(&format!("Timur opens the Uzum Bank app: order {}, {} tiyin", checkout.order, checkout.amount));
    let (id, confirmed) = uzum.pay(&checkout).await?;
    transcript.note(&format!("Uzum → check, create {id}, confirm: {}", confirmed.body));
    let linked = |s: &Simulator| {
        s.messages_in(shop.id, timur.id).iter().any(|m| m.text.as_deref().unwrap_or("").contains("https://t.me/+"))
    };
    sim.wait_for(Duration::from_secs(5), linked).await;
    transcript.flush();
    Ok(())
}
