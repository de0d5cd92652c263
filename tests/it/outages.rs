//! Storage outages: while PostgreSQL is unreachable nothing is acknowledged and nothing is
//! half-written; when it returns, Telegram's redelivery is handled and the process has
//! recovered by itself.

use crate::support::TestEnv;
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::db::schema::user_admins;

#[actix_web::test]
async fn postgres_down_means_5xx_and_redelivery_after_recovery_is_handled() {
    let mut env = TestEnv::new().await;
    let proxy = env.postgres_through_proxy().await;
    let app = env.start().await;
    let bot = app.env.main_bot.id;
    let owner = app.user(7_300_000_001, "Nodira");
    app.sim().send_text(bot, &owner, "/start").await.unwrap();
    let prompt = app.last_message(bot, owner.id);

    proxy.cut().await;
    let press = app.sim().press_button(bot, &owner, prompt.message_id, "lang:en").await.unwrap();
    assert!(press.status >= 500, "acknowledged while the database was down: {}", press.status);
    let ready = reqwest::get(format!("{}/readyz", app.address)).await.unwrap();
    assert_eq!(ready.status(), 503);
    let mut direct = app.db().await;
    let owners: i64 = user_admins::table.count().get_result(&mut direct).await.unwrap();
    assert_eq!(owners, 0, "something was written while the update failed");

    proxy.restore();
    let again = app.sim().redeliver(bot, press.update_id).await.unwrap();
    assert_eq!(again.status, 200, "the redelivery after recovery was not handled");
    let owners: i64 = user_admins::table.count().get_result(&mut direct).await.unwrap();
    assert_eq!(owners, 1);
    assert!(app.last_message(bot, owner.id).text.unwrap().starts_with("👋 Welcome to Getolog, Nodira!"));
    assert_eq!(reqwest::get(format!("{}/readyz", app.address)).await.unwrap().status(), 200);
}
