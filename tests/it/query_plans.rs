//! The payment path's statements are prepared once and then run on a generic plan, which
//! cannot look at the values. Each such plan must still find its rows through an index: a
//! plan that reads a whole table grows slower with every payment ever made.

use crate::support::spawn_app;
use diesel::QueryableByName;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use getolog::{
    clock::Clock,
    db::{self, orders, provider_transactions as ptx, Plans},
    handlers::paid,
    services::{click, click::ClickRequest, payme, payment_accounts, uzum},
};

#[derive(QueryableByName)]
struct Prepared {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    statement: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    parameters: i32,
}

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    line: String,
}

/// Tables that grow with customers and payments.
const GROWING: [&str; 7] =
    ["provider_transactions", "orders", "payments", "subscriptions", "end_users", "deliveries", "channels"];

#[actix_web::test]
async fn every_payment_statement_finds_its_rows_through_an_index_on_a_generic_plan() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_960, "plans_shop_bot").await;
    let (account, _) = app.connect_payme(&shop).await;
    // Three customers' orders: one paid with Payme, one with Click, one with Uzum.
    let mut orders = Vec::new();
    for n in 0..3 {
        let customer = app.user(7_100_000_960 + n, "Plan");
        app.start_and_choose(shop.bot, &customer, "en").await;
        orders.push(app.payme_checkout(&shop, &customer).await);
    }
    let checkout = &orders[0];
    let order: i64 = checkout.order_id.parse().unwrap();
    let merchant = account.merchant;
    let now = app.clock.now();

    // A connection as the provider endpoints get theirs.
    let pool = db::build_thread_pool(&app.env.db.url, 1, Plans::Generic, None);
    let mut pooled = pool.get().await.unwrap();
    let conn: &mut AsyncPgConnection = &mut pooled;
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        plan_cache_mode: String,
    }
    let mode: Mode = diesel::sql_query("SHOW plan_cache_mode").get_result(conn).await.unwrap();
    assert_eq!(mode.plan_cache_mode, "force_generic_plan");
    // Payme's whole sequence and a refund, Click's and Uzum's, and their lookups, on this
    // connection.
    let platform = app.state.settings.platform_account.as_ref();
    payment_accounts::by_route(conn, platform, &account.route_key).await.unwrap();
    payme::check_perform(conn, merchant, checkout.amount, order).await.unwrap();
    let id = "plans-0001";
    let time = payme::millis(now);
    payme::create(conn, merchant, (id, time), (checkout.amount, order), now).await.unwrap();
    let queued = conn
        .transaction(async |conn| {
            let performed = payme::perform(conn, merchant, id, now).await?.unwrap();
            paid::queue_paid(conn, &app.state, performed.granted.as_ref().unwrap(), "Payme").await
        })
        .await;
    queued.unwrap();
    payme::check(conn, merchant, id).await.unwrap();
    payme::statement(conn, merchant, time - 1, time + 1).await.unwrap();
    let refund = payme::cancel(conn, merchant, id, 5, now).await.unwrap().refund.unwrap();
    paid::queue_refund(conn, &app.state, &refund, "Payme").await.unwrap();
    let clicked = ClickRequest {
        click_trans_id: "plans-click-1".into(),
        service_id: String::new(),
        click_paydoc_id: "1".into(),
        merchant_trans_id: orders[1].order_id.clone(),
        merchant_prepare_id: None,
        amount: (orders[1].amount / 100).to_string(),
        action: "0".into(),
        error: "0".into(),
        error_note: String::new(),
        sign_time: String::new(),
        sign_string: String::new(),
    };
    let prepare_id = click::prepare(conn, merchant, &clicked, now).await.unwrap();
    let completing = ClickRequest { merchant_prepare_id: Some(prepare_id.to_string()), action: "1".into(), ..clicked };
    assert!(click::complete(conn, merchant, &completing, now).await.unwrap().granted.is_some());
    let uzum_order: i64 = orders[2].order_id.parse().unwrap();
    uzum::check(conn, merchant, uzum_order).await.unwrap();
    uzum::create(conn, merchant, ("plans-uzum-1", uzum_order, orders[2].amount), now).await.unwrap();
    let confirmed = conn.transaction(async |conn| uzum::confirm(conn, merchant, "plans-uzum-1", now).await).await;
    assert!(confirmed.unwrap().is_ok());
    uzum::status(conn, merchant, "plans-uzum-1").await.unwrap();
    uzum::reverse(conn, merchant, "plans-uzum-1", now).await.unwrap();
    ptx::lock(conn, "click", "none").await.unwrap();
    ptx::waiting_for(conn, order, "uzum").await.unwrap();
    orders::lock_with_transaction(conn, "uzum", "none").await.unwrap();

    let prepared: Vec<Prepared> = diesel::sql_query(
        "SELECT name, statement, cardinality(parameter_types) AS parameters
         FROM pg_prepared_statements WHERE NOT from_sql AND statement NOT LIKE '%pg_prepared_statements%'",
    )
    .load(conn)
    .await
    .unwrap();
    assert!(prepared.len() >= 10, "the sequence ran its statements prepared: {}", prepared.len());
    let mut faults = Vec::new();
    for statement in &prepared {
        let nulls = vec!["NULL"; statement.parameters as usize].join(", ");
        let execute = if nulls.is_empty() { statement.name.clone() } else { format!("{}({nulls})", statement.name) };
        let plan: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN EXECUTE {execute}")).load(conn).await.unwrap();
        let plan: Vec<&str> = plan.iter().map(|l| l.line.as_str()).collect();
        for table in GROWING {
            if plan.iter().any(|l| l.contains(&format!("Seq Scan on {table} "))) {
                faults.push(format!("reads all of {table}: {}\n{}", statement.statement, plan.join("\n")));
            }
        }
        let by_time = plan.iter().any(|l| l.contains("provider_transactions_by_time"));
        if by_time && !statement.statement.contains("\"provider_time\" BETWEEN") {
            faults.push(format!("scans by time to find one: {}\n{}", statement.statement, plan.join("\n")));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n\n"));
}

#[actix_web::test]
async fn a_provider_connection_has_the_payment_path_prepared_before_its_first_call_and_keeps_nothing_of_it() {
    let app = spawn_app().await;
    // A pool as each HTTP worker builds it.
    let state = app.state.for_one_of(2, Plans::Generic);
    let mut pooled = state.db.get().await.unwrap();
    let conn: &mut AsyncPgConnection = &mut pooled;
    #[derive(QueryableByName)]
    struct Statement {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement: String,
    }
    let prepared: Vec<Statement> =
        diesel::sql_query("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql").load(conn).await.unwrap();
    for start in [
        "SELECT \"provider_transactions\".\"id\"",
        "INSERT INTO \"provider_transactions\"",
        "UPDATE \"orders\" SET \"status\"",
        "INSERT INTO \"payments\"",
        "SELECT pg_advisory_xact_lock",
        "INSERT INTO \"subscriptions\"",
        "UPDATE \"provider_transactions\" SET \"state\"",
        "INSERT INTO \"deliveries\"",
    ] {
        assert!(prepared.iter().any(|p| p.statement.starts_with(start)), "{start} not prepared ahead");
    }
    #[derive(QueryableByName)]
    struct Left {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        rows: i64,
    }
    let left: Left = diesel::sql_query(
        "SELECT (SELECT count(*) FROM user_admins WHERE telegram_id < 0) + (SELECT count(*) FROM user_bots WHERE telegram_bot_id < 0)
              + (SELECT count(*) FROM orders) + (SELECT count(*) FROM payments) + (SELECT count(*) FROM provider_transactions)
              + (SELECT count(*) FROM subscriptions) + (SELECT count(*) FROM deliveries) AS rows",
    )
    .get_result(conn)
    .await
    .unwrap();
    assert_eq!(left.rows, 0, "the rehearsal is rolled back");
}
