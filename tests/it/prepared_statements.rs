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
