//! The first flow through every layer: owners in the main bot, end users in a seller bot
//! that was in the database at start-up.

use crate::support::{spawn_app, TestEnv, MODERATOR_ID};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::db::schema::{admin_subscriptions, end_users, user_admins};

#[actix_web::test]
async fn an_owner_starts_the_main_bot_chooses_russian_and_is_registered() {
    let app = spawn_app().await;
    let bot = app.env.main_bot.id;
    let owner = app.user(7_000_000_001, "Dilshod");
    app.sim().send_text(bot, &owner, "/start").await.unwrap();
    let prompt = app.last_message(bot, owner.id);
    let buttons = app.sim().buttons(bot, owner.id, prompt.message_id);
    let data: Vec<_> = buttons.concat().into_iter().map(|(_, data)| data).collect();
    assert_eq!(data, ["lang:uz", "lang:en", "lang:ru"]);

    let _moderator_start = app.sim().send_text(bot, &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let reply = app.start_and_choose(bot, &owner, "ru").await;
    assert!(reply.text.as_deref().unwrap().starts_with("👋 Добро пожаловать в Getolog, Dilshod!"), "{reply:?}");

    let mut conn = app.db().await;
    let (language, name): (String, String) = user_admins::table
        .filter(user_admins::telegram_id.eq(owner.id))
        .select((user_admins::language, user_admins::full_name))
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!((language.as_str(), name.as_str()), ("ru", "Dilshod"));
    let plans: Vec<String> =
        admin_subscriptions::table.select(admin_subscriptions::plan).load(&mut conn).await.unwrap();
    assert_eq!(plans, ["free"], "a new owner starts on the Free plan");

    let alerted = app.sim().wait_for(std::time::Duration::from_secs(5), |s| {
        s.messages_in(bot, MODERATOR_ID)
            .iter()
            .any(|m| m.text.as_deref().unwrap_or("").contains("New owner registered: Dilshod"))
    });
    assert!(alerted.await, "the moderator was not told about the new owner");

    // Choosing again changes the language but does not register twice.
    let reply = app.start_and_choose(bot, &owner, "en").await;
    assert!(reply.text.unwrap().starts_with("✅ Language set to English."));
    let owners: i64 = user_admins::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!(owners, 1);
}

#[actix_web::test]
async fn a_seller_bot_present_at_start_up_serves_its_own_language_keyboard() {
    let env = TestEnv::new().await;
    let shop = env.seed_seller_bot(7_000_000_002, "shop_bot").await;
    let app = env.start().await;
    assert!(app.wait_for_webhook(shop.id).await, "seller bot webhook not registered");
    let hook = app.sim().webhook(shop.id).unwrap();
    for kind in ["message", "callback_query", "my_chat_member", "chat_member", "chat_join_request"] {
        assert!(hook.allowed_updates.iter().any(|k| k == kind), "{kind} missing from allowed_updates");
    }
    assert_ne!(hook.secret_token, app.sim().webhook(app.env.main_bot.id).unwrap().secret_token);

    let customer = app.user(7_100_000_001, "Aziza");
    let reply = app.start_and_choose(shop.id, &customer, "uz").await;
    // The welcome and the offer (here: not selling yet) in place of the language screen.
    assert_eq!(
        reply.text.as_deref(),
        Some("👋 Assalomu alaykum, Aziza! Bu @shop_bot. Bu yerda yopiq kanal va guruhimizga kirish huquqini sotib olishingiz mumkin.\n\n🙏 Sotuv hali ochilmagan. Iltimos, birozdan so'ng qaytib keling.")
    );
    assert!(
        app.sim().messages_in(app.env.main_bot.id, customer.id).is_empty(),
        "the main bot answered a seller bot's user"
    );

    let mut conn = app.db().await;
    let language: Option<String> = end_users::table
        .filter(end_users::telegram_id.eq(customer.id))
        .select(end_users::language)
        .first(&mut conn)
        .await
        .unwrap();
    assert_eq!(language.as_deref(), Some("uz"));
}
