//! An owner connects a seller bot by its token in the main bot: validated with `getMe`,
//! stored encrypted, webhook set, live at once; every refusal; token replacement;
//! disconnection.

use crate::support;

use crate::support::spawn_app;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{actors::supervisor::registry::BotState, db::schema::user_bots};

async fn bot_rows(app: &support::TestApp) -> i64 {
    user_bots::table.count().get_result(&mut app.db().await).await.unwrap()
}

#[actix_web::test]
async fn a_connected_bot_is_stored_encrypted_and_serves_at_once() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_101, "Kamola", "en").await;
    let how_to = app.press(app.main_id(), &owner, "b:token").await;
    assert!(how_to.text.unwrap().contains("@BotFather"), "the how-to names BotFather");

    let shop = app.sim().create_bot("kamola_shop_bot");
    let reply = app.say(app.main_id(), &owner, &shop.token).await;
    assert!(reply.text.as_deref().unwrap().starts_with("✅ @kamola_shop_bot is live!"), "{reply:?}");
    assert!(app.wait_for_webhook(shop.id).await);
    assert_eq!(app.bot_state(shop.id), Some(BotState::Alive), "actor started without a restart");
    let history = app.sim().chat_log(app.main_id(), owner.id);
    let token_message = history.iter().find(|m| m.raw_text.as_deref() == Some(shop.token.as_str())).unwrap();
    assert!(token_message.deleted, "the message carrying the token was deleted");
    let commands = app.sim().commands(shop.id).expect("setMyCommands");
    assert!(commands.to_string().contains("start"), "{commands}");

    let stored: String = user_bots::table
        .filter(user_bots::telegram_bot_id.eq(shop.id))
        .select(user_bots::bot_token)
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert!(!stored.contains(&shop.token), "token stored in clear");
    assert_eq!(app.state.settings.vault.decrypt(&stored).unwrap().expose(), shop.token);

    let customer = app.user(7_100_000_101, "Aziza");
    let welcome = app.start_and_choose(shop.id, &customer, "en").await;
    assert!(welcome.text.unwrap().contains("@kamola_shop_bot"));
}

#[actix_web::test]
async fn every_bad_token_is_refused_with_a_reason_and_nothing_is_stored() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_102, "Dilshod", "en").await;
    let other = app.register_owner(7_000_000_103, "Rustam", "en").await;
    let taken = app.connect_bot(&other, "rustam_bot").await;
    let before = bot_rows(&app).await;

    app.press(app.main_id(), &owner, "b:token").await;
    let cases = [
        ("hello there".to_owned(), "does not look like a bot token"),
        (app.env.main_bot.token.clone(), "Getolog's own token"),
        (taken.token.clone(), "already registered on Getolog by someone else"),
    ];
    for (text, expected) in cases {
        let reply = app.say(app.main_id(), &owner, &text).await;
        assert!(reply.text.as_deref().unwrap().contains(expected), "{text}: {reply:?}");
    }
    let revoked = app.sim().create_bot("revoked_bot");
    app.sim().revoke_token(revoked.id);
    let reply = app.say(app.main_id(), &owner, &revoked.token).await;
    assert!(reply.text.unwrap().contains("Telegram refused this token"));
    assert_eq!(bot_rows(&app).await, before, "a refused token stored something");
    assert!(app.sim().webhook(revoked.id).is_none());

    // One bot per owner.
    let first = app.connect_bot(&owner, "dilshod_bot").await;
    let second = app.sim().create_bot("dilshod_second_bot");
    let reply = app.say(app.main_id(), &owner, &second.token).await;
    assert!(reply.text.unwrap().contains("You already have @dilshod_bot connected"));
    assert!(app.sim().webhook(second.id).is_none());
    assert_eq!(app.bot_state(first.id), Some(BotState::Alive));
}

#[actix_web::test]
async fn a_revoked_token_is_replaced_on_the_same_bot_and_data_is_kept() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_104, "Malika", "en").await;
    let shop = app.connect_bot(&owner, "malika_bot").await;
    let row_id: i64 = user_bots::table.select(user_bots::id).first(&mut app.db().await).await.unwrap();

    let new_token = app.sim().new_token(shop.id).unwrap();
    app.say(app.main_id(), &owner, "/menu").await;
    app.press(app.main_id(), &owner, "b").await;
    let ask = app.press(app.main_id(), &owner, "b:token").await;
    assert!(ask.text.unwrap().contains("Send the new token of @malika_bot"));
    let reply = app.say(app.main_id(), &owner, &new_token).await;
    assert!(reply.text.as_deref().unwrap().starts_with("✅ @malika_bot is live again"), "{reply:?}");

    let (id, stored): (i64, String) =
        user_bots::table.select((user_bots::id, user_bots::bot_token)).first(&mut app.db().await).await.unwrap();
    assert_eq!(id, row_id, "same bot, same row");
    assert_eq!(app.state.settings.vault.decrypt(&stored).unwrap().expose(), new_token);
    let customer = app.user(7_100_000_104, "Aziz");
    let welcome = app.start_and_choose(shop.id, &customer, "en").await;
    assert!(welcome.text.unwrap().contains("@malika_bot"), "the bot serves with its new token");
}

#[actix_web::test]
async fn a_disconnected_bot_stops_and_can_be_connected_again() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_105, "Bekzod", "en").await;
    let shop = app.connect_bot(&owner, "bekzod_bot").await;
    app.say(app.main_id(), &owner, "/menu").await;
    app.press(app.main_id(), &owner, "b").await;
    let confirm = app.press(app.main_id(), &owner, "b:off").await;
    assert!(confirm.text.unwrap().contains("Disconnect @bekzod_bot?"));
    let done = app.press(app.main_id(), &owner, "b:off!").await;
    assert!(done.text.unwrap().contains("@bekzod_bot is disconnected"));

    assert!(app.sim().webhook(shop.id).is_none(), "webhook deleted");
    assert!(app.sim().wait_for(std::time::Duration::from_secs(5), |_| app.bot_state(shop.id).is_none()).await);
    let active: bool = user_bots::table.select(user_bots::is_active).first(&mut app.db().await).await.unwrap();
    assert!(!active, "row kept, marked disconnected");

    // The old confirmation button is stale now.
    app.sim().press_button(app.main_id(), &owner, confirm.message_id, "b:off!").await.ok();
    let reply = app.say(app.main_id(), &owner, &shop.token).await;
    assert!(reply.text.as_deref().unwrap().starts_with("✅ @bekzod_bot is live again"), "{reply:?}");
    assert_eq!(bot_rows(&app).await, 1, "reconnecting reuses the row");
    assert!(app.wait_for_webhook(shop.id).await);
}

#[actix_web::test]
async fn telegram_trouble_while_checking_a_token_stores_nothing_and_says_try_again() {
    use getolog::simulator::{Fault, FaultRule};
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_106, "Sardor", "en").await;
    let shop = app.sim().create_bot("sardor_bot");
    app.sim().inject_fault(FaultRule {
        bot_id: Some(shop.id),
        method: Some("getMe".into()),
        times: 1,
        fault: Fault::TooManyRequests { retry_after: 30 },
    });
    app.press(app.main_id(), &owner, "b:token").await;
    let reply = app.say(app.main_id(), &owner, &shop.token).await;
    assert!(reply.text.unwrap().contains("Telegram did not answer just now"));
    assert_eq!(bot_rows(&app).await, 0);
    let reply = app.say(app.main_id(), &owner, &shop.token).await;
    assert!(reply.text.unwrap().starts_with("✅ @sardor_bot is live!"), "the step stays: the next try connects");
}

#[actix_web::test]
async fn the_owner_changes_language_from_the_menu() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_107, "Olim", "en").await;
    app.press(app.main_id(), &owner, "l").await;
    let menu = app.press(app.main_id(), &owner, "lang:ru").await;
    assert!(menu.text.unwrap().starts_with("✅ Выбран русский язык."));
    let again = app.say(app.main_id(), &owner, "/menu").await;
    assert!(again.text.unwrap().starts_with("🏠 Главное меню"));
}
