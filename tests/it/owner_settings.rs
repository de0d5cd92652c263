//! Selling settings in the main bot: price, period and currency per chat; card number and
//! holder; payment methods; welcome texts per language. Also the conversation state
//! (Redis, survives a restart, `/cancel`), stale buttons, forged callback data and bans.

use crate::support::{spawn_app, TestApp};
use bigdecimal::BigDecimal;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::{channels, user_admins, user_bots},
    simulator::{ChatKind, Rights, SimUser},
};

/// An owner with a connected bot and a linked channel; returns (owner, bot id, channel row id).
async fn owner_with_channel(app: &TestApp, id: i64, name: &str) -> (SimUser, i64, i64) {
    let owner = app.register_owner(id, name, "en").await;
    let shop = app.connect_bot(&owner, &format!("{}_bot", name.to_lowercase())).await;
    let chat = app.sim().create_chat(ChatKind::Channel, &format!("{name}'s club"));
    app.sim().set_bot_rights(chat, shop.id, Some(Rights::getolog())).await.unwrap();
    app.wait_for_owner_message(&owner, "Sell access to this channel?").await;
    let row: i64 = channels::table
        .filter(channels::telegram_chat_id.eq(chat))
        .select(channels::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    app.press(app.main_id(), &owner, &format!("c:{row}:link")).await;
    (owner, shop.id, row)
}

async fn terms(app: &TestApp, row: i64) -> (Option<BigDecimal>, i32, String) {
    channels::table
        .filter(channels::id.eq(row))
        .select((channels::price, channels::duration_months, channels::currency))
        .first(&mut app.db().await)
        .await
        .unwrap()
}

#[actix_web::test]
async fn price_period_and_currency_are_set_per_chat_with_clear_errors() {
    let app = spawn_app().await;
    let (owner, _, row) = owner_with_channel(&app, 7_000_000_301, "Kamola").await;
    assert_eq!(terms(&app, row).await, (None, 1, "UZS".to_owned()), "defaults");

    let ask = app.press(app.main_id(), &owner, &format!("c:{row}:price")).await;
    assert!(ask.text.unwrap().contains("in UZS"));
    for (bad, expected) in [
        ("abc", "not a price I can read"),
        ("0", "more than zero"),
        ("1.2345", "at most 2 digits"),
        ("-5", "not a price"),
    ] {
        let reply = app.say(app.main_id(), &owner, bad).await;
        assert!(reply.text.as_deref().unwrap().contains(expected), "{bad}: {reply:?}");
    }
    let saved = app.say(app.main_id(), &owner, "50 000").await;
    assert!(saved.text.unwrap().starts_with("✅ Saved: 50 000 UZS / 1 month."));
    assert_eq!(terms(&app, row).await.0, Some("50000".parse().unwrap()));

    app.press(app.main_id(), &owner, &format!("c:{row}:price")).await;
    app.say(app.main_id(), &owner, "50,000.50").await;
    assert_eq!(terms(&app, row).await.0, Some("50000.50".parse().unwrap()));

    app.press(app.main_id(), &owner, &format!("c:{row}:period")).await;
    app.press(app.main_id(), &owner, &format!("c:{row}:period:6")).await;
    app.press(app.main_id(), &owner, &format!("c:{row}:cur")).await;
    let screen = app.press(app.main_id(), &owner, &format!("c:{row}:cur:USD")).await;
    assert!(screen.text.unwrap().contains("50 000.50 USD / 6 months"));
    app.press(app.main_id(), &owner, &format!("c:{row}:period")).await;
    app.press(app.main_id(), &owner, &format!("c:{row}:period:0")).await;
    assert_eq!(terms(&app, row).await, (Some("50000.50".parse().unwrap()), 0, "USD".to_owned()));
}

#[actix_web::test]
async fn card_holder_methods_and_welcome_texts() {
    let app = spawn_app().await;
    let (owner, shop, _) = owner_with_channel(&app, 7_000_000_302, "Dilshod").await;
    let main = app.main_id();
    app.say(main, &owner, "/menu").await;
    app.press(main, &owner, "s").await;
    app.press(main, &owner, "s:card").await;
    for (bad, expected) in
        [("8600 1234 abcd 1239", "digits only"), ("8600 1234", "16 or 19 digits"), ("8600 1234 1234 1234", "not valid")]
    {
        let reply = app.say(main, &owner, bad).await;
        assert!(reply.text.as_deref().unwrap().contains(expected), "{bad}: {reply:?}");
    }
    let saved = app.say(main, &owner, "8600 1234 1234 1239").await;
    let text = saved.text.unwrap();
    assert!(text.contains("Card number saved") && text.contains("8600 •••• •••• 1239"), "{text}");
    app.press(main, &owner, "s:holder").await;
    assert!(app.say(main, &owner, "R2-D2").await.text.unwrap().contains("letters, spaces"));
    assert!(app.say(main, &owner, "Dilshod  Karimov").await.text.unwrap().contains("Card holder: Dilshod Karimov"));
    let (card, holder): (Option<String>, Option<String>) = user_bots::table
        .select((user_bots::card_number, user_bots::card_holder))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!((card.as_deref(), holder.as_deref()), (Some("8600123412341239"), Some("Dilshod Karimov")));

    app.press(main, &owner, "s:methods").await;
    app.press(main, &owner, "s:method:card:off").await;
    assert_eq!(app.last_toast(main).as_deref(), Some("At least one payment method must stay on."));

    // Welcome text per language, shown to end users of that language, and reset.
    app.say(main, &owner, "/menu").await;
    app.press(main, &owner, "s").await;
    app.press(main, &owner, "s:welcome").await;
    app.press(main, &owner, "s:welcome:en").await;
    app.say(main, &owner, "Welcome to the best signals in Tashkent!").await;
    let customer = app.user(7_100_000_302, "Aziza");
    let seen = app.start_and_choose(shop, &customer, "en").await;
    let seen = seen.text.unwrap();
    assert!(seen.starts_with("Welcome to the best signals in Tashkent!\n\n"), "the welcome, then the offer: {seen}");
    let seen_uz = app.start_and_choose(shop, &customer, "uz").await;
    assert!(seen_uz.text.unwrap().starts_with("👋 Assalomu alaykum"), "other languages keep the default");
    app.say(main, &owner, "/menu").await;
    app.press(main, &owner, "s").await;
    app.press(main, &owner, "s:welcome").await;
    app.press(main, &owner, "s:welcome:en:reset").await;
    let seen = app.start_and_choose(shop, &customer, "en").await;
    assert!(seen.text.unwrap().starts_with("👋 Hello, Aziza!"));
}

#[actix_web::test]
async fn an_input_step_survives_a_restart_and_cancel_leaves_it() {
    let app = spawn_app().await;
    let (owner, _, row) = owner_with_channel(&app, 7_000_000_303, "Malika").await;
    app.press(app.main_id(), &owner, &format!("c:{row}:price")).await;
    let app = app.restart().await;
    let saved = app.say(app.main_id(), &owner, "75000").await;
    assert!(saved.text.unwrap().starts_with("✅ Saved: 75 000 UZS"), "the step was kept across the restart");

    app.press(app.main_id(), &owner, &format!("c:{row}:price")).await;
    let cancelled = app.say(app.main_id(), &owner, "/cancel").await;
    assert!(cancelled.text.unwrap().starts_with("↩️ Cancelled."));
    let reply = app.say(app.main_id(), &owner, "90000").await;
    assert!(reply.text.unwrap().starts_with("I don't know that command"));
    assert_eq!(terms(&app, row).await.0, Some("75000".parse().unwrap()), "typed text after /cancel changed nothing");
}

#[actix_web::test]
async fn forged_or_stale_buttons_reach_nothing() {
    let app = spawn_app().await;
    let (victim, _, row) = owner_with_channel(&app, 7_000_000_304, "Bekzod").await;
    let intruder = app.register_owner(7_000_000_305, "Intruder", "en").await;
    app.connect_bot(&intruder, "intruder_bot").await;

    for data in [
        format!("c:{row}"),
        format!("c:{row}:period:12"),
        format!("c:{row}:cur:USD"),
        format!("c:{row}:unlink!"),
        format!("c:{row}:price"),
    ] {
        app.press_forged(app.main_id(), &intruder, &data).await;
        assert_eq!(
            app.last_toast(app.main_id()).as_deref(),
            Some("This button is no longer active. Send /start to begin again.")
        );
    }
    let reply = app.say(app.main_id(), &intruder, "1").await;
    assert!(reply.text.unwrap().starts_with("I don't know that command"), "no price step was entered");
    assert_eq!(terms(&app, row).await, (None, 1, "UZS".to_owned()), "the victim's channel is untouched");
    let status: String = channels::table.select(channels::link_status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "linked");
    assert!(app.sim().messages_in(app.main_id(), victim.id).iter().all(|m| !m
        .text
        .as_deref()
        .unwrap_or("")
        .contains("Intruder")));

    // A stale button: the Link button of a chat that is linked already.
    app.press_forged(app.main_id(), &victim, &format!("c:{row}:link")).await;
    assert_eq!(
        app.last_toast(app.main_id()).as_deref(),
        Some("This button is no longer active. Send /start to begin again.")
    );
}

#[actix_web::test]
async fn a_banned_owner_gets_a_short_notice_and_nothing_else() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_306, "Banned", "en").await;
    diesel::update(user_admins::table.filter(user_admins::telegram_id.eq(owner.id)))
        .set(user_admins::banned.eq(true))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    let shop = app.sim().create_bot("banned_bot");
    for text in ["/start".to_owned(), "/menu".to_owned(), shop.token.clone()] {
        let reply = app.say(app.main_id(), &owner, &text).await;
        assert_eq!(reply.text.as_deref(), Some("⛔ Your access to this bot has been restricted."));
    }
    assert!(app.sim().webhook(shop.id).is_none(), "a banned owner connected nothing");
}

#[actix_web::test]
async fn a_token_or_a_command_typed_during_a_question_is_not_taken_as_the_answer() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_307, "Careful", "en").await;
    let shop = app.connect_bot(&owner, "careful_bot").await;
    let main = app.main_id();
    app.say(main, &owner, "/menu").await;
    app.press(main, &owner, "s").await;
    app.press(main, &owner, "s:welcome").await;
    app.press(main, &owner, "s:welcome:en").await;
    let reply = app.say(main, &owner, "/help").await;
    assert!(reply.text.unwrap().contains("waiting for your answer"));
    // A fresh token pasted into the welcome question renews the bot; it is never published.
    let token = app.sim().new_token(shop.id).unwrap();
    let reply = app.say(main, &owner, &token).await;
    assert!(reply.text.unwrap().starts_with("✅ @careful_bot is live again"));
    let welcome: serde_json::Value =
        user_bots::table.select(user_bots::welcome_message).first(&mut app.db().await).await.unwrap();
    assert_eq!(welcome, serde_json::json!({}), "the token did not become a welcome text");
    let log = app.sim().chat_log(main, owner.id);
    assert!(log.iter().filter(|m| m.raw_text.as_deref() == Some(token.as_str())).all(|m| m.deleted));
}
