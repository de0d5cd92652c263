//! The demo's platform part: Kamola buys a 1-month plan, the moderator approves it, the
//! advert leaves her seller bot; then her statistics (screen, chart, CSV) and the
//! moderator's dashboard.

use anyhow::Context as _;

use super::{newest_button, transcript::Transcript, CUSTOMER_ID};
use crate::simulator::{SimBot, SimUser, Simulator};

/// The plan purchase, its review, and the reports.
pub async fn plans_and_reports(
    sim: &Simulator,
    transcript: &mut Transcript,
    main_bot: &SimBot,
    (shop, kamola, moderator): (&SimBot, &SimUser, &SimUser),
) -> anyhow::Result<()> {
    transcript.section("Kamola buys a 1-month Getolog plan by card transfer");
    transcript.type_text(kamola, main_bot, "/plan", "/plan").await?;
    transcript.press(kamola, main_bot, "pl:1").await?;
    transcript.send_photo(kamola, main_bot, "the transfer to the platform's card").await?;

    transcript.section("The moderator approves the receipt; the advert leaves Kamola's bot");
    let approve = newest_button(sim, main_bot, moderator, |d| d.starts_with("pp:") && d.ends_with(":ok")).await?;
    transcript.press(moderator, main_bot, &approve).await?;
    let newcomer = sim.user(CUSTOMER_ID + 5, "Jasur", Some("jasur"));
    transcript.name(&newcomer);
    transcript.type_text(&newcomer, shop, "/start", "/start").await?;

    transcript.section("Kamola's statistics: the screen, the 30-day chart and the payments as CSV");
    transcript.type_text(kamola, main_bot, "/stats", "/stats").await?;
    transcript.press(kamola, main_bot, "st:a").await?;
    transcript.press(kamola, main_bot, "st:chart").await?;
    transcript.press(kamola, main_bot, "st:a:csv").await?;
    let csv = sim
        .messages_in(main_bot.id, kamola.id)
        .iter()
        .rev()
        .find_map(|m| m.document.clone())
        .and_then(|id| sim.file(&id))
        .context("the CSV export did not arrive")?;
    for line in String::from_utf8_lossy(&csv.1).lines().take(4) {
        transcript.note(&format!("payments.csv │ {line}"));
    }

    transcript.section("The moderator's dashboard");
    transcript.type_text(moderator, main_bot, "/panel", "/panel").await?;
    transcript.press(moderator, main_bot, "mp:d:a").await?;
    Ok(())
}
