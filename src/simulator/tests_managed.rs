//! Managed bots in the simulator: the creation button, the updates the manager gets, and
//! who may fetch or replace a managed bot's token.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use crate::simulator::tests::{call, setup};

#[actix_web::test]
async fn a_bot_created_through_the_button_is_announced_and_only_its_manager_gets_its_token() {
    let (sim, manager, hook) = setup(json!(["message", "callback_query", "managed_bot"])).await;
    let user = sim.user(5_000_000_101, "Ali", None);
    sim.send_text(manager.id, &user, "/start").await.unwrap();
    let keyboard = json!({"keyboard": [[{"text": "Create", "request_managed_bot":
        {"request_id": 1, "suggested_name": "Ali Shop", "suggested_username": "ali_shop_bot"}}]]});
    let send = json!({"chat_id": user.id, "text": "Tap below", "reply_markup": keyboard});
    let (code, refused) = call(&sim, &manager.token, "sendMessage", send.clone()).await;
    assert_eq!((code, refused["description"].as_str()), (400, Some("Bad Request: BOT_MANAGEMENT_DISABLED")));

    sim.allow_bot_management(manager.id, true);
    let (_, me) = call(&sim, &manager.token, "getMe", json!({})).await;
    assert_eq!(me["result"]["can_manage_bots"], true);
    let (code, sent) = call(&sim, &manager.token, "sendMessage", send).await;
    assert_eq!(code, 200);
    let message_id = sent["result"]["message_id"].as_i64().unwrap();
    let (bot, deliveries) = sim.press_create_bot_button(manager.id, &user, message_id).await.unwrap();
    assert_eq!(bot.username, "ali_shop_bot");
    assert!(deliveries.iter().all(|d| d.is_success()));
    let updates = hook.updates();
    let created = updates.iter().find(|u| u.get("managed_bot").is_some()).expect("managed_bot update");
    assert_eq!(created["managed_bot"]["user"]["id"], user.id);
    assert_eq!(created["managed_bot"]["bot"]["username"], "ali_shop_bot");
    assert_eq!(created["managed_bot"]["bot"]["first_name"], "Ali Shop");
    assert!(updates.iter().any(|u| u.pointer("/message/managed_bot_created/bot/id") == Some(&json!(bot.id))));

    let (_, token) = call(&sim, &manager.token, "getManagedBotToken", json!({"user_id": bot.id})).await;
    assert_eq!(token["result"], bot.token.as_str());
    let stranger = sim.create_bot("other_bot");
    let (code, _) = call(&sim, &stranger.token, "getManagedBotToken", json!({"user_id": bot.id})).await;
    assert_eq!(code, 400, "only the manager may fetch it");

    let (_, replaced) = call(&sim, &manager.token, "replaceManagedBotToken", json!({"user_id": bot.id})).await;
    let new_token = replaced["result"].as_str().unwrap();
    assert_ne!(new_token, bot.token);
    assert_eq!(call(&sim, &bot.token, "getMe", json!({})).await.0, 401, "the old token is dead");
    assert_eq!(call(&sim, new_token, "getMe", json!({})).await.0, 200);

    // A taken or malformed username is refused, as Telegram's form does.
    assert!(sim.create_managed_bot(manager.id, &user, "Again", "ali_shop_bot").await.is_err());
    assert!(sim.create_managed_bot(manager.id, &user, "Bad", "no_suffix").await.is_err());
}
