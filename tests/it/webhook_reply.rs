//! The answer to a button press rides on the webhook's reply (one Bot API round trip fewer
//! per press), after the press's work is done; a press that fails midway gets its answer
//! from the redelivery that completes it, once.

use crate::support;

use crate::support::spawn_app;
use getolog::simulator::{Fault, FaultRule};

const ANSWER: &str = "answerCallbackQuery";

#[actix_web::test]
async fn a_press_is_answered_in_the_webhook_reply_after_its_work() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_019_001, "reply_shop_bot").await;
    let customer = app.user(7_100_019_001, "Aziza");
    app.sim().send_text(shop.bot, &customer, "/start").await.unwrap();
    let prompt = app.last_message(shop.bot, customer.id);

    let pressed = app.sim().press_button(shop.bot, &customer, prompt.message_id, "lang:en").await.unwrap();
    assert_eq!(pressed.status, 200);
    assert_eq!(app.sim().webhook_replies(shop.bot, ANSWER), 1, "the answer came in the reply");
    assert_eq!(app.sim().calls_received(shop.bot, ANSWER), 1, "and not as a call of its own");
    let offer = app.last_message(shop.bot, customer.id).text.unwrap();
    assert!(offer.contains("Access you can buy"), "the work was done before the answer: {offer}");
}

#[actix_web::test]
async fn a_press_that_fails_midway_is_answered_once_by_the_redelivery_that_completes_it() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_019_002, "reply_fail_shop_bot").await;
    let customer = app.user(7_100_019_002, "Bobur");
    app.sim().send_text(shop.bot, &customer, "/start").await.unwrap();
    let prompt = app.last_message(shop.bot, customer.id);
    // The offer (the press's last message) fails once at Telegram.
    app.sim().inject_fault(FaultRule {
        bot_id: Some(shop.bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: Fault::ServerError(502),
    });

    let failed = app.sim().press_button(shop.bot, &customer, prompt.message_id, "lang:en").await.unwrap();
    assert_ne!(failed.status, 200, "a press that failed midway is not acknowledged");
    assert_eq!(app.sim().calls_received(shop.bot, ANSWER), 0, "not answered yet");

    assert_eq!(app.sim().redeliver(shop.bot, failed.update_id).await.unwrap().status, 200);
    assert_eq!(app.sim().calls_received(shop.bot, ANSWER), 1, "answered once, by the redelivery");
    let welcomes = app.sim().calls_to(shop.bot, "editMessageText").len();
    assert_eq!(welcomes, 1, "the welcome was not edited again");
    let offers = support::shop::count_messages(app.sim(), shop.bot, customer.id, "Access you can buy");
    assert_eq!(offers, 1);
}
