//! The answer to a button press rides on the webhook's reply (one Bot API round trip fewer
//! per press), after the press's work is done; a press that fails midway gets its answer
//! from the redelivery that completes it, once. So does the language prompt `/start` gets.

use crate::support;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::db::schema::end_users;

use crate::support::spawn_app;
use getolog::simulator::{Fault, FaultRule};

const ANSWER: &str = "answerCallbackQuery";
const SEND: &str = "sendMessage";

#[actix_web::test]
async fn the_language_prompt_rides_on_the_reply_to_start_after_its_work() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_019_003, "prompt_reply_shop_bot").await;
    let customer = app.user(7_100_019_003, "Dilnoza");
    let calls_before = app.sim().calls_received(shop.bot, SEND);

    let started = app.sim().send_text(shop.bot, &customer, "/start").await.unwrap();
    assert_eq!(started.status, 200);
    assert_eq!(app.sim().webhook_replies(shop.bot, SEND), 1, "the prompt came in the reply");
    // `calls_received` counts a method carried out from a reply too.
    assert_eq!(app.sim().calls_received(shop.bot, SEND), calls_before + 1, "and not as a call of its own");
    let prompt = app.last_message(shop.bot, customer.id);
    let buttons = prompt.reply_markup.as_ref().map(|m| m.to_string()).unwrap_or_default();
    assert!(buttons.contains("lang:en"), "the prompt carries the language buttons: {buttons}");
    let known: i64 = end_users::table
        .filter(end_users::telegram_id.eq(customer.id))
        .count()
        .get_result(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(known, 1, "the customer was recorded before the answer");

    // The prompt's buttons work like any message's.
    app.sim().press_button(shop.bot, &customer, prompt.message_id, "lang:en").await.unwrap();
    let offer = app.last_message(shop.bot, customer.id).text.unwrap();
    assert!(offer.contains("Access you can buy"), "{offer}");

    // A repeated delivery of the same /start (its answer lost on the way) sends nothing twice.
    let again = app.sim().redeliver(shop.bot, started.update_id).await.unwrap();
    assert_eq!(again.status, 200);
    assert_eq!(app.sim().webhook_replies(shop.bot, SEND), 1, "no second prompt");
}

#[actix_web::test]
async fn a_press_is_answered_in_the_webhook_reply_after_its_work() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_019_001, "reply_shop_bot").await;
    let customer = app.user(7_100_019_001, "Aziza");
    app.sim().send_text(shop.bot, &customer, "/start").await.unwrap();
    let prompt = app.last_message(shop.bot, customer.id);

    let sent_before = app.sim().calls_received(shop.bot, SEND);
    let pressed = app.sim().press_button(shop.bot, &customer, prompt.message_id, "lang:en").await.unwrap();
    assert_eq!(pressed.status, 200);
    // The welcome and the offer replace the prompt: one Bot API call, the edit.
    assert_eq!(app.sim().calls_received(shop.bot, SEND), sent_before, "no message of its own for the offer");
    assert_eq!(app.sim().calls_received(shop.bot, "editMessageText"), 1);
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
    // A welcome so long that it and the offer do not fit one message: the press edits the
    // welcome in place, then sends the offer, and the offer fails once at Telegram.
    let long = "W".repeat(4090);
    let welcome = format!(r#"UPDATE user_bots SET welcome_message = '{{"en": "{long}"}}'"#);
    diesel::sql_query(welcome).execute(&mut app.db().await).await.unwrap();
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
