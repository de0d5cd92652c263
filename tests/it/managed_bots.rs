//! One-tap shop bots (Bot API 9.6 managed bots), through the webhook front and the simulated
//! Telegram: the owner taps "Create my shop bot", confirms Telegram's form, and the bot is
//! connected with no token copied; a revoked token is replaced in one tap; a stranger's or a
//! second bot is refused; without bot management the button is not offered.

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{actors::scheduler::Job, db::schema::user_bots, simulator::SimBot};

use crate::support::{
    shop::{count_messages, wait_for_message},
    spawn_app, TestApp, TestEnv,
};

/// An app whose main bot has bot management switched on in @BotFather.
async fn managing_app() -> TestApp {
    let env = TestEnv::new().await;
    env.sim.allow_bot_management(env.main_bot.id, true);
    env.start().await
}

/// The owner presses "🤖 Create my shop bot" and confirms Telegram's pre-filled form.
async fn create_in_one_tap(app: &TestApp, owner: &getolog::simulator::SimUser) -> SimBot {
    let offer = app.press(app.main_id(), owner, "b:new").await;
    assert!(offer.text.as_deref().unwrap().contains("Create my shop bot"), "{offer:?}");
    let (bot, deliveries) =
        app.sim().press_create_bot_button(app.main_id(), owner, offer.message_id).await.expect("bot created");
    assert!(deliveries.iter().all(|d| d.is_success()), "{deliveries:?}");
    assert_eq!(app.sim().manager_of(bot.id), Some(app.main_id()));
    wait_for_message(app.sim(), app.main_id(), owner.id, &format!("@{} is live", bot.username)).await;
    bot
}

/// Waits until the `managed_bot` update Telegram sends after a token change was answered
/// 200 by the main bot (its webhook answers only after the work).
async fn token_change_handled(app: &TestApp) {
    let main = app.main_id();
    let answered = |s: &getolog::simulator::Simulator| {
        s.background_deliveries().iter().any(|d| d.bot_id == main && d.kind == "managed_bot" && d.status == 200)
    };
    assert!(app.sim().wait_for(std::time::Duration::from_secs(5), answered).await, "the update was not handled");
}

async fn stored_bot(app: &TestApp, telegram_bot_id: i64) -> Option<(bool, String)> {
    user_bots::table
        .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
        .select((user_bots::managed, user_bots::bot_token))
        .first(&mut app.db().await)
        .await
        .ok()
}

#[actix_web::test]
async fn a_shop_bot_created_in_one_tap_is_connected_and_serves_customers() {
    let app = managing_app().await;
    let owner = app.register_owner(7_000_000_961, "Nodira", "en").await;
    let menu = app.last_message(app.main_id(), owner.id);
    let data: Vec<String> = menu.buttons().concat().into_iter().map(|(_, d)| d).collect();
    assert!(data.starts_with(&["b:new".to_owned(), "b:token".to_owned()]), "both ways are offered: {data:?}");

    let offer = app.press(app.main_id(), &owner, "b:new").await;
    let request = app.sim().create_bot_request(app.main_id(), owner.id, offer.message_id).expect("the button");
    assert_eq!(request.suggested_name.as_deref(), Some("Nodira Shop"));
    assert_eq!(request.suggested_username.as_deref(), Some("nodira_shop_bot"));
    let (shop, deliveries) = app.sim().press_create_bot_button(app.main_id(), &owner, offer.message_id).await.unwrap();
    let live = wait_for_message(app.sim(), app.main_id(), owner.id, "@nodira_shop_bot is live").await;
    assert_eq!(live.reply_markup, Some(serde_json::json!({"remove_keyboard": true})), "the keyboard goes away");

    let (managed, token) = stored_bot(&app, shop.id).await.expect("the bot is stored");
    assert!(managed, "it is recorded as created by the main bot");
    assert_eq!(app.state.settings.vault.decrypt(&token).unwrap().expose(), shop.token, "the fetched token");
    assert!(app.wait_for_webhook(shop.id).await, "its webhook points here");
    let hook = app.sim().webhook(shop.id).unwrap();
    assert!(!hook.allowed_updates.iter().any(|k| k == "managed_bot"), "only the main bot hears of managed bots");
    assert!(app.sim().webhook(app.main_id()).unwrap().allowed_updates.iter().any(|k| k == "managed_bot"));

    let customer = app.user(7_100_000_961, "Aziza");
    let welcome = app.start_and_choose(shop.id, &customer, "en").await;
    assert!(welcome.text.unwrap().contains("@nodira_shop_bot"), "the new bot serves customers");

    // Telegram delivers the update again: nothing is connected or said twice, and the
    // `managed_bot_created` service message got no answer of its own.
    for delivery in &deliveries {
        assert!(app.sim().redeliver(app.main_id(), delivery.update_id).await.unwrap().is_success());
    }
    assert_eq!(count_messages(app.sim(), app.main_id(), owner.id, "is live"), 1);
    assert_eq!(count_messages(app.sim(), app.main_id(), owner.id, "I don't know that command"), 0);
    let rows: i64 = user_bots::table.count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(rows, 1);
}

#[actix_web::test]
async fn a_managed_bots_revoked_token_is_replaced_in_one_tap() {
    let app = managing_app().await;
    let owner = app.register_owner(7_000_000_962, "Jasur", "en").await;
    let shop = create_in_one_tap(&app, &owner).await;
    let old_token = shop.token.clone();

    app.sim().revoke_token(shop.id);
    app.run_job(Job::HealthCheck).await;
    let told = app.wait_for_owner_message(&owner, "no longer accepts the token").await;
    assert!(told.buttons().concat().iter().any(|(_, d)| d == "b:reissue"), "{told:?}");

    let hooks_before = app.sim().calls_to(shop.id, "setWebhook").len();
    let reply = app.press(app.main_id(), &owner, "b:reissue").await;
    assert!(reply.text.as_deref().unwrap().starts_with(&format!("✅ @{} is live again", shop.username)), "{reply:?}");
    // Telegram announces the new token with a managed_bot update: it is taken quietly (the
    // token is the one just stored), with no second notice and no second connection.
    token_change_handled(&app).await;
    assert_eq!(app.sim().calls_to(shop.id, "setWebhook").len(), hooks_before + 1, "connected once");
    assert_eq!(count_messages(app.sim(), app.main_id(), owner.id, "is live again"), 1);
    let new_token = app.sim().bot(shop.id).unwrap().token;
    // A second tap (a stale copy of the button on another device), with the bot serving
    // again: its working token is kept, not replaced once more.
    app.press_forged(app.main_id(), &owner, "b:reissue").await;
    assert_eq!(app.sim().calls_to(app.main_id(), "replaceManagedBotToken").len(), 1);
    assert_eq!(app.sim().bot(shop.id).unwrap().token, new_token);
    assert_ne!(new_token, old_token, "Telegram issued a new token");
    let (_, stored) = stored_bot(&app, shop.id).await.unwrap();
    assert_eq!(app.state.settings.vault.decrypt(&stored).unwrap().expose(), new_token);
    assert!(app.sim().calls_to(app.main_id(), "replaceManagedBotToken").len() == 1);

    let customer = app.user(7_100_000_962, "Bobur");
    let welcome = app.start_and_choose(shop.id, &customer, "en").await;
    assert!(welcome.text.unwrap().contains(&shop.username), "the bot serves again with its new token");
}

#[actix_web::test]
async fn a_strangers_managed_bot_and_a_second_bot_are_refused() {
    let app = managing_app().await;
    // Someone who never registered, with an English Telegram (the link path needs no button).
    let stranger = app.sim().add_user(app.user(7_000_000_963, "Stranger").with_language("en"));
    let (foreign, deliveries) =
        app.sim().create_managed_bot(app.main_id(), &stranger, "Stranger Shop", "stranger_shop_bot").await.unwrap();
    assert!(deliveries.iter().all(|d| d.is_success()));
    wait_for_message(app.sim(), app.main_id(), stranger.id, "only Getolog owners can connect").await;
    assert!(stored_bot(&app, foreign.id).await.is_none(), "nothing stored");
    assert!(app.sim().webhook(foreign.id).is_none(), "not connected");

    let owner = app.register_owner(7_000_000_964, "Kamola", "en").await;
    let first = app.connect_bot(&owner, "kamola_first_bot").await;
    let (second, _) =
        app.sim().create_managed_bot(app.main_id(), &owner, "Kamola Two", "kamola_second_bot").await.unwrap();
    wait_for_message(app.sim(), app.main_id(), owner.id, "You already have @kamola_first_bot connected").await;
    assert!(stored_bot(&app, second.id).await.is_none());
    assert!(app.sim().webhook(second.id).is_none());

    // The first bot was connected by token: Getolog cannot issue its token.
    app.press_forged(app.main_id(), &owner, "b:reissue").await;
    let reply = app.last_message(app.main_id(), owner.id);
    assert!(reply.text.unwrap().contains("not created through Getolog"));
    assert_eq!(app.sim().bot(first.id).unwrap().token, first.token, "its token is untouched");
    assert!(app.sim().calls_to(app.main_id(), "replaceManagedBotToken").is_empty());
}

#[actix_web::test]
async fn without_bot_management_only_the_token_path_is_offered() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_965, "Sardor", "en").await;
    let menu = app.last_message(app.main_id(), owner.id);
    let data: Vec<String> = menu.buttons().concat().into_iter().map(|(_, d)| d).collect();
    assert!(data.contains(&"b:token".to_owned()) && !data.contains(&"b:new".to_owned()), "{data:?}");

    app.press_forged(app.main_id(), &owner, "b:new").await;
    assert!(app.last_toast(app.main_id()).unwrap().contains("no longer active"));
    assert!(app
        .sim()
        .calls_to(app.main_id(), "sendMessage")
        .iter()
        .all(|c| c.params.get("reply_markup").is_none_or(|m| !m.to_string().contains("request_managed_bot"))));
    let report = getolog::status::report(&app.state.settings).await.unwrap();
    assert!(report.contains("One-tap shop bots (main bot may manage bots): no"), "{report}");
    // The simulator refuses the button to a bot without bot management, as Telegram does.
    let refused = app.sim().create_managed_bot(app.main_id(), &owner, "Sardor Shop", "sardor_shop_bot").await;
    assert!(refused.is_err());
}

#[actix_web::test]
async fn a_telegram_outage_while_fetching_the_token_is_recovered_by_the_redelivery() {
    use getolog::simulator::{Fault, FaultRule};
    let app = managing_app().await;
    let owner = app.register_owner(7_000_000_966, "Laylo", "en").await;
    let offer = app.press(app.main_id(), &owner, "b:new").await;
    let method = Some("getManagedBotToken".to_owned());
    app.sim().inject_fault(FaultRule { bot_id: Some(app.main_id()), method, times: 1, fault: Fault::ServerError(502) });
    let (shop, deliveries) = app.sim().press_create_bot_button(app.main_id(), &owner, offer.message_id).await.unwrap();
    // (teloxide-core waits 10 s after a 5xx before it reports it.)
    let created = deliveries[0].clone();
    assert!(!created.is_success(), "the update is not acknowledged while the token cannot be fetched");
    assert!(stored_bot(&app, shop.id).await.is_none());

    let again = app.sim().redeliver(app.main_id(), created.update_id).await.unwrap();
    assert!(again.is_success());
    wait_for_message(app.sim(), app.main_id(), owner.id, "@laylo_shop_bot is live").await;
    assert!(stored_bot(&app, shop.id).await.is_some_and(|(managed, _)| managed));
    assert_eq!(count_messages(app.sim(), app.main_id(), owner.id, "is live"), 1);
}

#[actix_web::test]
async fn a_disconnected_managed_bot_stays_disconnected_when_its_token_changes() {
    let app = managing_app().await;
    let owner = app.register_owner(7_000_000_967, "Zarina", "en").await;
    let shop = create_in_one_tap(&app, &owner).await;
    app.press(app.main_id(), &owner, "b").await;
    app.press(app.main_id(), &owner, "b:off").await;
    app.press(app.main_id(), &owner, "b:off!").await;
    let said = app.sim().messages_in(app.main_id(), owner.id).len();

    // The token changes (as @BotFather or another manager call would): the update arrives.
    let url = format!("{}bot{}/replaceManagedBotToken", app.sim().api_url(), app.env.main_bot.token);
    let answer = reqwest::Client::new().post(url).json(&serde_json::json!({"user_id": shop.id})).send().await.unwrap();
    assert!(answer.status().is_success());
    token_change_handled(&app).await;
    let active: bool = user_bots::table
        .filter(user_bots::telegram_bot_id.eq(shop.id))
        .select(user_bots::is_active)
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert!(!active, "a disconnected bot is not brought back by a token change");
    assert!(app.sim().webhook(shop.id).is_none());
    assert_eq!(app.sim().messages_in(app.main_id(), owner.id).len(), said, "nothing said");

    // The database guards it too: a token the main bot fetched cannot reconnect a bot that
    // was disconnected between the check and the write (another node's press).
    use getolog::services::bots::{record_connection, ConnectError, Origin};
    let owner_row: i64 = user_bots::table
        .filter(user_bots::telegram_bot_id.eq(shop.id))
        .select(user_bots::user_admin_id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    let token = getolog::crypto::BotToken::parse(&app.sim().bot(shop.id).unwrap().token).unwrap();
    let fetched = record_connection(&app.state, owner_row, &token, &shop.username, Origin::Managed).await;
    assert!(matches!(fetched, Err(ConnectError::Disconnected)), "{fetched:?}");
    let pasted = record_connection(&app.state, owner_row, &token, &shop.username, Origin::Token).await;
    assert!(pasted.is_ok_and(|(record, renewed)| renewed && record.managed), "the owner may paste it back");
}

#[actix_web::test]
async fn a_token_changed_in_botfather_is_taken_by_itself_and_quietly() {
    let app = managing_app().await;
    let owner = app.register_owner(7_000_000_968, "Umida", "en").await;
    let shop = create_in_one_tap(&app, &owner).await;
    let (hooks_before, said) =
        (app.sim().calls_to(shop.id, "setWebhook").len(), app.sim().messages_in(app.main_id(), owner.id).len());
    // The owner revokes the token in @BotFather: Telegram tells the manager (managed_bot).
    let current = app.sim().new_token(shop.id).unwrap();
    token_change_handled(&app).await;

    let (_, stored) = stored_bot(&app, shop.id).await.unwrap();
    assert_eq!(app.state.settings.vault.decrypt(&stored).unwrap().expose(), current, "the new token is in use");
    assert_eq!(app.sim().calls_to(shop.id, "setWebhook").len(), hooks_before + 1, "reconnected once");
    assert_eq!(app.sim().messages_in(app.main_id(), owner.id).len(), said, "nothing to tell the owner");
    assert!(app.sim().calls_to(app.main_id(), "replaceManagedBotToken").is_empty(), "no token issued");
    let customer = app.user(7_100_000_968, "Dono");
    let welcome = app.start_and_choose(shop.id, &customer, "en").await;
    assert!(welcome.text.unwrap().contains(&shop.username));
}

#[actix_web::test]
async fn a_refusal_of_a_token_already_replaced_does_not_stop_the_bot() {
    use getolog::db::bot_health::mark_revoked;
    let app = managing_app().await;
    let owner = app.register_owner(7_000_000_969, "Shahlo", "en").await;
    let shop = create_in_one_tap(&app, &owner).await;
    let (_, before) = stored_bot(&app, shop.id).await.unwrap();
    // A health check read the token, then the token changed and the bot reconnected; the
    // check's 401 about the old token arrives late.
    app.sim().new_token(shop.id).unwrap();
    token_change_handled(&app).await;
    let mut conn = app.db().await;
    let now = app.state.clock.now();
    assert!(!mark_revoked(&mut conn, shop.id, Some(&before), now).await.unwrap(), "the old token's refusal");
    let health: String = user_bots::table
        .filter(user_bots::telegram_bot_id.eq(shop.id))
        .select(user_bots::health)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(health, "alive");
    let (_, current) = stored_bot(&app, shop.id).await.unwrap();
    assert!(mark_revoked(&mut conn, shop.id, Some(&current), now).await.unwrap(), "the stored token's refusal");
}
