//! Time comes from one place, the injected clock: no column takes its value from the
//! database's own `now()`, so every window a test computes follows the test's clock and no
//! test depends on the day it runs.

use crate::support::spawn_app;
use diesel::{sql_types::Text, QueryableByName};
use diesel_async::RunQueryDsl;

#[derive(QueryableByName, Debug)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
}

#[actix_web::test]
async fn no_column_defaults_to_the_databases_clock() {
    let app = spawn_app().await;
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name || '.' || column_name AS name FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' AND (column_default ILIKE '%now()%'
            OR column_default ILIKE '%current_timestamp%' OR column_default ILIKE '%current_date%')
         ORDER BY 1",
    )
    .load(&mut app.db().await)
    .await
    .unwrap();
    assert!(columns.is_empty(), "columns stamped by the database's clock, not the app's: {columns:?}");
}

#[actix_web::test]
async fn rows_made_through_the_bot_carry_the_test_clocks_time() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_009_001, "clock_shop_bot").await;
    let customer = app.user(7_100_009_001, "Aziza");
    app.buy_and_send_receipt_after_start(&shop, &customer, "en").await;
    let stamps: Vec<Column> = diesel::sql_query(
        "SELECT 'owner ' || created_at::text AS name FROM user_admins
         UNION ALL SELECT 'bot ' || created_at::text FROM user_bots
         UNION ALL SELECT 'chat ' || created_at::text FROM channels
         UNION ALL SELECT 'customer ' || created_at::text FROM end_users
         UNION ALL SELECT 'payment ' || created_at::text FROM payments
         UNION ALL SELECT 'plan ' || started_at::text FROM admin_subscriptions",
    )
    .load(&mut app.db().await)
    .await
    .unwrap();
    assert!(stamps.len() >= 6, "{stamps:?}");
    for stamp in &stamps {
        assert!(stamp.name.contains("2026-11-25"), "not the test clock's day: {}", stamp.name);
    }
}
