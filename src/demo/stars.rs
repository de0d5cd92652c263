//! The demo's Telegram Stars scene: Kamola prices her chats in Stars; a customer subscribes
//! to the channel for 250 ⭐ a month, Telegram renews it twice on the demo's clock, he
//! cancels and is removed when what he paid runs out; another customer buys a year of the
//! group with one invoice and Kamola refunds it from the customer's card.

use std::sync::Arc;

use actix::Addr;
use anyhow::Context as _;

use super::{newest_button, transcript::Transcript, CUSTOMER_ID};
use crate::{
    actors::scheduler::{Job, RunJob, SchedulerActor},
    clock::{Clock, ManualClock},
    simulator::{Checkout, SimBot, SimUser, Simulator},
};

/// The whole Stars scene.
pub(super) async fn customers_pay_in_stars(
    sim: &Simulator,
    transcript: &mut Transcript,
    (main_bot, shop, kamola): (&SimBot, &SimBot, &SimUser),
    (clock, scheduler): (&ManualClock, &Addr<SchedulerActor>),
) -> anyhow::Result<()> {
    sim.use_clock_for_stars(Arc::new(clock.clone()));
    transcript
        .section("Kamola also sells for Telegram Stars: 250 ⭐ a month for the channel, 1 500 ⭐ a year for the group");
    transcript.type_text(kamola, main_bot, "/menu", "/menu").await?;
    transcript.press(kamola, main_bot, "c").await?;
    let chats: Vec<String> = sim
        .last_message(main_bot.id, kamola.id)
        .map(|m| m.buttons().concat())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(_, d)| d.strip_prefix("c:").filter(|id| id.parse::<i64>().is_ok()).map(str::to_owned))
        .collect();
    anyhow::ensure!(chats.len() == 2, "the channel and the group were not listed");
    for (id, stars) in chats.iter().zip(["250", "1500"]) {
        transcript.press(kamola, main_bot, "c").await?;
        transcript.press(kamola, main_bot, &format!("c:{id}")).await?;
        transcript.press(kamola, main_bot, &format!("c:{id}:stars")).await?;
        transcript.type_text(kamola, main_bot, stars, stars).await?;
    }
    transcript.type_text(kamola, main_bot, "/menu", "/menu").await?;
    for data in ["s", "s:methods", "s:method:stars:on"] {
        transcript.press(kamola, main_bot, data).await?;
    }
    subscription_renews_then_ends(sim, transcript, shop, &chats[0], (clock, scheduler)).await?;
    one_off_then_refund(sim, transcript, (main_bot, shop, kamola), &chats[1]).await
}

async fn subscription_renews_then_ends(
    sim: &Simulator,
    transcript: &mut Transcript,
    shop: &SimBot,
    channel: &str,
    (clock, scheduler): (&ManualClock, &Addr<SchedulerActor>),
) -> anyhow::Result<()> {
    let nodir = sim.user(CUSTOMER_ID + 20, "Nodir", Some("nodir"));
    transcript.name(&nodir);
    transcript.section("A customer subscribes to the channel for 250 ⭐ a month");
    transcript.type_text(&nodir, shop, "/start", "/start").await?;
    transcript.press(&nodir, shop, "lang:en").await?;
    transcript.press(&nodir, shop, &format!("buy:{channel}")).await?;
    transcript.press(&nodir, shop, &format!("pay:{channel}:stars")).await?;
    let link = newest_button(sim, shop, &nodir, |d| d.starts_with("https://t.me/$")).await?;
    let Checkout::Paid { charge_id, .. } = sim.pay_invoice_link(&nodir, &link).await? else {
        anyhow::bail!("the subscription was not paid");
    };
    transcript.note("Nodir pays in Telegram: pre_checkout_query answered ok, then successful_payment");
    wait_for_text(sim, shop, &nodir, "https://t.me/+").await;
    transcript.flush();

    let run = |job| async move {
        let outcome = scheduler.send(RunJob(job)).await?.context("the job's lock was busy")?;
        outcome.map_err(|e| anyhow::anyhow!("{job:?} failed: {e}"))
    };
    for renewal in 1..=2 {
        let end = paid_end(sim, &nodir).context("no subscription")?;
        transcript.section(&format!("30 days later (renewal {renewal}): Telegram charges 250 ⭐ again by itself"));
        clock.advance(chrono::Duration::seconds(end - clock.now().timestamp()));
        sim.renew_star_subscriptions(end, &[]).await?;
        let extended = |s: &Simulator| count_texts(s, shop, &nodir, "approved") > renewal;
        sim.wait_for(std::time::Duration::from_secs(10), extended).await;
        transcript.flush();
    }

    transcript.section("Nodir cancels the subscription in Telegram: his access runs to what he paid");
    sim.user_cancels_subscription(shop.id, &nodir, &charge_id, true).await?;
    wait_for_text(sim, shop, &nodir, "will not renew").await;
    transcript.flush();
    let end = paid_end(sim, &nodir).context("no subscription")?;
    clock.advance(chrono::Duration::seconds(end - clock.now().timestamp()) + chrono::Duration::hours(2));
    let removed = run(Job::Expiry).await?;
    transcript.note(&format!("the paid period is over: expiry job removed {}", removed.done));
    transcript.flush();
    Ok(())
}

async fn one_off_then_refund(
    sim: &Simulator,
    transcript: &mut Transcript,
    (main_bot, shop, kamola): (&SimBot, &SimBot, &SimUser),
    group: &str,
) -> anyhow::Result<()> {
    let olim = sim.user(CUSTOMER_ID + 21, "Olim", Some("olim"));
    transcript.name(&olim);
    transcript.section("Another customer buys a year of the group for 1 500 ⭐ with one invoice");
    transcript.type_text(&olim, shop, "/start", "/start").await?;
    transcript.press(&olim, shop, "lang:en").await?;
    transcript.press(&olim, shop, &format!("buy:{group}")).await?;
    transcript.press(&olim, shop, &format!("pay:{group}:stars")).await?;
    let invoice = sim.last_message(shop.id, olim.id).context("no invoice")?.message_id;
    let paid = sim.pay_invoice(shop.id, &olim, invoice).await?;
    anyhow::ensure!(matches!(paid, Checkout::Paid { .. }), "the invoice was not paid: {paid:?}");
    wait_for_text(sim, shop, &olim, "https://t.me/+").await;
    transcript.flush();

    transcript.section("Kamola refunds it from Olim's card: the Stars go back and the access is withdrawn");
    transcript.type_text(kamola, main_bot, "/menu", "/menu").await?;
    transcript.press(kamola, main_bot, "u:p:0").await?;
    let card = customer_button(sim, main_bot, kamola, "Olim").context("Olim is not listed")?;
    transcript.press(kamola, main_bot, &card).await?;
    let refund = newest_button(sim, main_bot, kamola, |d| d.starts_with("str:")).await?;
    transcript.press(kamola, main_bot, &refund).await?;
    transcript.press(kamola, main_bot, &format!("{refund}!")).await?;
    wait_for_text(sim, shop, &olim, "was refunded").await;
    let told = |s: &Simulator| count_texts(s, main_bot, kamola, "Telegram Stars payment #") > 1;
    sim.wait_for(std::time::Duration::from_secs(10), told).await;
    wait_for_text(sim, main_bot, kamola, "was refunded: 1 500 XTR").await;
    transcript.flush();
    Ok(())
}

/// Where the customer's newest Stars subscription charge pays to (Unix time).
fn paid_end(sim: &Simulator, user: &SimUser) -> Option<i64> {
    sim.star_payments().iter().filter(|p| p.user_id == user.id).filter_map(|p| p.subscription).map(|(end, _)| end).max()
}

/// The callback data of the customers-list button naming `name`.
fn customer_button(sim: &Simulator, bot: &SimBot, user: &SimUser, name: &str) -> Option<String> {
    let buttons = sim.last_message(bot.id, user.id)?.buttons().concat();
    buttons.into_iter().find(|(label, data)| label.contains(name) && data.starts_with("u:")).map(|(_, data)| data)
}

fn count_texts(sim: &Simulator, bot: &SimBot, user: &SimUser, needle: &str) -> usize {
    sim.messages_in(bot.id, user.id).iter().filter(|m| m.text.as_deref().unwrap_or("").contains(needle)).count()
}

async fn wait_for_text(sim: &Simulator, bot: &SimBot, user: &SimUser, needle: &str) {
    sim.wait_for(std::time::Duration::from_secs(10), |s| count_texts(s, bot, user, needle) > 0).await;
}
