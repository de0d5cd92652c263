//! Uzum Bank's Merchant API through the real webhooks, driven by the simulated Uzum: a
//! customer paying in the Uzum app, every error code a merchant answers, repeats (10010,
//! 10016, 10018), a wrong serviceId, the 30-minute expiry, and reverse after confirm.

use crate::support;

use crate::support::{spawn_app, uzum::UZUM_SERVICE};
use chrono::Duration;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::db::schema::{payments, subscriptions};
use serde_json::json;

#[actix_web::test]
async fn a_customer_pays_in_uzum_and_a_reverse_withdraws_it() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_961, "uzum_shop_bot").await;
    let (_, uzum) = app.connect_uzum(&shop).await;
    let customer = app.user(7_100_000_961, "Aziza");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.uzum_checkout(&shop, &customer).await;
    assert_eq!((checkout.service_id, checkout.amount), (UZUM_SERVICE, 5_000_000));

    let checked = uzum.check(&checkout.order).await.unwrap();
    assert_eq!((checked.status, checked.state()), (200, Some("OK")), "{:?}", checked.body);
    let (id, confirmed) = uzum.pay(&checkout).await.unwrap();
    assert_eq!((confirmed.status, confirmed.state()), (200, Some("CONFIRMED")), "{:?}", confirmed.body);
    assert_eq!(confirmed.body["amount"], 5_000_000);
    app.wait_for_link(shop.bot, &customer).await;
    app.wait_for_owner_message(&shop.owner, "Uzum payment #").await;
    assert_eq!(uzum.status(&id).await.unwrap().state(), Some("CONFIRMED"));

    // Repeats answer Uzum's dedicated codes; one payment.
    assert_eq!(uzum.create(&id, &checkout.order, checkout.amount).await.unwrap().error_code(), Some("10010"));
    let again = uzum.confirm(&id).await.unwrap();
    assert_eq!((again.status, again.error_code()), (400, Some("10016")));
    assert_eq!(again.body["transId"], json!(id));

    let reversed = uzum.reverse(&id).await.unwrap();
    assert_eq!(reversed.state(), Some("REVERSED"), "{:?}", reversed.body);
    assert_eq!(uzum.reverse(&id).await.unwrap().error_code(), Some("10018"));
    assert_eq!(uzum.status(&id).await.unwrap().state(), Some("REVERSED"));
    let status: String = payments::table.select(payments::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "refunded");
    let expires: Option<chrono::DateTime<chrono::Utc>> =
        subscriptions::table.select(subscriptions::expires_at).first(&mut app.db().await).await.unwrap();
    assert_eq!(expires, Some(getolog::clock::Clock::now(&app.clock)), "access ends now");
    app.wait_for_customer_message(shop.bot, &customer, "was refunded").await;
}

#[actix_web::test]
async fn every_uzum_error_code_is_reachable() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_962, "uzum_errors_bot").await;
    let (_, uzum) = app.connect_uzum(&shop).await;
    let customer = app.user(7_100_000_962, "Bobur");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.uzum_checkout(&shop, &customer).await;
    let (order, amount) = (checkout.order.as_str(), checkout.amount);
    let code = |a: getolog::simulator::uzum::UzumAnswer| {
        assert_eq!(a.status, 400, "{:?}", a.body);
        assert_eq!(a.body["status"], "FAILED");
        a.error_code().unwrap().to_owned()
    };

    assert_eq!(code(uzum.with_credentials("kamola_shop", "Wrong#Pass&1").check(order).await.unwrap()), "10001");
    assert_eq!(code(uzum.raw("check", reqwest::Method::POST, "{nope".into()).await.unwrap()), "10002");
    assert_eq!(code(uzum.raw("check", reqwest::Method::GET, String::new()).await.unwrap()), "10003");
    assert_eq!(code(uzum.call("refund", json!({})).await.unwrap()), "10003");
    assert_eq!(code(uzum.call("check", json!({})).await.unwrap()), "10005");
    assert_eq!(code(uzum.with_service(1).check(order).await.unwrap()), "10006");
    assert_eq!(code(uzum.check("999999").await.unwrap()), "10007");
    let id = uzum.new_trans_id();
    assert_eq!(code(uzum.create(&id, order, amount - 100).await.unwrap()), "10011");
    assert_eq!(code(uzum.create(&id, order, 500).await.unwrap()), "10012");
    assert_eq!(code(uzum.create(&id, order, 100_000_000_000).await.unwrap()), "10013");
    assert_eq!(code(uzum.confirm(&uzum.new_trans_id()).await.unwrap()), "10014");

    // The 30-minute expiry: confirm comes too late, the transaction has failed.
    assert_eq!(uzum.create(&id, order, amount).await.unwrap().state(), Some("CREATED"));
    app.clock.advance(Duration::minutes(31));
    assert_eq!(code(uzum.confirm(&id).await.unwrap()), "10015");
    assert_eq!(uzum.status(&id).await.unwrap().state(), Some("FAILED"));
    assert_eq!(code(uzum.check(order).await.unwrap()), "10009", "the order was cancelled with it");

    // A new order, paid: a second create for it is 10008.
    let checkout = app.uzum_checkout(&shop, &customer).await;
    let (_, confirmed) = uzum.pay(&checkout).await.unwrap();
    assert_eq!(confirmed.state(), Some("CONFIRMED"));
    assert_eq!(code(uzum.create(&uzum.new_trans_id(), &checkout.order, checkout.amount).await.unwrap()), "10008");
    let paid: i64 =
        payments::table.filter(payments::status.eq("approved")).count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(paid, 1);
}

#[actix_web::test]
async fn postgres_down_answers_99999_and_status_then_reads_the_truth() {
    let mut env = support::TestEnv::new().await;
    let proxy = env.postgres_through_proxy().await;
    let app = env.start().await;
    let shop = app.ready_shop(7_000_000_963, "uzum_outage_bot").await;
    let (_, uzum) = app.connect_uzum(&shop).await;
    let customer = app.user(7_100_000_963, "Otabek");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.uzum_checkout(&shop, &customer).await;
    let id = uzum.new_trans_id();
    assert_eq!(uzum.create(&id, &checkout.order, checkout.amount).await.unwrap().state(), Some("CREATED"));

    proxy.cut().await;
    let failed = uzum.confirm(&id).await.unwrap();
    assert_eq!(failed.error_code(), Some("99999"), "{:?}", failed.body);
    proxy.restore();
    // Uzum asks /status until it reads CONFIRMED or FAILED: still CREATED, nothing written.
    let mut state = None;
    for _ in 0..50 {
        if let Some(s) = uzum.status(&id).await.unwrap().state().map(str::to_owned) {
            state = Some(s);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(state.as_deref(), Some("CREATED"));
    assert_eq!(uzum.confirm(&id).await.unwrap().state(), Some("CONFIRMED"));
    let paid: i64 = payments::table.count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(paid, 1, "granted exactly once");
}
