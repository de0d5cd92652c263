//! A node keeps each seller bot's shop (settings and chats) in memory and checks it against
//! the version the database raises on every change: a change made anywhere (another node,
//! by hand) shows at the next customer's press, and writes that change nothing the shop shows
//! keep the kept shop.

use crate::support;

use crate::support::{spawn_app, TestApp};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::db::schema::user_bots;

async fn version(app: &TestApp) -> i64 {
    user_bots::table.select(user_bots::settings_version).first(&mut app.db().await).await.unwrap()
}

/// A new customer picks English: the welcome text and the offer they see.
async fn press(app: &TestApp, shop: &support::shop::Shop, n: i64) -> (String, String) {
    let customer = app.user(7_100_020_000 + n, "Aziza");
    let welcome = app.start_and_choose(shop.bot, &customer, "en").await.text.unwrap();
    (welcome, app.last_message(shop.bot, customer.id).text.unwrap())
}

async fn sql(app: &TestApp, statement: &str) {
    diesel::sql_query(statement).execute(&mut app.db().await).await.unwrap();
}

#[actix_web::test]
async fn a_change_made_anywhere_shows_at_the_next_press_and_other_writes_keep_the_shop() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_020_001, "cached_shop_bot").await;
    let (_, first) = press(&app, &shop, 1).await;
    assert!(first.contains("50 000 UZS"), "{first}");

    // Another node (here: by hand) changes the price: the next press shows it.
    let before = version(&app).await;
    sql(&app, "UPDATE channels SET price = 70000").await;
    assert!(version(&app).await > before, "a price change raises the version");
    let (_, second) = press(&app, &shop, 2).await;
    assert!(second.contains("70 000 UZS"), "{second}");

    // And the welcome text.
    sql(&app, r#"UPDATE user_bots SET welcome_message = '{"en": "Hello from elsewhere"}'"#).await;
    let (welcome, _) = press(&app, &shop, 3).await;
    assert!(welcome.starts_with("Hello from elsewhere\n\n"), "{welcome}");

    // A chat unlinked elsewhere: the shop stops selling at once.
    sql(&app, "UPDATE channels SET link_status = 'broken'").await;
    let (_, closed) = press(&app, &shop, 4).await;
    assert!(!closed.contains("70 000 UZS"), "{closed}");

    // Writes the shop does not show keep the version (the kept shop stays good).
    let kept = version(&app).await;
    sql(&app, "UPDATE channels SET removal_blocked_at = now()").await;
    sql(&app, "UPDATE user_bots SET failed_checks = failed_checks + 1, last_error = 'x'").await;
    diesel::update(user_bots::table)
        .set(user_bots::health_changed_at.eq(chrono::Utc::now()))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(version(&app).await, kept);
}
