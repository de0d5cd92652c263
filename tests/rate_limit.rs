#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! At most N updates per second per user per bot: the excess is dropped quietly, with one
//! "slow down" notice; other users and other bots are not affected.

mod support;

use support::TestEnv;

#[actix_web::test]
async fn a_flooding_user_is_slowed_down_quietly_and_others_are_not() {
    let mut env = TestEnv::new().await;
    env.settings.rate_limit_per_second = 3;
    // The same limit over a long window, so a slow machine cannot spread the burst thin.
    env.settings.rate_limit_window = std::time::Duration::from_secs(60);
    let shop = env.seed_seller_bot(7_000_000_501, "busy_shop_bot").await;
    let app = env.start().await;
    assert!(app.wait_for_webhook(shop.id).await);
    let flooder = app.user(7_100_000_501, "Flooder");
    for _ in 0..8 {
        let d = app.sim().send_text(shop.id, &flooder, "/start").await.unwrap();
        assert_eq!(d.status, 200, "dropped updates are still acknowledged (no redelivery storm)");
    }
    let replies: Vec<String> = app.sim().messages_in(shop.id, flooder.id).into_iter().filter_map(|m| m.text).collect();
    assert_eq!(replies.len(), 4, "three answers and one notice: {replies:#?}");
    assert!(replies[3].starts_with("⏳"), "{replies:#?}");

    let calm = app.user(7_100_000_502, "Calm");
    app.sim().send_text(shop.id, &calm, "/start").await.unwrap();
    assert_eq!(app.sim().messages_in(shop.id, calm.id).len(), 1, "another user is served");
}
