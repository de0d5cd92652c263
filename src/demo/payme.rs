//! The demo's Payme scene: Kamola connects her Payme cashbox in the main bot, a customer pays
//! through Payme's checkout (the simulator plays Payme calling her endpoint), gets his
//! personal link at once, and Payme then refunds the payment, which withdraws the access.

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;

use super::{newest_button, transcript::Transcript, CUSTOMER_ID};
use crate::{
    clock::ManualClock,
    simulator::{
        payme::{open_checkout, PaymeAnswer, PaymeSandbox},
        SimBot, SimUser, Simulator,
    },
};

const CASHBOX: &str = "5e730e8e0b852a417aa49ceb";
const TEST_KEY: &str = "Demo#Sandbox&Key?2026_payme";

/// Connects Payme, lets a customer pay with it, and refunds the payment.
pub(super) async fn customer_pays_with_payme(
    sim: &Simulator,
    transcript: &mut Transcript,
    (main_bot, shop, kamola): (&SimBot, &SimBot, &SimUser),
    clock: &ManualClock,
) -> anyhow::Result<()> {
    transcript.section("Kamola connects her Payme cashbox (test key: the sandbox)");
    transcript.type_text(kamola, main_bot, "/menu", "/menu").await?;
    for data in ["s", "s:methods", "s:pm", "s:pm:id"] {
        transcript.press(kamola, main_bot, data).await?;
    }
    transcript.type_text(kamola, main_bot, CASHBOX, CASHBOX).await?;
    transcript.press(kamola, main_bot, "s:pm:tkey").await?;
    transcript.type_text(kamola, main_bot, TEST_KEY, "‹her Payme test key›").await?;
    transcript.press(kamola, main_bot, "s:pm:mode:test").await?;
    let screen = sim.last_message(main_bot.id, kamola.id).and_then(|m| m.text).unwrap_or_default();
    let endpoint = screen
        .split_whitespace()
        .find(|w| w.contains("/pay/payme/"))
        .context("the endpoint URL was not shown")?
        .to_owned();
    let payme = PaymeSandbox::new(&endpoint, TEST_KEY, Arc::new(clock.clone()));

    let jasur = sim.user(CUSTOMER_ID + 2, "Jasur", Some("jasur"));
    transcript.name(&jasur);
    transcript.section("A customer pays with Payme: his link comes within a second");
    transcript.type_text(&jasur, shop, "/start", "/start").await?;
    transcript.press(&jasur, shop, "lang:en").await?;
    let buy = newest_button(sim, shop, &jasur, |d| d.starts_with("buy:")).await?;
    transcript.press(&jasur, shop, &buy).await?;
    let pay = newest_button(sim, shop, &jasur, |d| d.starts_with("pay:") && d.ends_with(":payme")).await?;
    transcript.press(&jasur, shop, &pay).await?;
    let url = newest_button(sim, shop, &jasur, |d| d.starts_with("https://checkout")).await?;
    let checkout = open_checkout(&url).context("not a Payme checkout link")?;
    transcript.note(&format!(
        "Jasur opens Payme's checkout: order {}, {} tiyin, cashbox {}",
        checkout.order_id, checkout.amount, checkout.merchant_id
    ));
    let checked = payme.check_perform(checkout.amount, &checkout.order_id).await?;
    transcript.note(&format!("Payme → CheckPerformTransaction: {}", shown(&checked)));
    let id = payme.new_id();
    let created = payme.create(&id, checkout.amount, &checkout.order_id).await?;
    transcript.note(&format!("Payme → CreateTransaction {id}: {}", shown(&created)));
    let performed = payme.perform(&id).await?;
    transcript.note(&format!("Payme → PerformTransaction: {}", shown(&performed)));
    let again = payme.perform(&id).await?;
    transcript.note(&format!("Payme repeats PerformTransaction: {} (the same answer, no second grant)", shown(&again)));
    let linked = |s: &Simulator| {
        s.messages_in(shop.id, jasur.id).iter().any(|m| m.text.as_deref().unwrap_or("").contains("https://t.me/+"))
    };
    sim.wait_for(Duration::from_secs(5), linked).await;
    transcript.flush();

    transcript.section("Payme refunds the payment: the access it gave is withdrawn");
    let refunded = payme.cancel(&id, 5).await?;
    transcript.note(&format!("Payme → CancelTransaction (reason 5, refund): {}", shown(&refunded)));
    let told = |s: &Simulator| {
        s.messages_in(main_bot.id, kamola.id).iter().any(|m| m.text.as_deref().unwrap_or("").contains("refunded"))
    };
    sim.wait_for(Duration::from_secs(5), told).await;
    transcript.flush();
    Ok(())
}

/// A Payme answer in one line: the result, or the error's code and English message.
fn shown(answer: &PaymeAnswer) -> String {
    match (answer.result(), answer.body.get("error")) {
        (Some(result), _) => result.to_string(),
        (None, Some(error)) => format!("error {} {}", error["code"], error["message"]["en"]),
        (None, None) => format!("HTTP {}", answer.status),
    }
}
