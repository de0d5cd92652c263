//! Platform plans bought in the main bot: the owner sees the price and the platform's card,
//! sends a receipt, every moderator gets a copy; the first decision wins, every copy says who
//! decided, the owner is told, and the advert leaves the seller bot at once.

use crate::support::{TestApp, TestEnv, MODERATOR_ID};
use chrono::{Months, TimeZone, Utc};
use diesel::{ExpressionMethods, NullableExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    clock::Clock,
    db::schema::{admin_subscriptions, platform_payments},
    simulator::SimUser,
};

const SECOND_MODERATOR: i64 = 9_000_000_002;

async fn plan_app() -> (TestApp, SimUser, SimUser) {
    let mut env = TestEnv::new().await;
    env.settings.moderator_ids.push(SECOND_MODERATOR);
    env.settings.platform_card_number = "8600123412341239".into();
    env.settings.platform_card_holder = "Getolog LLC".into();
    let app = env.start().await;
    let first = app.user(MODERATOR_ID, "Malika");
    let second = app.user(SECOND_MODERATOR, "Timur");
    for moderator in [&first, &second] {
        app.sim().send_text(app.main_id(), moderator, "/start").await.unwrap();
    }
    (app, first, second)
}

/// The owner buys a plan of `months` and sends a photo receipt; returns the payment id.
async fn send_plan_receipt(app: &TestApp, owner: &SimUser, months: i32) -> i64 {
    let main = app.main_id();
    app.say(main, owner, "/plan").await;
    app.press(main, owner, &format!("pl:{months}")).await;
    app.sim().send_photo(main, owner, None).await.unwrap();
    platform_payments::table
        .filter(platform_payments::status.eq("pending"))
        .select(platform_payments::id)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

async fn paid_until(app: &TestApp) -> Vec<chrono::DateTime<Utc>> {
    admin_subscriptions::table
        .filter(admin_subscriptions::plan.ne("free"))
        .select(admin_subscriptions::expires_at.assume_not_null())
        .load(&mut app.db().await)
        .await
        .unwrap()
}

#[actix_web::test]
async fn an_owner_buys_a_plan_a_moderator_approves_and_the_advert_goes() {
    let (app, first, second) = plan_app().await;
    let shop = app.ready_shop(7_000_001_001, "plan_buyer_bot").await;
    let main = app.main_id();

    let plan = app.say(main, &shop.owner, "/plan").await;
    let text = plan.text.clone().unwrap();
    assert!(text.starts_with("⭐ Your plan: Free."), "{text}");
    let buttons = plan.reply_markup.unwrap().to_string();
    assert!(buttons.contains("1 month — 50 000 UZS") && buttons.contains("12 months — 450 000 UZS"), "{buttons}");
    let pay = app.press(main, &shop.owner, "pl:1").await.text.unwrap();
    assert!(pay.contains("Transfer exactly 50 000 UZS") && pay.contains("8600 1234 1234 1239"), "{pay}");
    assert!(pay.contains("Getolog LLC"));
    let wrong = app.say(main, &shop.owner, "I paid").await;
    assert!(wrong.text.unwrap().contains("send the receipt as a photo or a file"), "the step stays");
    app.sim().send_photo(main, &shop.owner, None).await.unwrap();
    app.wait_for_owner_message(&shop.owner, "Receipt received (plan payment #").await;

    let copy_of = |m: &SimUser| {
        let messages = app.sim().messages_in(main, m.id);
        messages.into_iter().rev().find(|c| c.photo.is_some()).expect("a copy of the receipt")
    };
    let copies = [copy_of(&first), copy_of(&second)];
    for copy in &copies {
        assert!(copy.photo.is_some(), "the receipt itself reaches every moderator");
        let caption = copy.text.clone().unwrap();
        assert!(caption.contains("Plan payment #") && caption.contains("Kamola") && caption.contains("50 000 UZS"));
    }
    let id: i64 = platform_payments::table.select(platform_payments::id).first(&mut app.db().await).await.unwrap();
    app.press(main, &first, &format!("pp:{id}:ok")).await;

    for (moderator, copy) in [&first, &second].into_iter().zip(&copies) {
        let now = app.sim().message(main, moderator.id, copy.message_id).unwrap();
        assert!(now.text.unwrap().ends_with("✅ Approved by Malika"), "copy of {} edited", moderator.id);
        assert!(now.reply_markup.is_none_or(|m| m["inline_keyboard"].as_array().is_none_or(|rows| rows.is_empty())));
    }
    let start = app.clock.now();
    assert_eq!(paid_until(&app).await, vec![start.checked_add_months(Months::new(1)).unwrap()]);
    app.wait_for_owner_message(&shop.owner, "Your plan 1 month is active until 25.12.2026").await;

    // The second moderator's old button (or a redelivery) changes nothing.
    app.press_forged(main, &second, &format!("pp:{id}:ok")).await;
    assert_eq!(app.last_toast(main).as_deref(), Some("Another moderator has already decided this payment"));
    assert_eq!(paid_until(&app).await.len(), 1);

    let customer = app.user(7_100_001_001, "Aziza");
    app.sim().send_text(shop.bot, &customer, "/start").await.unwrap();
    assert!(!app.last_message(shop.bot, customer.id).text.unwrap().contains("@getolog_bot"), "no advert any more");
}

#[actix_web::test]
async fn two_moderators_approving_at_once_extend_the_plan_once_from_its_end() {
    let (app, first, second) = plan_app().await;
    let owner = app.register_owner(7_000_001_002, "Sardor", "en").await;
    let id = send_plan_receipt(&app, &owner, 6).await;
    let main = app.main_id();
    let copy_of = |m: &SimUser| {
        let messages = app.sim().messages_in(main, m.id);
        messages.into_iter().rev().find(|c| c.photo.is_some()).expect("a copy of the receipt").message_id
    };
    let copies = [copy_of(&first), copy_of(&second)];
    let data = format!("pp:{id}:ok");
    let (a, b) = futures_util::join!(
        app.sim().press_button(main, &first, copies[0], &data),
        app.sim().press_button(main, &second, copies[1], &data)
    );
    assert_eq!((a.unwrap().status, b.unwrap().status), (200, 200));
    let start = app.clock.now();
    let six = start.checked_add_months(Months::new(6)).unwrap();
    assert_eq!(paid_until(&app).await, vec![six], "one extension");

    // A second plan, bought while the first runs, starts where it ends.
    let renewal = send_plan_receipt(&app, &owner, 1).await;
    app.press(main, &second, &format!("pp:{renewal}:ok")).await;
    assert_eq!(paid_until(&app).await, vec![six.checked_add_months(Months::new(1)).unwrap()]);
    let expected = Utc.with_ymd_and_hms(2027, 6, 25, 9, 0, 0).unwrap();
    assert_eq!(paid_until(&app).await[0], expected);
}

#[actix_web::test]
async fn a_rejected_plan_receipt_tells_the_owner_why_and_every_copy_says_who() {
    let (app, first, second) = plan_app().await;
    let owner = app.register_owner(7_000_001_003, "Nodira", "ru").await;
    let id = send_plan_receipt(&app, &owner, 1).await;
    let main = app.main_id();
    let copy = app.sim().messages_in(main, second.id).into_iter().rev().find(|c| c.photo.is_some()).unwrap().message_id;
    app.press(main, &second, &format!("pp:{id}:no")).await;
    app.press(main, &second, &format!("pp:{id}:r:x")).await;
    app.say(main, &second, "The transfer is from another card").await;

    app.wait_for_owner_message(&owner, "Оплата тарифа #").await;
    let told = app.last_message(main, owner.id).text.unwrap();
    assert!(told.ends_with("не принята: The transfer is from another card"), "{told}");
    let mine = app.sim().message(main, second.id, copy).unwrap().text.unwrap();
    assert!(mine.ends_with("❌ Rejected by Timur"), "{mine}");
    let theirs = app.texts_containing(main, first.id, &format!("Plan payment #{id}"));
    assert_eq!(theirs.len(), 1);
    assert!(theirs[0].ends_with("❌ Rejected by Timur"), "{theirs:?}");
    assert!(paid_until(&app).await.is_empty());
    let status: String =
        platform_payments::table.select(platform_payments::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "rejected");
}
