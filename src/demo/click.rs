//! The demo's Click scene: Kamola connects her Click merchant account in the main bot, and a
//! customer pays through Click's checkout (the simulator plays Click calling her two URLs).

use std::{sync::Arc, time::Duration};

use anyhow::Context as _;

use super::{newest_button, transcript::Transcript, CUSTOMER_ID};
use crate::{
    clock::ManualClock,
    simulator::{
        click::{open_checkout, ClickAnswer, ClickSandbox},
        SimBot, SimUser, Simulator,
    },
};

const SERVICE: i64 = 41_234;
const SECRET: &str = "Demo#Click&Secret";

/// Connects Click and lets a customer pay with it.
pub(super) async fn customer_pays_with_click(
    sim: &Simulator,
    transcript: &mut Transcript,
    (main_bot, shop, kamola): (&SimBot, &SimBot, &SimUser),
    clock: &ManualClock,
) -> anyhow::Result<()> {
    transcript.section("Kamola connects Click too");
    transcript.type_text(kamola, main_bot, "/menu", "/menu").await?;
    for data in ["s", "s:methods", "s:ck"] {
        transcript.press(kamola, main_bot, data).await?;
    }
    for (field, value) in [("svc", SERVICE.to_string()), ("mer", "7001".into()), ("usr", "9001".into())] {
        transcript.press(kamola, main_bot, &format!("s:ck:{field}")).await?;
        transcript.type_text(kamola, main_bot, &value, &value).await?;
    }
    transcript.press(kamola, main_bot, "s:ck:sec").await?;
    transcript.type_text(kamola, main_bot, SECRET, "‹her Click secret key›").await?;
    let screen = sim.last_message(main_bot.id, kamola.id).and_then(|m| m.text).unwrap_or_default();
    let urls: Vec<&str> = screen.split_whitespace().filter(|w| w.contains("/pay/click/")).collect();
    anyhow::ensure!(urls.len() == 2, "the Click URLs were not shown");
    let click = ClickSandbox::new((urls[0], urls[1]), SERVICE, SECRET, Arc::new(clock.clone()));

    let sevara = sim.user(CUSTOMER_ID + 3, "Sevara", Some("sevara"));
    transcript.name(&sevara);
    transcript.section("A customer pays with Click");
    transcript.type_text(&sevara, shop, "/start", "/start").await?;
    transcript.press(&sevara, shop, "lang:ru").await?;
    let buy = newest_button(sim, shop, &sevara, |d| d.starts_with("buy:")).await?;
    transcript.press(&sevara, shop, &buy).await?;
    let pay = newest_button(sim, shop, &sevara, |d| d.starts_with("pay:") && d.ends_with(":click")).await?;
    transcript.press(&sevara, shop, &pay).await?;
    let url = newest_button(sim, shop, &sevara, |d| d.starts_with("https://my.click.uz")).await?;
    let checkout = open_checkout(&url).context("not a Click checkout link")?;
    transcript.note(&format!("Sevara opens Click's checkout: order {}, {} so'm", checkout.order, checkout.amount));
    let (id, prepared, completed) = click.pay(&checkout).await?;
    transcript.note(&format!("Click → Prepare (click_trans_id {id}): {}", shown(&prepared)));
    let completed = completed.context("Prepare was refused")?;
    transcript.note(&format!("Click → Complete: {}", shown(&completed)));
    let linked = |s: &Simulator| {
        s.messages_in(shop.id, sevara.id).iter().any(|m| m.text.as_deref().unwrap_or("").contains("https://t.me/+"))
    };
    sim.wait_for(Duration::from_secs(5), linked).await;
    transcript.flush();
    Ok(())
}

/// A Click answer in one line.
fn shown(answer: &ClickAnswer) -> String {
    if answer.body.is_null() {
        format!("HTTP {}", answer.status)
    } else {
        answer.body.to_string()
    }
}
