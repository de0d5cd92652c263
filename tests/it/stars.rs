//! Telegram Stars through the real webhook front and the simulated Telegram: a one-off
//! purchase, a monthly subscription renewing on the clock, a cancellation and a failed
//! renewal running to the paid end, a redelivered charge, declined and late checkouts, and the
//! owner's refund.

use bigdecimal::BigDecimal;
use chrono::{Duration, Months};
use diesel::{ExpressionMethods, JoinOnDsl, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome},
    clock::Clock,
    db::schema::{end_users, payments, subscriptions},
    simulator::{Checkout, Delivery, SimUser},
};

use crate::support::{
    shop::{count_messages, Shop},
    spawn_app, TestApp, MODERATOR_ID,
};

fn paid(checkout: Checkout) -> (String, Delivery) {
    match checkout {
        Checkout::Paid { charge_id, delivery } => (charge_id, delivery),
        other => panic!("not paid: {other:?}"),
    }
}

async fn stars_payments(app: &TestApp) -> Vec<(String, String, BigDecimal, Option<String>)> {
    payments::table
        .filter(payments::payment_method.eq("stars"))
        .order(payments::id)
        .select((payments::status, payments::currency, payments::amount, payments::provider_transaction))
        .load(&mut app.db().await)
        .await
        .unwrap()
}

/// The customer subscribes monthly through the invoice link; returns their personal link.
async fn subscribe(app: &TestApp, shop: &Shop, customer: &SimUser) -> String {
    let message = app.stars_invoice(shop, customer).await;
    paid(app.sim().pay_invoice_link(customer, &TestApp::link_button(&message)).await.unwrap());
    app.wait_for_link(shop.bot, customer).await.0
}

/// The first payment's id and its payer's `end_users.id`.
async fn first_payment(app: &TestApp) -> (i64, i64) {
    payments::table
        .inner_join(end_users::table.on(end_users::id.eq(payments::end_user_id)))
        .order(payments::id)
        .select((payments::id, end_users::id))
        .first(&mut app.db().await)
        .await
        .unwrap()
}

async fn subscription_status(app: &TestApp, shop: &Shop) -> String {
    subscriptions::table
        .filter(subscriptions::channel_id.eq(shop.channel))
        .select(subscriptions::status)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

#[actix_web::test]
async fn six_months_bought_for_stars_grant_once_even_when_the_charge_comes_again() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_951, "stars_once_bot", 6, 500).await;
    let customer = app.user(7_100_000_951, "Aziza");
    let invoice = app.stars_invoice(&shop, &customer).await;
    let terms = app.sim().invoice(shop.bot, customer.id, invoice.message_id).expect("an invoice message");
    assert_eq!((terms.amount, terms.subscription_period), (500, None), "six months are paid once");

    let (charge, delivery) = paid(app.sim().pay_invoice(shop.bot, &customer, invoice.message_id).await.unwrap());
    assert_eq!(delivery.status, 200);
    let (link, _) = app.wait_for_link(shop.bot, &customer).await;
    assert!(app.sim().invite_link(&link).unwrap().creates_join_request);
    let told = app.wait_for_owner_message(&shop.owner, "Telegram Stars payment #").await;
    assert!(told.text.unwrap_or_default().contains("500 XTR"), "the owner sees Stars as XTR");
    let recorded = stars_payments(&app).await;
    assert_eq!(recorded, vec![("approved".into(), "XTR".into(), BigDecimal::from(500), Some(charge.clone()))]);
    let end = app.clock.now().checked_add_months(Months::new(6));
    assert_eq!(app.access_end(&shop).await, end);

    // Telegram delivers the same successful_payment again: nothing more is granted or sent.
    let again = app.sim().redeliver(shop.bot, delivery.update_id).await.unwrap();
    assert_eq!(again.status, 200);
    app.wait_for_courier().await;
    assert_eq!(stars_payments(&app).await.len(), 1);
    assert_eq!(app.access_end(&shop).await, end);
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "https://t.me/+"), 1);
}

#[actix_web::test]
async fn a_monthly_stars_subscription_renews_twice_then_is_cancelled_and_ends_when_paid_out() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_952, "stars_monthly_bot", 1, 250).await;
    let customer = app.user(7_100_000_952, "Bekzod");
    let message = app.stars_invoice(&shop, &customer).await;
    let link = TestApp::link_button(&message);
    let (first_charge, _) = paid(app.sim().pay_invoice_link(&customer, &link).await.unwrap());
    app.wait_for_link(shop.bot, &customer).await;
    let first_end = app.clock.now() + Duration::days(30);
    assert_eq!(app.access_end(&shop).await, Some(first_end), "access runs to Telegram's expiration date");

    for renewal in 1..=2 {
        let end = first_end + Duration::days(30 * (renewal - 1));
        app.clock.advance(end - app.clock.now());
        let delivered = app.sim().renew_star_subscriptions(end.timestamp(), &[]).await.unwrap();
        assert_eq!(delivered.iter().map(|d| d.status).collect::<Vec<_>>(), [200], "renewal {renewal}");
        assert_eq!(app.access_end(&shop).await, Some(end + Duration::days(30)), "renewal {renewal}");
        let told =
            |s: &getolog::simulator::Simulator| count_messages(s, shop.bot, customer.id, "approved") > renewal as usize;
        assert!(app.sim().wait_for(std::time::Duration::from_secs(5), told).await, "renewal {renewal} is told");
    }
    let paid_until = first_end + Duration::days(60);
    assert_eq!(app.star_subscription(&shop).await, ("active".into(), paid_until, 2));
    assert_eq!(stars_payments(&app).await.len(), 3, "each charge is its own payment");

    // The customer cancels in Telegram: told, and access runs to the end of what was paid.
    let cancelled = app.sim().user_cancels_subscription(shop.bot, &customer, &first_charge, true).await.unwrap();
    assert_eq!(cancelled.status, 200);
    app.wait_for_customer_message(shop.bot, &customer, "will not renew").await;
    assert_eq!(app.star_subscription(&shop).await.0, "canceled");
    let stats = app.press_forged_screen(&shop.owner, "st:a").await;
    assert!(stats.contains("Stars subscriptions: 1 cancelled, 0 failed renewals"), "{stats}");
    assert!(stats.contains("750 XTR"), "three charges of 250 Stars, never summed with UZS: {stats}");
    app.clock.advance(paid_until - app.clock.now() + Duration::minutes(1));
    let renewed = app.sim().renew_star_subscriptions(app.clock.now().timestamp(), &[]).await.unwrap();
    assert!(renewed.is_empty(), "a cancelled subscription is not charged");
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    assert_ne!(subscription_status(&app, &shop).await, "active", "the customer's access ended");
}

#[actix_web::test]
async fn a_failed_stars_renewal_keeps_access_to_the_paid_end_then_removes() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_953, "stars_failed_bot", 1, 250).await;
    let customer = app.user(7_100_000_953, "Dilnoza");
    subscribe(&app, &shop, &customer).await;
    let end = app.clock.now() + Duration::days(30);

    app.clock.advance(Duration::days(30));
    let delivered = app.sim().renew_star_subscriptions(end.timestamp(), &[customer.id]).await.unwrap();
    assert_eq!(delivered.iter().map(|d| d.status).collect::<Vec<_>>(), [200]);
    app.wait_for_customer_message(shop.bot, &customer, "could not renew").await;
    assert_eq!(app.star_subscription(&shop).await, ("failed".into(), end, 0));
    assert_eq!(app.access_end(&shop).await, Some(end), "a failed charge gives nothing");
    assert_eq!(stars_payments(&app).await.len(), 1);

    app.clock.advance(Duration::minutes(1));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    assert_ne!(subscription_status(&app, &shop).await, "active");
}

#[actix_web::test]
async fn a_checkout_for_a_chat_no_longer_sold_for_stars_or_at_another_price_is_declined() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_954, "stars_decline_bot", 6, 500).await;
    let customer = app.user(7_100_000_954, "Farrukh");
    let invoice = app.stars_invoice(&shop, &customer).await;

    let main = app.main_id();
    app.press(main, &shop.owner, &format!("c:{}:stars:off", shop.channel)).await;
    let declined = app.sim().pay_invoice(shop.bot, &customer, invoice.message_id).await.unwrap();
    assert_eq!(declined, Checkout::Declined("This chat is no longer sold for Stars.".into()));

    app.press(main, &shop.owner, &format!("c:{}:stars", shop.channel)).await;
    app.say(main, &shop.owner, "600").await;
    let declined = app.sim().pay_invoice(shop.bot, &customer, invoice.message_id).await.unwrap();
    assert!(matches!(&declined, Checkout::Declined(m) if m.contains("price has changed")), "{declined:?}");
    assert!(stars_payments(&app).await.is_empty(), "nothing was charged");
    assert!(app.sim().star_payments().is_empty());
}

#[actix_web::test]
async fn a_pre_checkout_answer_is_never_sent_after_telegrams_deadline() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_955, "stars_late_bot", 6, 500).await;
    let customer = app.user(7_100_000_955, "Gulnora");
    let invoice = app.stars_invoice(&shop, &customer).await;

    // The orders table is held (the check only reads, so nothing less stops it), so the
    // check waits; meanwhile 11 seconds pass.
    let mut blocker = app.db().await;
    diesel::sql_query("BEGIN").execute(&mut blocker).await.unwrap();
    diesel::sql_query("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE").execute(&mut blocker).await.unwrap();
    let release = async {
        let mut watcher = app.db().await;
        for _ in 0..500 {
            let waiting: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT count(*) FROM pg_locks WHERE NOT granted)",
            ))
            .get_result(&mut watcher)
            .await
            .unwrap();
            if waiting > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        app.clock.advance(Duration::seconds(11));
        diesel::sql_query("ROLLBACK").execute(&mut blocker).await.unwrap();
    };
    let (checkout, ()) = tokio::join!(app.sim().pay_invoice(shop.bot, &customer, invoice.message_id), release);
    assert_eq!(checkout.unwrap(), Checkout::TimedOut);
    assert!(app.sim().calls_to(shop.bot, "answerPreCheckoutQuery").is_empty(), "no late answer");
    assert!(stars_payments(&app).await.is_empty());
}

#[actix_web::test]
async fn the_owner_refunds_a_stars_payment_and_access_is_withdrawn_once() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_956, "stars_refund_bot", 6, 500).await;
    let customer = app.user(7_100_000_956, "Hasan");
    let invoice = app.stars_invoice(&shop, &customer).await;
    paid(app.sim().pay_invoice(shop.bot, &customer, invoice.message_id).await.unwrap());
    app.wait_for_link(shop.bot, &customer).await;
    let (payment, end_user) = first_payment(&app).await;

    let main = app.main_id();
    app.press_forged(main, &shop.owner, &format!("u:{end_user}")).await;
    app.press(main, &shop.owner, &format!("str:{payment}")).await;
    app.press(main, &shop.owner, &format!("str:{payment}!")).await;
    assert!(app.sim().star_payments()[0].refunded, "Telegram refunded the Stars");
    app.wait_for_customer_message(shop.bot, &customer, "was refunded").await;
    app.wait_for_owner_message(&shop.owner, "was refunded").await;
    assert_eq!(stars_payments(&app).await[0].0, "refunded");
    assert_eq!(app.access_end(&shop).await, Some(app.clock.now()), "nothing is left of six months");
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });

    // A second press (another device) refunds nothing more.
    app.press_forged(main, &shop.owner, &format!("str:{payment}!")).await;
    assert_eq!(app.sim().calls_to(shop.bot, "refundStarPayment").len(), 1);
    app.wait_for_courier().await;
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "was refunded"), 1);
}

#[actix_web::test]
async fn a_renewing_stars_subscription_hears_it_renews_instead_of_warnings_and_gets_an_hour_of_grace() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_957, "stars_grace_bot", 1, 250).await;
    let customer = app.user(7_100_000_957, "Iroda");
    let link = subscribe(&app, &shop, &customer).await;
    app.sim().use_invite_link(&customer, &link).await.unwrap();
    let joined = |s: &getolog::simulator::Simulator| s.member_status(shop.chat, customer.id) == Some("member");
    assert!(app.sim().wait_for(std::time::Duration::from_secs(5), joined).await, "the customer joined");
    app.wait_for_join_recorded(&shop).await;
    let end = app.clock.now() + Duration::days(30);

    app.clock.advance(Duration::days(27) + Duration::hours(1));
    // A notice that met a passing failure is given back and goes out with the next run.
    let mut told = app.run_job(Job::Warnings).await;
    for _ in 0..3 {
        if told.retry == 0 {
            break;
        }
        told = app.run_job(Job::Warnings).await;
    }
    if told != (Outcome { done: 1, retry: 0 }) {
        panic!("the 3-day run told nothing ({told:?}) at {}: {}", app.clock.now(), app.claim_view(&shop).await);
    }
    app.wait_for_customer_message(shop.bot, &customer, "renews on").await;
    app.clock.advance(Duration::days(2) + Duration::hours(1));
    app.run_job(Job::Warnings).await;
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "ends on"), 0, "no warning for what renews");
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "renews on"), 1);

    // Telegram charges at the end; an expiry run just after it waits for the charge.
    app.clock.advance(end - app.clock.now() + Duration::minutes(5));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default(), "an hour of grace");
    let delivered = app.sim().renew_star_subscriptions(end.timestamp(), &[]).await.unwrap();
    assert_eq!(delivered.iter().map(|d| d.status).collect::<Vec<_>>(), [200]);
    assert_eq!(app.access_end(&shop).await, Some(end + Duration::days(30)));
    assert_eq!(subscription_status(&app, &shop).await, "active");
    app.wait_for_courier().await;
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "https://t.me/+"), 1, "a member gets no new link");
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("member"), "never removed");
}

#[actix_web::test]
async fn a_renewal_that_never_comes_ends_access_an_hour_after_the_paid_end() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_958, "stars_silent_bot", 1, 250).await;
    let customer = app.user(7_100_000_958, "Jasur");
    subscribe(&app, &shop, &customer).await;

    app.clock.advance(Duration::days(30) + Duration::minutes(59));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default());
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    assert_ne!(subscription_status(&app, &shop).await, "active");
}

#[actix_web::test]
async fn the_daily_reconciliation_reports_a_refund_made_outside_getolog() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_959, "stars_reconcile_bot", 6, 500).await;
    let customer = app.user(7_100_000_959, "Kamron");
    let invoice = app.stars_invoice(&shop, &customer).await;
    let (charge, _) = paid(app.sim().pay_invoice(shop.bot, &customer, invoice.message_id).await.unwrap());
    app.wait_for_link(shop.bot, &customer).await;
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();

    assert_eq!(app.run_job(Job::Reconcile).await, Outcome { done: 1, retry: 0 });
    assert_eq!(count_messages(app.sim(), app.main_id(), shop.owner.id, "do not match"), 0, "both sides agree");

    app.sim().refund_elsewhere(&charge).unwrap();
    assert_eq!(app.run_job(Job::Reconcile).await, Outcome { done: 1, retry: 0 });
    let told = app.wait_for_owner_message(&shop.owner, "do not match").await;
    assert!(told.text.unwrap_or_default().contains(&charge), "the owner is told which charge");
    assert_eq!(app.alerts_about("Stars mismatch in @stars_reconcile_bot").await, 1);
}

#[actix_web::test]
async fn a_moderator_stops_a_renewal_and_refunds_stars_from_the_panel_and_nobody_else_can() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_960, "stars_panel_bot", 1, 250).await;
    let customer = app.user(7_100_000_960, "Laylo");
    subscribe(&app, &shop, &customer).await;
    let payment: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();

    // Someone who is not a moderator forges the panel's buttons: nothing happens.
    app.press_forged(app.main_id(), &shop.owner, &format!("mp:s:{payment}:stop")).await;
    app.press_forged(app.main_id(), &shop.owner, &format!("mp:s:{payment}:refund")).await;
    assert!(app.sim().calls_to(shop.bot, "editUserStarSubscription").is_empty());
    assert!(app.sim().calls_to(shop.bot, "refundStarPayment").is_empty());

    let main = app.main_id();
    let moderator = app.user(MODERATOR_ID, "Malika");
    app.sim().send_text(main, &moderator, "/start").await.unwrap();
    app.say(main, &moderator, "/panel").await;
    app.press(main, &moderator, "mp:p:e:all:0").await;
    let shown = app.press(main, &moderator, &format!("mp:s:{payment}")).await;
    let shown = shown.text.unwrap_or_default();
    assert!(shown.contains("250 XTR"), "{shown}");
    app.press(main, &moderator, &format!("mp:s:{payment}:stop")).await;
    assert_eq!(app.star_subscription(&shop).await.0, "canceled");
    app.wait_for_customer_message(shop.bot, &customer, "stopped your Stars subscription").await;
    assert!(app.sim().star_payments()[0].subscription.is_some_and(|(_, stopped)| stopped), "Telegram stops it");

    app.press(main, &moderator, &format!("mp:s:{payment}:refund")).await;
    assert!(app.sim().star_payments()[0].refunded);
    app.wait_for_customer_message(shop.bot, &customer, "was refunded").await;
    assert_eq!(app.access_end(&shop).await, Some(app.clock.now()), "the 30 days it gave are withdrawn");
}

#[actix_web::test]
async fn a_checkout_from_a_banned_customer_or_a_closed_shop_is_declined_in_their_language() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_961, "stars_banned_bot", 6, 500).await;
    let customer = app.user(7_100_000_961, "Malika");
    let invoice = app.stars_invoice(&shop, &customer).await;
    let end_user: i64 = end_users::table
        .filter(end_users::telegram_id.eq(customer.id))
        .select(end_users::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    let main = app.main_id();

    app.press_forged(main, &shop.owner, &format!("u:{end_user}:ban")).await;
    let declined = app.sim().pay_invoice(shop.bot, &customer, invoice.message_id).await.unwrap();
    assert_eq!(declined, Checkout::Declined("⛔ Your access to this bot has been restricted.".into()));
    app.press_forged(main, &shop.owner, &format!("u:{end_user}:unban")).await;

    // A moderator closes the shop (bans its owner).
    let owner_row: i64 = getolog::db::schema::user_admins::table
        .filter(getolog::db::schema::user_admins::telegram_id.eq(shop.owner.id))
        .select(getolog::db::schema::user_admins::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    let moderator = app.user(MODERATOR_ID, "Malika");
    app.sim().send_text(main, &moderator, "/start").await.unwrap();
    app.press_forged(main, &moderator, &format!("mp:w:{owner_row}:ban")).await;
    let declined = app.sim().pay_invoice(shop.bot, &customer, invoice.message_id).await.unwrap();
    assert_eq!(declined, Checkout::Declined("⛔ This shop is closed for now. Please come back later.".into()));
    assert!(app.sim().star_payments().is_empty(), "nothing was charged");
}

#[actix_web::test]
async fn refunding_a_subscription_charge_also_stops_it_renewing() {
    let app = spawn_app().await;
    let shop = app.stars_shop(7_000_000_962, "stars_refund_sub_bot", 1, 250).await;
    let customer = app.user(7_100_000_962, "Nilufar");
    subscribe(&app, &shop, &customer).await;
    let (payment, end_user) = first_payment(&app).await;

    let main = app.main_id();
    app.press_forged(main, &shop.owner, &format!("u:{end_user}")).await;
    app.press(main, &shop.owner, &format!("str:{payment}")).await;
    app.press(main, &shop.owner, &format!("str:{payment}!")).await;
    let charge = &app.sim().star_payments()[0];
    assert!(charge.refunded, "Telegram refunded the Stars");
    assert!(charge.subscription.is_some_and(|(_, stopped)| stopped), "and will not charge again");
    assert_eq!(app.star_subscription(&shop).await.0, "canceled");
    assert_eq!(app.access_end(&shop).await, Some(app.clock.now()), "the 30 days it gave are withdrawn");
}
