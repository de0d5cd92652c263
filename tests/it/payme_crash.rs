//! `kill -9` in the middle of PerformTransaction, against the real `getolog serve`: some
//! performs committed and were never answered, some never ran. Payme repeats each one after
//! the restart; every customer ends with exactly one payment, one subscription and one invite,
//! and the owner is told once per payment.

use std::{sync::Arc, time::Duration};

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use getolog::{
    clock::SystemClock,
    db::schema::{payments, subscriptions},
    simulator::payme::PaymeCheckout,
};

use crate::support::{
    serve::Serve,
    shop::{count_messages, wait_for_message},
    spawn_app,
};

const CUSTOMERS: i64 = 6;

#[actix_web::test]
async fn kill_9_during_performs_loses_no_payment_and_repeats_none() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_941, "crash_pay_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    // The child process runs on the real clock, so Payme's times do too.
    let payme = payme.with_clock(Arc::new(SystemClock));
    let mut customers = Vec::new();
    for n in 0..CUSTOMERS {
        let customer = app.user(7_100_000_941 + n, "Buyer");
        app.start_and_choose(shop.bot, &customer, "en").await;
        let checkout: PaymeCheckout = app.payme_checkout(&shop, &customer).await;
        customers.push((customer, checkout));
    }
    let main = app.main_id();
    let mut env = app.stop().await;
    let port = env.release_port();
    let mut serve = Serve::start(&env, port, &[]).await;

    let mut ids = Vec::new();
    for (_, checkout) in &customers {
        assert_eq!(payme.check_perform(checkout.amount, &checkout.order_id).await.unwrap().error_code(), None);
        let id = payme.new_id();
        let created = payme.create(&id, checkout.amount, &checkout.order_id).await.unwrap();
        assert_eq!(created.result().and_then(|r| r["state"].as_i64()), Some(1), "{:?}", created.body);
        ids.push(id);
    }

    // Every perform at once, and the process killed while they run.
    let calls: Vec<_> = ids
        .iter()
        .map(|id| {
            let (payme, id) = (payme.clone(), id.clone());
            actix_web::rt::spawn(async move { payme.perform(&id).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(15)).await;
    serve.kill();
    let mut answered = 0;
    for call in calls {
        if call.await.unwrap().is_ok_and(|a| a.result().is_some()) {
            answered += 1;
        }
    }

    // Payme repeats every perform it has no answer for (here: all of them) after the restart.
    let _serve = Serve::start(&env, port, &[]).await;
    for id in &ids {
        let mut state = None;
        for _ in 0..100 {
            if let Ok(answer) = payme.perform(id).await {
                state = answer.result().and_then(|r| r["state"].as_i64());
                if state.is_some() {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(state, Some(2), "perform {id} after the restart");
    }

    for (customer, _) in &customers {
        wait_for_message(&env.sim, shop.bot, customer.id, "https://t.me/+").await;
    }
    wait_until(|| count_messages(&env.sim, main, shop.owner.id, "Payme payment #") >= CUSTOMERS as usize).await;
    let mut conn = AsyncPgConnection::establish(&env.db.url).await.unwrap();
    let approved: i64 =
        payments::table.filter(payments::status.eq("approved")).count().get_result(&mut conn).await.unwrap();
    let subscribed: i64 = subscriptions::table.count().get_result(&mut conn).await.unwrap();
    assert_eq!((approved, subscribed), (CUSTOMERS, CUSTOMERS), "{answered} performs were answered before the kill");
    for (customer, _) in &customers {
        assert_eq!(count_messages(&env.sim, shop.bot, customer.id, "https://t.me/+"), 1, "one invite each");
    }
    assert_eq!(count_messages(&env.sim, main, shop.owner.id, "Payme payment #"), CUSTOMERS as usize);
}

async fn wait_until(done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(done(), "never happened");
}
