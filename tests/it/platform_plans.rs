//! Platform plans paid through Payme, Click and Uzum into the platform's own account: the
//! owner taps a provider on the plan screen, the provider's calls to the platform's endpoints
//! start the plan once, the owner and the moderators are told once, and a refund takes the
//! months back. Accounts never cross: a seller's key cannot touch a plan order, nor the
//! platform's a customer's.

use chrono::{DateTime, Months, Utc};
use diesel::{ExpressionMethods, NullableExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    clock::Clock,
    db::schema::{admin_subscriptions, orders, platform_payments},
    simulator::{click, payme, uzum},
};

use crate::support::{shop::count_messages, TestApp, TestEnv, MODERATOR_ID};

async fn platform_app(card: bool) -> TestApp {
    let mut env = TestEnv::new().await;
    env.with_platform_account();
    if card {
        env.settings.platform_card_number = "8600123412341239".into();
        env.settings.platform_card_holder = "Getolog LLC".into();
    }
    let app = env.start().await;
    let moderator = app.user(MODERATOR_ID, "Malika");
    app.sim().send_text(app.main_id(), &moderator, "/start").await.unwrap();
    app
}

/// Ends of the owner's paid plan rows.
async fn paid_until(app: &TestApp) -> Vec<DateTime<Utc>> {
    admin_subscriptions::table
        .filter(admin_subscriptions::plan.ne("free"))
        .select(admin_subscriptions::expires_at.assume_not_null())
        .load(&mut app.db().await)
        .await
        .unwrap()
}

/// (method, status, amount) of every plan payment.
async fn plan_payments(app: &TestApp) -> Vec<(String, String, String)> {
    let rows: Vec<(String, String, bigdecimal::BigDecimal)> = platform_payments::table
        .order(platform_payments::id)
        .select((platform_payments::method, platform_payments::status, platform_payments::amount))
        .load(&mut app.db().await)
        .await
        .unwrap();
    rows.into_iter().map(|(m, s, a)| (m, s, a.with_scale(0).to_string())).collect()
}

/// Once the courier has carried out what was queued, the main bot's messages to `chat`
/// containing `needle`.
async fn told(app: &TestApp, chat: i64, needle: &str) -> usize {
    app.wait_for_courier().await;
    count_messages(app.sim(), app.main_id(), chat, needle)
}

#[actix_web::test]
async fn an_owner_pays_a_plan_with_payme_it_starts_once_and_a_refund_takes_it_back() {
    let app = platform_app(false).await;
    let owner = app.register_owner(7_000_002_001, "Kamola", "en").await;
    let main = app.main_id();

    app.say(main, &owner, "/plan").await;
    let offer = app.press(main, &owner, "pl:1").await;
    let text = offer.text.clone().unwrap_or_default();
    assert!(text.contains("50 000 UZS") && !text.contains("card"), "no card configured: {text}");
    let buttons: Vec<String> = offer.buttons().into_iter().flatten().map(|(_, d)| d).collect();
    for provider in ["pl:1:pm", "pl:1:ck", "pl:1:uz"] {
        assert!(buttons.iter().any(|d| d == provider), "{provider} in {buttons:?}");
    }

    let url = app.plan_checkout_url(&owner, 1, "pm").await;
    let checkout = payme::open_checkout(&url).expect("a Payme checkout link");
    assert!(checkout.sandbox, "the platform's cashbox is in test mode");
    assert_eq!(checkout.merchant_id, crate::support::platform::PLATFORM_CASHBOX);
    assert_eq!(checkout.amount, 5_000_000, "the 1-month plan price in tiyin");
    assert_eq!(checkout.return_url, format!("https://t.me/{}", app.env.main_bot.username));
    let again = payme::open_checkout(&app.plan_checkout_url(&owner, 1, "pm").await).unwrap();
    assert_eq!(again.order_id, checkout.order_id, "the open plan order is reused");

    let payme = app.platform_payme();
    let (id, performed) = payme.pay(&checkout).await.unwrap();
    assert_eq!(performed.result().and_then(|r| r["state"].as_i64()), Some(2), "{:?}", performed.body);
    let now = app.clock.now();
    assert_eq!(paid_until(&app).await, vec![now.checked_add_months(Months::new(1)).unwrap()]);
    assert_eq!(plan_payments(&app).await, vec![("payme".into(), "approved".into(), "50000".into())]);
    assert_eq!(told(&app, owner.id, "Payme payment #").await, 1);
    assert_eq!(told(&app, MODERATOR_ID, "Nothing to review").await, 1);

    // Payme repeats the perform: the same answer, no second plan, no second message.
    let repeat = payme.perform(&id).await.unwrap();
    assert_eq!(repeat.body["result"], performed.body["result"]);
    assert_eq!(paid_until(&app).await.len(), 1);
    assert_eq!(told(&app, owner.id, "Payme payment #").await, 1);
    let status: String = orders::table.select(orders::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "paid");

    // A refund after perform takes the month back: nothing paid is left.
    let cancelled = payme.cancel(&id, 5).await.unwrap();
    assert_eq!(cancelled.result().and_then(|r| r["state"].as_i64()), Some(-2), "{:?}", cancelled.body);
    assert!(paid_until(&app).await.iter().all(|end| *end <= app.clock.now()), "the plan ends now");
    assert_eq!(plan_payments(&app).await[0].1, "refunded");
    assert_eq!(told(&app, owner.id, "was refunded").await, 1);
    assert_eq!(told(&app, MODERATOR_ID, "was refunded").await, 1);
    let repeat = payme.cancel(&id, 5).await.unwrap();
    assert_eq!(repeat.body["result"], cancelled.body["result"]);
    assert_eq!(told(&app, owner.id, "was refunded").await, 1, "a repeated cancel tells nobody twice");
}

#[actix_web::test]
async fn click_and_uzum_pay_plans_beside_the_card_and_uzum_reverses_one() {
    let app = platform_app(true).await;
    let owner = app.register_owner(7_000_002_002, "Dilnoza", "en").await;
    let main = app.main_id();

    // With the card configured, the receipt is still awaited and the providers are offered too.
    app.say(main, &owner, "/plan").await;
    let offer = app.press(main, &owner, "pl:6").await;
    let text = offer.text.clone().unwrap_or_default();
    assert!(text.contains("8600 1234 1234 1239") && text.contains("one tap"), "{text}");

    let link = app.plan_checkout_url(&owner, 6, "ck").await;
    let checkout = click::open_checkout(&link).expect("a Click link");
    assert_eq!(checkout.amount, "250000");
    let (_, prepared, completed) = app.platform_click().pay(&checkout).await.unwrap();
    assert_eq!(prepared.error(), Some(0), "{:?}", prepared.body);
    assert_eq!(completed.and_then(|c| c.error()), Some(0));
    let six = app.clock.now().checked_add_months(Months::new(6)).unwrap();
    assert_eq!(paid_until(&app).await, vec![six]);
    assert_eq!(told(&app, owner.id, "Click payment #").await, 1);

    // Uzum pays a year on top: the plan extends from its end.
    let link = app.plan_checkout_url(&owner, 12, "uz").await;
    let checkout = uzum::open_checkout(&link).expect("an Uzum link");
    assert_eq!(checkout.amount, 45_000_000);
    let uzum = app.platform_uzum();
    let (trans, confirmed) = uzum.pay(&checkout).await.unwrap();
    assert_eq!(confirmed.state(), Some("CONFIRMED"), "{:?}", confirmed.body);
    assert_eq!(paid_until(&app).await, vec![six.checked_add_months(Months::new(12)).unwrap()]);
    assert_eq!(told(&app, owner.id, "Uzum payment #").await, 1);

    // Uzum reverses the year: the plan goes back to the six months Click paid.
    let reversed = uzum.reverse(&trans).await.unwrap();
    assert_eq!(reversed.state(), Some("REVERSED"), "{:?}", reversed.body);
    assert_eq!(paid_until(&app).await, vec![six]);
    let again = uzum.reverse(&trans).await.unwrap();
    assert_eq!(again.error_code(), Some("10018"));
    assert_eq!(told(&app, owner.id, "was refunded").await, 1);
    let methods: Vec<(String, String)> = plan_payments(&app).await.into_iter().map(|(m, s, _)| (m, s)).collect();
    assert_eq!(methods, vec![("click".into(), "approved".into()), ("uzum".into(), "refunded".into())]);
    let moderator = app.user(MODERATOR_ID, "Malika");
    let dashboard = app.say(main, &moderator, "/panel").await.text.unwrap_or_default();
    assert!(dashboard.contains("Plan revenue: 250 000 UZS (💠 Click 250 000 UZS)"), "{dashboard}");
}

#[actix_web::test]
async fn a_sellers_account_and_the_platforms_never_pay_each_others_orders() {
    let app = platform_app(false).await;
    let shop = app.ready_shop(7_000_002_003, "plan_and_shop_bot").await;
    let (_, seller_payme) = app.connect_payme(&shop).await;
    let customer = app.user(7_100_002_003, "Aziza");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let customer_order = app.payme_checkout(&shop, &customer).await;
    let plan_order = payme::open_checkout(&app.plan_checkout_url(&shop.owner, 1, "pm").await).unwrap();

    let platform = app.platform_payme();
    let crossed = platform.check_perform(customer_order.amount, &customer_order.order_id).await.unwrap();
    assert_eq!(crossed.error_code(), Some(-31050), "the platform does not see a customer's order");
    let crossed = seller_payme.check_perform(plan_order.amount, &plan_order.order_id).await.unwrap();
    assert_eq!(crossed.error_code(), Some(-31050), "a seller does not see a plan order");
    let wrong_key = platform.with_key(crate::support::payme::PAYME_TEST_KEY);
    assert_eq!(
        wrong_key.check_perform(plan_order.amount, &plan_order.order_id).await.unwrap().error_code(),
        Some(-32504)
    );
    let change = platform.call("ChangePassword", serde_json::json!({ "password": "New#Platform&Key_2027" })).await;
    assert_eq!(change.unwrap().error_code(), Some(-32504), "the platform's key changes in its configuration only");

    assert_eq!(platform.pay(&plan_order).await.unwrap().1.result().and_then(|r| r["state"].as_i64()), Some(2));
    assert_eq!(seller_payme.pay(&customer_order).await.unwrap().1.result().and_then(|r| r["state"].as_i64()), Some(2));
    assert_eq!(paid_until(&app).await.len(), 1);
    let statement = platform.statement(0, app.clock.now().timestamp_millis() + 1).await.unwrap();
    let listed = statement.result().and_then(|r| r["transactions"].as_array().map(Vec::len));
    assert_eq!(listed, Some(1), "the platform's statement lists its own transaction only");
}

#[actix_web::test]
async fn a_plan_reverse_committed_before_a_crash_is_told_when_uzum_repeats_it() {
    let app = platform_app(false).await;
    let owner = app.register_owner(7_000_002_004, "Sardor", "en").await;
    let checkout = uzum::open_checkout(&app.plan_checkout_url(&owner, 1, "uz").await).unwrap();
    let uzum = app.platform_uzum();
    let (trans, confirmed) = uzum.pay(&checkout).await.unwrap();
    assert_eq!(confirmed.state(), Some("CONFIRMED"));
    assert_eq!(told(&app, owner.id, "Uzum payment #").await, 1);

    // The reverse commits and the process dies before its notices are queued.
    let merchant = getolog::db::payment_accounts::Merchant::Platform;
    getolog::services::uzum::reverse(&mut app.db().await, merchant, &trans, app.clock.now()).await.unwrap();
    assert_eq!(count_messages(app.sim(), app.main_id(), owner.id, "was refunded"), 0);

    // Uzum repeats it: refused as already reversed, and the owner is told now, once.
    assert_eq!(uzum.reverse(&trans).await.unwrap().error_code(), Some("10018"));
    assert_eq!(told(&app, owner.id, "was refunded").await, 1);
    assert_eq!(uzum.reverse(&trans).await.unwrap().error_code(), Some("10018"));
    assert_eq!(told(&app, owner.id, "was refunded").await, 1);
    assert_eq!(told(&app, MODERATOR_ID, "was refunded").await, 1);
}
