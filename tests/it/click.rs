//! Click's SHOP-API through the real endpoints, driven by the simulated Click: a customer
//! paying from the seller bot, every error code a merchant can answer, repeats, a tampered
//! signature, a wrong service, a Complete for an unknown Prepare, and a Complete carrying
//! Click's own failure.

use crate::support;

use crate::support::{click::CLICK_SERVICE, spawn_app};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::db::schema::{orders, payments};

#[actix_web::test]
async fn a_customer_pays_with_click_and_gets_a_personal_link() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_941, "click_shop_bot").await;
    let (_, click) = app.connect_click(&shop).await;
    let customer = app.user(7_100_000_941, "Aziza");
    app.start_and_choose(shop.bot, &customer, "en").await;

    let checkout = app.click_checkout(&shop, &customer).await;
    assert_eq!((checkout.service_id.as_str(), checkout.merchant_id.as_str()), ("41234", "7001"));
    assert_eq!((checkout.amount.as_str(), checkout.return_url.as_str()), ("50000", "https://t.me/click_shop_bot"));

    let (_, prepared, completed) = click.pay(&checkout).await.unwrap();
    assert_eq!(prepared.error(), Some(0), "{:?}", prepared.body);
    assert!(prepared.merchant_id("merchant_prepare_id").is_some());
    let completed = completed.unwrap();
    assert_eq!((completed.status, completed.error()), (200, Some(0)), "{:?}", completed.body);
    app.wait_for_link(shop.bot, &customer).await;
    app.wait_for_owner_message(&shop.owner, "Click payment #").await;
    let (payment, method, status): (i64, String, String) = payments::table
        .select((payments::id, payments::payment_method, payments::status))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!((method.as_str(), status.as_str()), ("click", "approved"));
    assert_eq!(completed.merchant_id("merchant_confirm_id"), Some(payment), "the payment confirms it");
}

#[actix_web::test]
async fn every_click_error_is_reachable_and_repeats_change_nothing() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_942, "click_errors_bot").await;
    let (_, click) = app.connect_click(&shop).await;
    let customer = app.user(7_100_000_942, "Bobur");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.click_checkout(&shop, &customer).await;
    let (order, amount) = (checkout.order.as_str(), checkout.amount.as_str());

    // -8: a missing field, and another account's service.
    let id = click.new_trans_id();
    let call = click.prepare_call(&id, order, amount);
    assert_eq!(click.send_prepare(&call.clone().without("sign_time")).await.unwrap().error(), Some(-8));
    let other_service = click.sign(call.clone().set("service_id", "99999"));
    assert_eq!(click.send_prepare(&other_service).await.unwrap().error(), Some(-8));
    // -1: a tampered signature, a reformatted amount, the wrong secret.
    assert_eq!(click.send_prepare(&call.clone().set("sign_string", &"0".repeat(32))).await.unwrap().error(), Some(-1));
    assert_eq!(click.send_prepare(&call.clone().set("amount", "50000.00")).await.unwrap().error(), Some(-1));
    let wrong = click.with_secret("Not#The&Secret");
    assert_eq!(wrong.send_prepare(&wrong.prepare_call(&id, order, amount)).await.unwrap().error(), Some(-1));
    // -3: an action that is not this URL's.
    let complete_to_prepare = click.complete_call(&id, order, "1", amount, 0);
    assert_eq!(click.send_prepare(&complete_to_prepare).await.unwrap().error(), Some(-3));
    // -2 and -5: a wrong amount, an unknown order.
    assert_eq!(click.send_prepare(&click.prepare_call(&id, order, "49999")).await.unwrap().error(), Some(-2));
    assert_eq!(click.send_prepare(&click.prepare_call(&id, "999999", amount)).await.unwrap().error(), Some(-5));

    // Prepare, sent twice: the same prepare id.
    let first = click.send_prepare(&call).await.unwrap();
    assert_eq!(first.error(), Some(0), "{:?}", first.body);
    let again = click.send_prepare(&call).await.unwrap();
    assert_eq!(first.body, again.body, "a repeated prepare answers the same");
    let prepare_id = first.merchant_id("merchant_prepare_id").unwrap().to_string();

    // -6: a Complete for a prepare id that does not exist (or is another transaction's).
    let unknown = click.complete_call(&id, order, "987654", amount, 0);
    assert_eq!(click.send_complete(&unknown).await.unwrap().error(), Some(-6));
    let other_trans = click.complete_call(&click.new_trans_id(), order, &prepare_id, amount, 0);
    assert_eq!(click.send_complete(&other_trans).await.unwrap().error(), Some(-6));
    // -2 on Complete: the amount is not the prepared one.
    let short = click.complete_call(&id, order, &prepare_id, "100", 0);
    assert_eq!(click.send_complete(&short).await.unwrap().error(), Some(-2));

    // Complete, then its repeat: -4 (already paid), with the same confirm id; one payment.
    let complete = click.complete_call(&id, order, &prepare_id, amount, 0);
    let done = click.send_complete(&complete).await.unwrap();
    assert_eq!(done.error(), Some(0), "{:?}", done.body);
    let repeat = click.send_complete(&complete).await.unwrap();
    assert_eq!(repeat.error(), Some(-4));
    assert_eq!(repeat.merchant_id("merchant_confirm_id"), done.merchant_id("merchant_confirm_id"));
    // A new Prepare for the paid order: -4.
    let late = click.prepare_call(&click.new_trans_id(), order, amount);
    assert_eq!(click.send_prepare(&late).await.unwrap().error(), Some(-4));
    let paid: i64 =
        payments::table.filter(payments::status.eq("approved")).count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(paid, 1);
    app.wait_for_link(shop.bot, &customer).await;
    app.wait_for_courier().await;
    assert_eq!(support::shop::count_messages(app.sim(), shop.bot, customer.id, "https://t.me/+"), 1);
}

#[actix_web::test]
async fn a_complete_carrying_clicks_own_error_cancels_the_order() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_943, "click_failed_bot").await;
    let (_, click) = app.connect_click(&shop).await;
    let customer = app.user(7_100_000_943, "Dilnoza");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.click_checkout(&shop, &customer).await;
    let (order, amount) = (checkout.order.as_str(), checkout.amount.as_str());
    let id = click.new_trans_id();
    let prepared = click.send_prepare(&click.prepare_call(&id, order, amount)).await.unwrap();
    let prepare_id = prepared.merchant_id("merchant_prepare_id").unwrap().to_string();

    let failed = click.send_complete(&click.complete_call(&id, order, &prepare_id, amount, -5017)).await.unwrap();
    assert_eq!(failed.error(), Some(-9));
    let status: String = orders::table.select(orders::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "cancelled");
    // Click then reports success for the same transaction: still cancelled, nothing granted.
    let late = click.send_complete(&click.complete_call(&id, order, &prepare_id, amount, 0)).await.unwrap();
    assert_eq!(late.error(), Some(-9));
    let again = click.send_prepare(&click.prepare_call(&click.new_trans_id(), order, amount)).await.unwrap();
    assert_eq!(again.error(), Some(-9), "a cancelled order is not paid");
    let granted: i64 = payments::table.count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(granted, 0);

    // The customer starts again: a new order, paid.
    let checkout = app.click_checkout(&shop, &customer).await;
    assert_ne!(checkout.order, order);
    let (_, _, completed) = click.pay(&checkout).await.unwrap();
    assert_eq!(completed.unwrap().error(), Some(0));
    assert_eq!(CLICK_SERVICE.to_string(), checkout.service_id);
}

#[actix_web::test]
async fn postgres_down_gives_minus_7_on_prepare_and_a_retry_on_complete_that_then_grants_once() {
    let mut env = support::TestEnv::new().await;
    let proxy = env.postgres_through_proxy().await;
    let app = env.start().await;
    let shop = app.ready_shop(7_000_000_944, "click_outage_bot").await;
    let (_, click) = app.connect_click(&shop).await;
    let customer = app.user(7_100_000_944, "Otabek");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.click_checkout(&shop, &customer).await;
    let (order, amount) = (checkout.order.as_str(), checkout.amount.as_str());
    let id = click.new_trans_id();
    let call = click.prepare_call(&id, order, amount);

    proxy.cut().await;
    assert_eq!(click.send_prepare(&call).await.unwrap().error(), Some(-7), "failed to update");
    proxy.restore();
    let mut prepared = None;
    for _ in 0..50 {
        let answer = click.send_prepare(&call).await.unwrap();
        if answer.error() == Some(0) {
            prepared = Some(answer);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let prepare_id = prepared.expect("recovered").merchant_id("merchant_prepare_id").unwrap().to_string();

    // Click has debited the customer: Complete is never refused for an outage, only retried.
    let complete = click.complete_call(&id, order, &prepare_id, amount, 0);
    proxy.cut().await;
    let during = click.send_complete(&complete).await.unwrap();
    assert_eq!(during.status, 503, "{:?}", during.body);
    proxy.restore();
    let mut done = None;
    for _ in 0..50 {
        let answer = click.send_complete(&complete).await.unwrap();
        if answer.status == 200 {
            done = Some(answer);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(done.expect("recovered").error(), Some(0));
    let paid: i64 = payments::table.count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(paid, 1, "granted exactly once");
    app.wait_for_link(shop.bot, &customer).await;
}
