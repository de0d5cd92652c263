//! One order, one grant, whatever races for it: Payme's calls sent at the same moment, a
//! Payme payment racing the owner's approval of a card receipt, and a PostgreSQL outage in
//! the middle of PerformTransaction.

use crate::support;

use crate::support::{spawn_app, TestEnv};
use chrono::Months;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    clock::Clock,
    db::schema::{payments, provider_transactions, subscriptions},
};

async fn approved_payments(app: &support::TestApp) -> Vec<String> {
    payments::table
        .filter(payments::status.eq("approved"))
        .select(payments::payment_method)
        .order(payments::id)
        .load(&mut app.db().await)
        .await
        .unwrap()
}

#[actix_web::test]
async fn calls_sent_at_the_same_moment_make_one_transaction_and_one_grant() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_911, "race_shop_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_000_911, "Jasur");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let order = app.payme_checkout(&shop, &customer).await;

    // Two transactions for one order at once: one is created, the other refused.
    let (a, b) = (payme.new_id(), payme.new_id());
    let (first, second) =
        tokio::join!(payme.create(&a, order.amount, &order.order_id), payme.create(&b, order.amount, &order.order_id));
    let (first, second) = (first.unwrap(), second.unwrap());
    let states: Vec<Option<i64>> =
        [&first, &second].iter().map(|r| r.result().and_then(|r| r["state"].as_i64())).collect();
    assert_eq!(states.iter().filter(|s| **s == Some(1)).count(), 1, "{:?} {:?}", first.body, second.body);
    let refused = if states[0].is_some() { &second } else { &first };
    assert_eq!(refused.error_code(), Some(-31052));
    let created = if states[0].is_some() { a } else { b };

    // The same create and the same perform, each sent twice at once: identical answers.
    let (c1, c2) = tokio::join!(
        payme.create(&created, order.amount, &order.order_id),
        payme.create(&created, order.amount, &order.order_id)
    );
    assert_eq!(c1.unwrap().result(), c2.unwrap().result());
    let (p1, p2) = tokio::join!(payme.perform(&created), payme.perform(&created));
    let (p1, p2) = (p1.unwrap(), p2.unwrap());
    assert_eq!(p1.result(), p2.result(), "{:?} {:?}", p1.body, p2.body);
    assert_eq!(p1.result().unwrap()["state"].as_i64(), Some(2));

    assert_eq!(approved_payments(&app).await, ["payme"]);
    let expires: Vec<Option<chrono::DateTime<chrono::Utc>>> =
        subscriptions::table.select(subscriptions::expires_at).load(&mut app.db().await).await.unwrap();
    assert_eq!(expires, [app.clock.now().checked_add_months(Months::new(1))], "one subscription, one month");
    app.wait_for_link(shop.bot, &customer).await;
    app.wait_for_courier().await;
    assert_eq!(support::shop::count_messages(app.sim(), shop.bot, customer.id, "https://t.me/+"), 1, "one invite");
}

#[actix_web::test]
async fn a_payme_payment_racing_a_card_approval_grants_each_once() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_912, "both_ways_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_000_912, "Malika");
    app.buy_and_send_receipt_after_start(&shop, &customer, "en").await;
    let card: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    app.wait_for_owner_message(&shop.owner, "awaits your review").await;
    let order = app.payme_checkout(&shop, &customer).await;
    let id = payme.new_id();
    payme.create(&id, order.amount, &order.order_id).await.unwrap();

    let (review, data) = (review_message(&app, &shop).await, format!("p:{card}:ok"));
    let approve = app.sim().press_button(app.main_id(), &shop.owner, review, &data);
    let (pressed, performed) = tokio::join!(approve, payme.perform(&id));
    assert_eq!(pressed.unwrap().status, 200);
    let performed = performed.unwrap();
    assert_eq!(performed.result().and_then(|r| r["state"].as_i64()), Some(2), "{:?}", performed.body);

    let mut methods = approved_payments(&app).await;
    methods.sort();
    assert_eq!(methods, ["card", "payme"], "two payments, each approved once");
    let expires: Vec<Option<chrono::DateTime<chrono::Utc>>> =
        subscriptions::table.select(subscriptions::expires_at).load(&mut app.db().await).await.unwrap();
    assert_eq!(expires, [app.clock.now().checked_add_months(Months::new(2))], "one subscription, extended by both");
}

/// The owner's review copy of the card receipt.
async fn review_message(app: &support::TestApp, shop: &support::shop::Shop) -> i64 {
    app.wait_for_owner_message(&shop.owner, "awaits your review").await.message_id
}

#[actix_web::test]
async fn postgres_down_during_perform_answers_32400_writes_nothing_and_the_retry_grants_once() {
    let mut env = TestEnv::new().await;
    let proxy = env.postgres_through_proxy().await;
    let app = env.start().await;
    let shop = app.ready_shop(7_000_000_913, "outage_shop_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_000_913, "Otabek");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let order = app.payme_checkout(&shop, &customer).await;
    let id = payme.new_id();
    payme.create(&id, order.amount, &order.order_id).await.unwrap();

    proxy.cut().await;
    let failed = payme.perform(&id).await.unwrap();
    assert_eq!((failed.status, failed.error_code()), (200, Some(-32400)), "{:?}", failed.body);
    let state: i16 =
        provider_transactions::table.select(provider_transactions::state).first(&mut app.db().await).await.unwrap();
    assert_eq!(state, 1, "nothing was written");
    assert!(approved_payments(&app).await.is_empty());

    proxy.restore();
    let mut retried = None;
    for _ in 0..50 {
        let answer = payme.perform(&id).await.unwrap();
        if answer.error_code() != Some(-32400) {
            retried = Some(answer);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let retried = retried.expect("the service recovered by itself");
    assert_eq!(retried.result().unwrap()["state"].as_i64(), Some(2));
    assert_eq!(payme.perform(&id).await.unwrap().result(), retried.result());
    assert_eq!(approved_payments(&app).await, ["payme"], "granted exactly once");
    app.wait_for_link(shop.bot, &customer).await;
}

#[actix_web::test]
async fn payme_and_click_racing_for_one_order_pay_it_once() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_914, "two_providers_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let (_, click) = app.connect_click(&shop).await;
    let customer = app.user(7_100_000_914, "Kamron");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let order = app.payme_checkout(&shop, &customer).await;
    let same = app.click_checkout(&shop, &customer).await;
    assert_eq!(same.order, order.order_id, "one open order per customer and chat");

    let id = payme.new_id();
    payme.create(&id, order.amount, &order.order_id).await.unwrap();
    let trans = click.new_trans_id();
    let prepared = click.send_prepare(&click.prepare_call(&trans, &same.order, &same.amount)).await.unwrap();
    let prepare_id = prepared.merchant_id("merchant_prepare_id").unwrap().to_string();
    let complete = click.complete_call(&trans, &same.order, &prepare_id, &same.amount, 0);
    let (performed, completed) = tokio::join!(payme.perform(&id), click.send_complete(&complete));
    let (performed, completed) = (performed.unwrap(), completed.unwrap());
    let payme_won = performed.result().is_some_and(|r| r["state"] == 2);
    let click_won = completed.error() == Some(0);
    assert!(payme_won != click_won, "exactly one wins: {:?} {:?}", performed.body, completed.body);
    if payme_won {
        assert_eq!(completed.error(), Some(-9), "Click is told to return the money");
    } else {
        assert_eq!(performed.error_code(), Some(-31008));
    }
    assert_eq!(approved_payments(&app).await.len(), 1);
    let expires: Vec<Option<chrono::DateTime<chrono::Utc>>> =
        subscriptions::table.select(subscriptions::expires_at).load(&mut app.db().await).await.unwrap();
    assert_eq!(expires, [app.clock.now().checked_add_months(Months::new(1))], "one month, once");
}

#[actix_web::test]
async fn a_refund_committed_right_before_a_crash_is_told_when_payme_repeats_the_cancel() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_915, "crash_refund_bot").await;
    let (account, payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_000_915, "Nodira");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.payme_checkout(&shop, &customer).await;
    let (id, _) = payme.pay(&checkout).await.unwrap();
    app.wait_for_link(shop.bot, &customer).await;

    // The refund commits, and the process dies before its notices are queued: nobody is told.
    let now = app.clock.now();
    let first = getolog::services::payme::cancel(&mut app.db().await, account.merchant, &id, 5, now).await.unwrap();
    assert_eq!(first.transaction.state, -2);
    assert_eq!(support::shop::count_messages(app.sim(), shop.bot, customer.id, "was refunded"), 0);

    // Payme had no answer, so it repeats the cancel: the answer is the first one's, and the
    // refund is told now, once.
    let repeat = payme.cancel(&id, 5).await.unwrap();
    assert_eq!(repeat.result().and_then(|r| r["state"].as_i64()), Some(-2), "{:?}", repeat.body);
    app.wait_for_owner_message(&shop.owner, "was refunded").await;
    app.sim()
        .wait_for(std::time::Duration::from_secs(5), |s| {
            s.messages_in(shop.bot, customer.id)
                .iter()
                .any(|m| m.text.as_deref().unwrap_or("").contains("was refunded"))
        })
        .await;
    payme.cancel(&id, 5).await.unwrap();
    app.wait_for_courier().await;
    assert_eq!(support::shop::count_messages(app.sim(), shop.bot, customer.id, "was refunded"), 1);
    assert_eq!(support::shop::count_messages(app.sim(), app.main_id(), shop.owner.id, "was refunded"), 1);
}
