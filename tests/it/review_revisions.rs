//! A reviewer approves exactly what they saw. A newer receipt for a pending payment (a plan
//! bought as 1 month, then resent as 12 months; a customer's second receipt) gives it a new
//! revision: the older copies are edited to say so, without buttons, and a press that still
//! comes from one of them decides nothing and says why. The newest copy decides the version
//! it shows, at its amount.

use crate::support::{spawn_app, TestApp, TestEnv, MODERATOR_ID};
use bigdecimal::BigDecimal;
use chrono::Months;
use diesel::{ExpressionMethods, NullableExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    clock::Clock,
    db::schema::{admin_subscriptions, payments, platform_payments, subscriptions},
    simulator::{SentMessage, SimUser},
};

const SECOND_MODERATOR: i64 = 9_000_000_002;
const CHANGED: &str = "This payment changed after this copy was sent; nothing was done. Review the newest copy.";

/// The newest copy of a receipt (a photo) the main bot sent to `user`.
fn newest_copy(app: &TestApp, user: &SimUser) -> SentMessage {
    let messages = app.sim().messages_in(app.main_id(), user.id);
    messages.into_iter().rev().find(|m| m.photo.is_some()).expect("a copy of the receipt")
}

fn has_buttons(message: &SentMessage) -> bool {
    message.buttons().iter().any(|row| !row.is_empty())
}

/// The owner buys a plan of `months` and sends a photo receipt.
async fn send_plan_receipt(app: &TestApp, owner: &SimUser, months: i32) {
    let main = app.main_id();
    app.say(main, owner, "/plan").await;
    app.press(main, owner, &format!("pl:{months}")).await;
    app.sim().send_photo(main, owner, None).await.unwrap();
    app.wait_for_owner_message(owner, "Receipt received (plan payment #").await;
}

#[actix_web::test]
async fn a_plan_receipt_resent_for_twelve_months_is_not_approved_by_the_one_month_copy() {
    let mut env = TestEnv::new().await;
    env.settings.moderator_ids.push(SECOND_MODERATOR);
    env.settings.platform_card_number = "8600123412341239".into();
    env.settings.platform_card_holder = "Getolog LLC".into();
    let app = env.start().await;
    let (first, second) = (app.user(MODERATOR_ID, "Malika"), app.user(SECOND_MODERATOR, "Timur"));
    let main = app.main_id();
    for moderator in [&first, &second] {
        app.sim().send_text(main, moderator, "/start").await.unwrap();
    }
    let owner = app.register_owner(7_000_005_001, "Sardor", "en").await;

    send_plan_receipt(&app, &owner, 1).await;
    let old = [newest_copy(&app, &first), newest_copy(&app, &second)];
    let id: i64 = platform_payments::table.select(platform_payments::id).first(&mut app.db().await).await.unwrap();
    assert!(old[0].text.as_deref().unwrap().contains("50 000 UZS"));
    let old_approve = format!("pp:{id}:ok");
    assert!(old[0].buttons().concat().iter().any(|(_, d)| *d == old_approve), "{:?}", old[0].buttons());

    // The same pending payment, resent as 12 months.
    send_plan_receipt(&app, &owner, 12).await;
    for (moderator, copy) in [&first, &second].into_iter().zip(&old) {
        let now = app.sim().message(main, moderator.id, copy.message_id).unwrap();
        assert!(now.text.as_deref().unwrap().contains("the owner sent a newer receipt"), "{now:?}");
        assert!(!has_buttons(&now), "an older copy keeps no buttons");
        let new = newest_copy(&app, moderator);
        assert_ne!(new.message_id, copy.message_id);
        assert!(new.text.as_deref().unwrap().contains("450 000 UZS"), "{new:?}");
    }

    // A press that still comes from an old copy (sent before it was edited) decides nothing.
    app.press_forged(main, &first, &old_approve).await;
    assert_eq!(app.last_toast(main).as_deref(), Some(CHANGED));
    app.press_forged(main, &second, &format!("pp:{id}:r:1")).await;
    assert_eq!(app.last_toast(main).as_deref(), Some(CHANGED));
    let plans: i64 = admin_subscriptions::table
        .filter(admin_subscriptions::plan.ne("free"))
        .count()
        .get_result(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(plans, 0, "nothing granted from the old copy");
    let status: String =
        platform_payments::table.select(platform_payments::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "pending");

    // The new copy approves the 12-month version at its amount.
    app.press(main, &second, &format!("pp:{id}.2:ok")).await;
    let (plan, amount, status): (String, BigDecimal, String) = platform_payments::table
        .select((platform_payments::plan, platform_payments::amount, platform_payments::status))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!((plan.as_str(), amount, status.as_str()), ("12month", BigDecimal::from(450_000), "approved"));
    let ends: Vec<chrono::DateTime<chrono::Utc>> = admin_subscriptions::table
        .filter(admin_subscriptions::plan.ne("free"))
        .select(admin_subscriptions::expires_at.assume_not_null())
        .load(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(ends, vec![app.clock.now().checked_add_months(Months::new(12)).unwrap()]);
    let copy = app.sim().message(main, first.id, newest_copy(&app, &first).message_id).unwrap();
    assert!(copy.text.unwrap().ends_with("✅ Approved by Timur"), "the other new copy says who decided");
}

#[actix_web::test]
async fn a_customers_second_receipt_retires_the_owners_older_copy() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_005_002, "revision_shop_bot").await;
    let customer = app.user(7_100_005_001, "Aziza");
    let main = app.main_id();
    let old = app.buy_and_send_receipt(&shop, &customer).await;
    let id: i64 = payments::table.select(payments::id).first(&mut app.db().await).await.unwrap();
    let old_approve = format!("p:{id}:ok");
    assert!(old.buttons().concat().iter().any(|(_, d)| *d == old_approve), "{:?}", old.buttons());

    app.sim().send_document(shop.bot, &customer, "second.pdf", None).await.unwrap();
    let new = app.wait_for_owner_message(&shop.owner, "Receipt 2 for payment").await;
    let retired = app.sim().message(main, shop.owner.id, old.message_id).unwrap();
    assert!(retired.text.as_deref().unwrap().contains("the customer sent a newer receipt"), "{retired:?}");
    assert!(!has_buttons(&retired), "the older copy keeps no buttons");

    // A press that still comes from the old copy decides nothing.
    app.press_forged(main, &shop.owner, &old_approve).await;
    assert_eq!(app.last_toast(main).as_deref(), Some(CHANGED));
    app.press_forged(main, &shop.owner, &format!("p:{id}:r:1")).await;
    assert_eq!(app.last_toast(main).as_deref(), Some(CHANGED));
    let status: String = payments::table.select(payments::status).first(&mut app.db().await).await.unwrap();
    assert_eq!(status, "pending");
    let granted: i64 = subscriptions::table.count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(granted, 0, "nothing granted from the old copy");

    // The new copy approves what it shows.
    let data = format!("p:{id}.2:ok");
    assert!(new.buttons().concat().iter().any(|(_, d)| *d == data), "{:?}", new.buttons());
    app.press(main, &shop.owner, &data).await;
    let (status, amount): (String, BigDecimal) =
        payments::table.select((payments::status, payments::amount)).first(&mut app.db().await).await.unwrap();
    assert_eq!((status.as_str(), amount), ("approved", BigDecimal::from(50_000)));
    let granted: Vec<String> =
        subscriptions::table.select(subscriptions::status).load(&mut app.db().await).await.unwrap();
    assert_eq!(granted, ["active"]);
    app.wait_for_link(shop.bot, &customer).await;
}
