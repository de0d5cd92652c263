//! Payme's Merchant API through the real endpoint, driven by the simulated Payme: a customer
//! paying from the seller bot, the sandbox's whole sequence (both scenarios), and the cases a
//! careful reviewer adds: malformed amounts and bodies, statement windows, the 12-hour
//! timeout, ChangePassword, an unknown order and another owner's URL.

use crate::support;

use crate::support::{shop::count_messages, spawn_app};
use chrono::Duration;
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::Job,
    clock::Clock,
    db::schema::{payments, subscriptions},
    simulator::payme::PaymeAnswer,
};
use serde_json::{json, Value};

fn state(answer: &PaymeAnswer) -> i64 {
    answer.result().and_then(|r| r["state"].as_i64()).unwrap_or_else(|| panic!("no state in {:?}", answer.body))
}

#[actix_web::test]
async fn a_customer_pays_with_payme_and_gets_a_personal_link() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_901, "payme_shop_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_000_901, "Aziza");
    app.start_and_choose(shop.bot, &customer, "en").await;

    let checkout = app.payme_checkout(&shop, &customer).await;
    assert!(checkout.sandbox, "test mode opens the sandbox checkout");
    assert_eq!((checkout.merchant_id.as_str(), checkout.amount), (support::payme::PAYME_CASHBOX, 5_000_000));
    assert_eq!((checkout.return_url.as_str(), checkout.lang.as_str()), ("https://t.me/payme_shop_bot", "en"));
    let again = app.payme_checkout(&shop, &customer).await;
    assert_eq!(again.order_id, checkout.order_id, "the open order is reused");

    let (_, performed) = payme.pay(&checkout).await.unwrap();
    assert_eq!(state(&performed), 2, "{:?}", performed.body);
    let (link, text) = app.wait_for_link(shop.bot, &customer).await;
    assert!(text.contains("approved"), "{text}");
    assert!(app.sim().invite_link(&link).unwrap().creates_join_request);
    app.wait_for_owner_message(&shop.owner, "Payme payment #").await;

    let (method, status, transaction): (String, String, Option<String>) = payments::table
        .select((payments::payment_method, payments::status, payments::provider_transaction))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!((method.as_str(), status.as_str()), ("payme", "approved"));
    assert!(transaction.is_some());
    let expires: Option<chrono::DateTime<chrono::Utc>> =
        subscriptions::table.select(subscriptions::expires_at).first(&mut app.db().await).await.unwrap();
    assert_eq!(expires, app.clock.now().checked_add_months(chrono::Months::new(1)));

    // The order is paid: a second checkout makes a new order, and the old one pays no more.
    let old = payme.check_perform(checkout.amount, &checkout.order_id).await.unwrap();
    assert_eq!(old.error_code(), Some(-31051));
}

#[actix_web::test]
async fn paymes_sandbox_sequence_passes_in_both_scenarios() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_902, "sandbox_shop_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_000_902, "Bobur");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let order = app.payme_checkout(&shop, &customer).await;
    let (amount, order_id) = (order.amount, order.order_id.as_str());

    // 1. Wrong credentials: every method, before anything else.
    let wrong = payme.with_key("Not#The&Right?Key_123");
    for method in [
        "CheckPerformTransaction",
        "CreateTransaction",
        "PerformTransaction",
        "CancelTransaction",
        "CheckTransaction",
        "GetStatement",
        "ChangePassword",
    ] {
        let answer = wrong.call(method, json!({})).await.unwrap();
        assert_eq!((answer.status, answer.error_code()), (200, Some(-32504)), "{method}");
    }
    let unauthorized = payme.raw(reqwest::Method::POST, "{}".into(), false).await.unwrap();
    assert_eq!(unauthorized.error_code(), Some(-32504));

    // 2. Wrong amount, 3. unknown order.
    assert_eq!(payme.check_perform(amount + 1, order_id).await.unwrap().error_code(), Some(-31001));
    let id = payme.new_id();
    assert_eq!(payme.create(&id, amount - 100, order_id).await.unwrap().error_code(), Some(-31001));
    let unknown = payme.check_perform(amount, "999999").await.unwrap();
    assert_eq!(unknown.error_code(), Some(-31050));
    assert_eq!(unknown.body["error"]["data"], "order_id");
    assert!(unknown.body["error"]["message"]["uz"].is_string() && unknown.body["error"]["message"]["ru"].is_string());
    assert_eq!(payme.create(&id, amount, "999999").await.unwrap().error_code(), Some(-31050));

    // 4. Allowed. 5. Created twice with one id: identical answers. 6. Checked.
    assert_eq!(payme.check_perform(amount, order_id).await.unwrap().result(), Some(&json!({ "allow": true })));
    let first = payme.create(&id, amount, order_id).await.unwrap();
    assert_eq!(state(&first), 1);
    app.clock.advance(Duration::seconds(3));
    let repeat = payme.create(&id, amount, order_id).await.unwrap();
    assert_eq!(first.result(), repeat.result(), "a repeated create answers as the first time");
    let checked = payme.check(&id).await.unwrap();
    assert_eq!(checked.result().unwrap()["create_time"], first.result().unwrap()["create_time"]);
    assert_eq!(
        (checked.result().unwrap()["perform_time"].as_i64(), checked.result().unwrap()["reason"].clone()),
        (Some(0), Value::Null)
    );

    // 7. Another transaction for the still-waiting order is refused.
    let other = payme.create(&payme.new_id(), amount, order_id).await.unwrap();
    assert!((-31099..=-31050).contains(&other.error_code().unwrap()), "{:?}", other.body);

    // 8. Scenario A: cancelled while waiting; repeats answer the same.
    let cancelled = payme.cancel(&id, 3).await.unwrap();
    assert_eq!(state(&cancelled), -1);
    app.clock.advance(Duration::seconds(3));
    assert_eq!(payme.cancel(&id, 3).await.unwrap().result(), cancelled.result());
    let checked = payme.check(&id).await.unwrap();
    assert_eq!((state(&checked), checked.result().unwrap()["reason"].as_i64()), (-1, Some(3)));
    assert_eq!(payme.perform(&id).await.unwrap().error_code(), Some(-31008));

    // 9. Scenario B, a new order: create, perform twice, check, cancel (a refund), check.
    let order = app.payme_checkout(&shop, &customer).await;
    assert_ne!(order.order_id, order_id, "a cancelled order is not reused");
    let id = payme.new_id();
    assert_eq!(state(&payme.create(&id, order.amount, &order.order_id).await.unwrap()), 1);
    let performed = payme.perform(&id).await.unwrap();
    assert_eq!(state(&performed), 2);
    app.clock.advance(Duration::seconds(3));
    assert_eq!(payme.perform(&id).await.unwrap().result(), performed.result(), "a repeated perform answers the same");
    assert_eq!(state(&payme.check(&id).await.unwrap()), 2);
    let (link, _) = app.wait_for_link(shop.bot, &customer).await;
    app.sim().use_invite_link(&customer, &link).await.unwrap();
    let joined = app
        .sim()
        .wait_for(std::time::Duration::from_secs(5), |s| s.member_status(shop.chat, customer.id) == Some("member"))
        .await;
    assert!(joined, "the paying customer got in");
    let refunded = payme.cancel(&id, 5).await.unwrap();
    assert_eq!(state(&refunded), -2);
    assert_eq!(payme.cancel(&id, 5).await.unwrap().result(), refunded.result());
    let checked = payme.check(&id).await.unwrap().result().cloned().unwrap();
    assert_eq!((checked["state"].as_i64(), checked["reason"].as_i64()), (Some(-2), Some(5)));
    assert!(checked["perform_time"].as_i64().unwrap() > 0 && checked["cancel_time"].as_i64().unwrap() > 0);

    // The refund withdrew the access it gave, once; the customer and the owner are told.
    app.wait_for_customer_message(shop.bot, &customer, "was refunded").await;
    app.wait_for_owner_message(&shop.owner, "was refunded").await;
    let (status, expires): (String, Option<chrono::DateTime<chrono::Utc>>) = subscriptions::table
        .select((subscriptions::status, subscriptions::expires_at))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!((status.as_str(), expires), ("active", Some(app.clock.now())), "access ends now");
    app.run_job(Job::Expiry).await;
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("left"), "removed as at expiry");
    let statuses: Vec<String> =
        payments::table.select(payments::status).order(payments::id).load(&mut app.db().await).await.unwrap();
    assert_eq!(statuses, ["refunded"]);
    app.wait_for_courier().await;
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "was refunded"), 1);
}

#[actix_web::test]
async fn malformed_calls_and_the_reviewers_cases_are_answered_as_payme_expects() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_903, "careful_shop_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_000_903, "Dilnoza");
    app.start_and_choose(shop.bot, &customer, "ru").await;
    let order = app.payme_checkout(&shop, &customer).await;
    assert_eq!(order.lang, "ru");

    // Amounts: a float or a negative number is malformed.
    for amount in [json!(5_000_000.5), json!(-5_000_000), json!("5000000")] {
        let answer = payme
            .call("CheckPerformTransaction", json!({ "amount": amount, "account": { "order_id": order.order_id } }))
            .await
            .unwrap();
        assert_eq!(answer.error_code(), Some(-32600), "{amount}");
    }
    // A body that is not JSON, another HTTP method, an unknown method.
    assert_eq!(payme.raw(reqwest::Method::POST, "{not json".into(), true).await.unwrap().error_code(), Some(-32700));
    let get = payme.raw(reqwest::Method::GET, String::new(), true).await.unwrap();
    assert_eq!((get.status, get.error_code()), (200, Some(-32300)));
    let unknown = payme.call("GetFortune", json!({})).await.unwrap();
    assert_eq!(unknown.error_code(), Some(-32601));
    assert_eq!(payme.perform("000000000000000000000000").await.unwrap().error_code(), Some(-31003));

    // The 12-hour timeout: perform after it is refused, and the transaction cancelled (4).
    let from = payme.now_ms();
    let late = payme.new_id();
    assert_eq!(state(&payme.create(&late, order.amount, &order.order_id).await.unwrap()), 1);
    app.clock.advance(Duration::milliseconds(43_200_001));
    assert_eq!(payme.perform(&late).await.unwrap().error_code(), Some(-31008));
    let checked = payme.check(&late).await.unwrap();
    assert_eq!((state(&checked), checked.result().unwrap()["reason"].as_i64()), (-1, Some(4)));

    // GetStatement: the window is inclusive, by Payme's time.
    let order = app.payme_checkout(&shop, &customer).await;
    let paid = payme.new_id();
    let to = payme.now_ms();
    payme.create(&paid, order.amount, &order.order_id).await.unwrap();
    payme.perform(&paid).await.unwrap();
    let listed = |answer: PaymeAnswer| -> Vec<String> {
        answer.result().unwrap()["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(listed(payme.statement(from, to).await.unwrap()), [late.clone(), paid.clone()]);
    assert_eq!(listed(payme.statement(from + 1, to).await.unwrap()), vec![paid.clone()]);
    assert_eq!(listed(payme.statement(from, to - 1).await.unwrap()), vec![late.clone()]);
    let row = payme.statement(to, to).await.unwrap().result().unwrap()["transactions"][0].clone();
    assert_eq!(
        (row["amount"].as_i64(), row["account"]["order_id"].as_str()),
        (Some(order.amount), Some(order.order_id.as_str()))
    );
    assert_eq!(row["state"].as_i64(), Some(2));

    // Another owner's URL does not take this owner's key.
    let other_shop = app.ready_shop(7_000_000_904, "other_payme_bot").await;
    let (_, other) = app.connect_payme(&other_shop).await;
    let crossed = payme.with_key("Other#Key&Sandbox?2026_xyz");
    let mine_elsewhere = other.with_key("Other#Key&Sandbox?2026_xyz").check(&paid).await.unwrap();
    assert_eq!(mine_elsewhere.error_code(), Some(-32504));
    assert_eq!(crossed.check(&paid).await.unwrap().error_code(), Some(-32504));
    assert_eq!(
        other.check(&paid).await.unwrap().error_code(),
        Some(-31003),
        "another account's transaction is not found"
    );

    // ChangePassword stores the new key: the old one no longer works.
    let changed = payme.call("ChangePassword", json!({ "password": "New#Key&Sandbox?2027_abc" })).await.unwrap();
    assert_eq!(changed.result(), Some(&json!({ "success": true })));
    assert_eq!(payme.check(&paid).await.unwrap().error_code(), Some(-32504));
    assert_eq!(state(&payme.with_key("New#Key&Sandbox?2027_abc").check(&paid).await.unwrap()), 2);
}
