//! The hot path's upserts stay prepared on their connection: a returning customer's
//! message costs one round trip to PostgreSQL, not a prepare and then an execute.

use crate::support::{test_epoch, TestEnv};
use diesel::{ExpressionMethods, QueryDsl, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use getolog::db::{end_users, schema::user_bots};

#[derive(QueryableByName)]
struct Prepared {
    #[diesel(sql_type = diesel::sql_types::Text)]
    statement: String,
}

#[actix_web::test]
async fn the_end_user_upserts_are_prepared_once_per_connection() {
    let env = TestEnv::new().await;
    let bot = env.seed_seller_bot(7_000_000_900, "prepared_bot").await;
    let mut conn = AsyncPgConnection::establish(&env.db.url).await.unwrap();
    let (user_bot, owner): (i64, i64) = user_bots::table
        .filter(user_bots::telegram_bot_id.eq(bot.id))
        .select((user_bots::id, user_bots::user_admin_id))
        .first(&mut conn)
        .await
        .unwrap();
    for customer in 0..3 {
        let id = 7_100_000_900 + customer;
        end_users::touch(&mut conn, (owner, user_bot), id, None, "Bench", test_epoch()).await.unwrap();
        end_users::touch(&mut conn, (owner, user_bot), id, Some("again"), "Bench", test_epoch()).await.unwrap();
        end_users::set_language(&mut conn, (owner, user_bot), id, "Bench", "ru", test_epoch()).await.unwrap();
    }
    let kept: Vec<Prepared> = diesel::sql_query("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        .load(&mut conn)
        .await
        .unwrap();
    let upserts: Vec<&str> =
        kept.iter().map(|p| p.statement.as_str()).filter(|s| s.starts_with("INSERT INTO \"end_users\"")).collect();
    assert_eq!(upserts.len(), 2, "one prepared statement for each upsert, reused: {upserts:#?}");

    // Why the wrapper: diesel alone prepares an upsert again on every call and keeps nothing.
    use getolog::db::schema::end_users as table;
    for name in ["Plain", "Plain again"] {
        diesel::insert_into(table::table)
            .values((
                table::user_bot_id.eq(user_bot),
                table::telegram_id.eq(7_100_000_999_i64),
                table::full_name.eq(name),
                table::created_at.eq(test_epoch()),
            ))
            .on_conflict((table::telegram_id, table::user_bot_id))
            .do_update()
            .set(table::full_name.eq(name))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let kept: Vec<Prepared> = diesel::sql_query("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        .load(&mut conn)
        .await
        .unwrap();
    let plain =
        kept.iter().filter(|p| p.statement.contains("ON CONFLICT") && !p.statement.contains("RETURNING")).count();
    assert_eq!(plain, 0, "diesel does not keep an upsert prepared by itself");
}

#[actix_web::test]
async fn the_payment_paths_updates_and_the_grants_lock_are_prepared_once_per_connection() {
    use getolog::db::{deliveries, orders, provider_transactions, subscriptions};
    let env = TestEnv::new().await;
    let mut conn = AsyncPgConnection::establish(&env.db.url).await.unwrap();
    for _ in 0..2 {
        // Nothing has these ids: each statement changes nothing, and is still prepared.
        deliveries::mark_done(&mut conn, -1, test_epoch()).await.unwrap();
        orders::close(&mut conn, -1, "open", "paid", test_epoch()).await.unwrap();
        assert!(provider_transactions::mark_performed(&mut conn, -1, None, test_epoch()).await.is_err());
        let period = subscriptions::Period::Months(1);
        // The lock is taken, then the grant fails on the missing customer: the lock was sent.
        assert!(subscriptions::grant(&mut conn, (-1, -1), -1, period, test_epoch()).await.is_err());
    }
    let kept: Vec<Prepared> = diesel::sql_query("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        .load(&mut conn)
        .await
        .unwrap();
    for start in [
        "UPDATE \"deliveries\" SET \"done_at\"",
        "UPDATE \"orders\" SET \"status\"",
        "UPDATE \"provider_transactions\" SET \"state\"",
        "SELECT pg_advisory_xact_lock",
    ] {
        let found = kept.iter().filter(|p| p.statement.starts_with(start)).count();
        let all: Vec<&str> = kept.iter().map(|p| p.statement.as_str()).collect();
        assert_eq!(found, 1, "{start}: one prepared statement, reused: {all:#?}");
    }
}
