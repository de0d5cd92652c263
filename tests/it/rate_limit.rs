//! At most N updates per second per user per bot, counted by when the user acted: a real
//! flood is cut quietly with one "slow down" notice; Telegram catching up on a backlog is
//! handled in full; a redelivery is not counted twice; other users are not affected.

use crate::support::{TestApp, TestEnv};
use getolog::simulator::{Delivery, Fault, FaultRule, SimUser};

/// A private message from `user` that Telegram says was written at `date` (Unix seconds).
async fn message_at(app: &TestApp, bot: i64, user: &SimUser, text: &str, date: i64) -> Delivery {
    let message = serde_json::json!({
        "message_id": 1, "date": date,
        "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
        "from": {"id": user.id, "is_bot": false, "first_name": user.first_name},
        "text": text
    });
    app.sim().deliver_raw(bot, serde_json::json!({ "message": message })).await.unwrap()
}

fn answers(app: &TestApp, bot: i64, user: &SimUser) -> Vec<String> {
    app.sim().messages_in(bot, user.id).into_iter().filter(|m| m.from_bot).filter_map(|m| m.text).collect()
}

async fn limited_shop(username: &str, owner: i64) -> (TestApp, i64) {
    let mut env = TestEnv::new().await;
    env.settings.rate_limit_per_second = 3;
    let shop = env.seed_seller_bot(owner, username).await;
    let app = env.start().await;
    assert!(app.wait_for_webhook(shop.id).await);
    (app, shop.id)
}

const WRITTEN_AT: i64 = 1_764_061_200; // 2025-11-25 09:00 UTC: what matters is the spacing

#[actix_web::test]
async fn a_flooding_user_is_slowed_down_quietly_and_others_are_not() {
    let (app, bot) = limited_shop("busy_shop_bot", 7_000_000_501).await;
    let flooder = app.user(7_100_000_501, "Flooder");
    for _ in 0..8 {
        let d = message_at(&app, bot, &flooder, "/start", WRITTEN_AT).await;
        assert_eq!(d.status, 200, "dropped updates are still acknowledged (no redelivery storm)");
    }
    let replies = answers(&app, bot, &flooder);
    assert_eq!(replies.len(), 4, "three answers and one notice: {replies:#?}");
    assert!(replies[3].starts_with("⏳"), "{replies:#?}");

    let calm = app.user(7_100_000_502, "Calm");
    message_at(&app, bot, &calm, "/start", WRITTEN_AT).await;
    assert_eq!(answers(&app, bot, &calm).len(), 1, "another user is served");
}

#[actix_web::test]
async fn a_backlog_delivered_in_one_burst_is_handled_in_full() {
    let (app, bot) = limited_shop("backlog_shop_bot", 7_000_000_503).await;
    let patient = app.user(7_100_000_503, "Patient");
    // Written one per second during an outage, delivered back to back when it ended.
    for second in 0..8 {
        let d = message_at(&app, bot, &patient, "/start", WRITTEN_AT + second).await;
        assert_eq!(d.status, 200);
    }
    let replies = answers(&app, bot, &patient);
    assert_eq!(replies.len(), 8, "Telegram catching up is not a flood: {replies:#?}");
    assert!(replies.iter().all(|r| !r.starts_with("⏳")), "{replies:#?}");
}

#[actix_web::test]
async fn a_redelivered_update_keeps_its_place_and_is_not_counted_twice() {
    let (app, bot) = limited_shop("redelivery_shop_bot", 7_000_000_504).await;
    let user = app.user(7_100_000_504, "Nodir");
    let fail_once = FaultRule {
        bot_id: Some(bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: Fault::TooManyRequests { retry_after: 30 },
    };
    app.sim().inject_fault(fail_once);
    // A message the bot answers with a call of its own (the `/start` prompt rides on the
    // webhook's reply, which an injected fault does not reach).
    let first = message_at(&app, bot, &user, "hello", WRITTEN_AT).await;
    assert!(first.status >= 500, "the failed update must be redelivered");
    for _ in 0..2 {
        assert_eq!(message_at(&app, bot, &user, "/start", WRITTEN_AT).await.status, 200);
    }
    // The first of three updates in that second: still within the limit when it comes back.
    assert_eq!(app.sim().redeliver(bot, first.update_id).await.unwrap().status, 200);
    let replies = answers(&app, bot, &user);
    assert_eq!(replies.len(), 3, "three updates in one second, all answered: {replies:#?}");
    assert!(replies.iter().all(|r| !r.starts_with("⏳")), "{replies:#?}");
}
