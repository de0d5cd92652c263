//! Moderator alerts go through the outbox: stored with the change they announce, delivered
//! at least once, retried after a transient Telegram failure.

use std::time::Duration;

use crate::support::{spawn_app, MODERATOR_ID};
use getolog::{
    db::outbox,
    simulator::{Fault, FaultRule},
};

#[actix_web::test]
async fn an_alert_that_fails_to_send_is_retried_until_delivered() {
    let app = spawn_app().await;
    let bot = app.env.main_bot.id;
    app.sim().send_text(bot, &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let owner = app.user(7_500_000_001, "Shahlo");
    app.sim().send_text(bot, &owner, "/start").await.unwrap();
    let prompt = app.last_message(bot, owner.id);
    let outage =
        FaultRule { bot_id: Some(bot), method: Some("sendMessage".into()), times: 1, fault: Fault::ServerError(502) };
    app.sim().inject_fault(outage);
    assert_eq!(app.sim().press_button(bot, &owner, prompt.message_id, "lang:uz").await.unwrap().status, 200);

    let delivered = app.sim().wait_for(Duration::from_secs(30), |s| {
        s.messages_in(bot, MODERATOR_ID)
            .iter()
            .any(|m| m.text.as_deref().unwrap_or("").contains("New owner registered: Shahlo"))
    });
    assert!(delivered.await, "the alert was lost after a failed send");
    let mut conn = app.db().await;
    let mut pending = outbox::pending_count(&mut conn).await.unwrap();
    for _ in 0..100 {
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await; // marking sent follows the send
        pending = outbox::pending_count(&mut conn).await.unwrap();
    }
    assert_eq!(pending, 0, "a delivered alert is still pending");
    let alerts = app
        .sim()
        .messages_in(bot, MODERATOR_ID)
        .iter()
        .filter(|m| m.text.as_deref().unwrap_or("").contains("Shahlo"))
        .count();
    assert_eq!(alerts, 1, "the alert was delivered more than once");
}
