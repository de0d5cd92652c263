//! Advance warnings: end users hear 3 days and 1 day before their access ends, once each
//! (also across a restart), and a renewal starts the warnings over; owners and moderators
//! hear before a paid plan ends and when it has, and the advert comes back at once.

use std::time::Duration as StdDuration;

use crate::support::{spawn_app, MODERATOR_ID};
use bigdecimal::BigDecimal;
use chrono::Duration;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome},
    clock::Clock,
    db::schema::{admin_subscriptions, payments, user_admins},
};

#[actix_web::test]
async fn warnings_go_out_once_at_three_days_and_one_day_even_across_a_restart() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_601, "warn_shop_bot").await;
    let customer = app.user(7_100_000_601, "Aziza");
    let subscription = app.paying_member(&shop, &customer).await; // ends 25.12.2026 09:00

    app.clock.advance(Duration::days(26)); // 4 days left
    assert_eq!(app.run_job(Job::Warnings).await, Outcome::default());
    app.clock.advance(Duration::days(1) + Duration::hours(1)); // 2 days 23 hours left
    assert_eq!(app.run_job(Job::Warnings).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.run_job(Job::Warnings).await, Outcome::default(), "once only");
    let warning = app.last_message(shop.bot, customer.id);
    let text = warning.text.unwrap();
    assert!(text.starts_with("⏳ Your access to 📢 VIP club ends on 25.12.2026 (in 3 days)"), "{text}");
    assert!(warning.reply_markup.unwrap().to_string().contains(&format!("buy:{}", shop.channel)), "a Renew button");

    let app = app.restart().await;
    app.clock.advance(Duration::days(27) + Duration::hours(1));
    assert_eq!(app.run_job(Job::Warnings).await, Outcome::default(), "the flag outlives the process");
    app.clock.advance(Duration::days(2)); // 23 hours left
    assert_eq!(app.run_job(Job::Warnings).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.run_job(Job::Warnings).await, Outcome::default());
    assert_eq!(app.texts_containing(shop.bot, customer.id, "(in 1 day)").len(), 1);
    assert_eq!(app.texts_containing(shop.bot, customer.id, "ends on 25.12.2026").len(), 2, "two warnings in all");
    let state = app.subscription_state(subscription).await;
    assert!(state.notified_3day && state.notified_1day);

    app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, &customer, &format!("pay:{}:card", shop.channel)).await;
    app.sim().send_photo(shop.bot, &customer, None).await.unwrap();
    let renewal: i64 = payments::table
        .filter(payments::status.eq("pending"))
        .select(payments::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    app.press(app.main_id(), &shop.owner, &format!("p:{renewal}:ok")).await;
    let renewed = app.subscription_state(subscription).await;
    assert!(!renewed.notified_3day && !renewed.notified_1day, "the new period warns again");
    assert_eq!(renewed.expires_at.unwrap().date_naive().to_string(), "2027-01-25");
}

#[actix_web::test]
async fn a_users_first_warning_inside_the_last_day_is_the_one_day_warning_only() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_602, "late_warn_shop_bot").await;
    let customer = app.user(7_100_000_602, "Bobur");
    let subscription = app.paying_member(&shop, &customer).await;
    app.clock.advance(Duration::days(29) + Duration::hours(12));
    assert_eq!(app.run_job(Job::Warnings).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.texts_containing(shop.bot, customer.id, "ends on").len(), 1);
    let state = app.subscription_state(subscription).await;
    assert!(state.notified_3day && state.notified_1day);
}

#[actix_web::test]
async fn an_owners_paid_plan_warns_owner_and_moderators_then_returns_to_free_with_the_advert() {
    let app = spawn_app().await;
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();
    let shop = app.ready_shop(7_000_000_603, "plan_shop_bot").await;
    let owner_row: i64 = user_admins::table
        .filter(user_admins::telegram_id.eq(shop.owner.id))
        .select(user_admins::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    diesel::insert_into(admin_subscriptions::table)
        .values((
            admin_subscriptions::user_admin_id.eq(owner_row),
            admin_subscriptions::plan.eq("1month"),
            admin_subscriptions::started_at.eq(app.clock.now()),
            admin_subscriptions::expires_at.eq(app.clock.now() + Duration::days(30)),
            admin_subscriptions::amount_paid.eq(BigDecimal::from(50_000)),
        ))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    let early = app.user(7_100_000_603, "Early");
    app.sim().send_text(shop.bot, &early, "/start").await.unwrap();
    let advert = |text: &str| text.contains("@getolog_bot");
    assert!(!advert(&app.last_message(shop.bot, early.id).text.unwrap()), "a paid plan shows no advert");

    app.clock.advance(Duration::days(28));
    assert_eq!(app.run_job(Job::Warnings).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.run_job(Job::Warnings).await, Outcome::default(), "once only");
    let main = app.main_id();
    let told = app.texts_containing(main, shop.owner.id, "Your Getolog plan (1 month) ends on 25.12.2026 (in 2 days)");
    assert_eq!(told.len(), 1);
    let alerted = app
        .sim()
        .wait_for(StdDuration::from_secs(5), |s| {
            s.messages_in(main, MODERATOR_ID)
                .iter()
                .any(|m| m.text.as_deref().unwrap_or("").contains("plan ends on 25.12.2026"))
        })
        .await;
    assert!(alerted, "moderators hear about the plan ending");

    app.clock.advance(Duration::days(2) + Duration::minutes(1));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default());
    assert_eq!(app.texts_containing(main, shop.owner.id, "you are on the Free plan now").len(), 1);
    let alerted = app
        .sim()
        .wait_for(StdDuration::from_secs(5), |s| {
            s.messages_in(main, MODERATOR_ID).iter().any(|m| m.text.as_deref().unwrap_or("").contains("back on Free"))
        })
        .await;
    assert!(alerted, "moderators hear about the expiry");
    let late = app.user(7_100_000_604, "Late");
    app.sim().send_text(shop.bot, &late, "/start").await.unwrap();
    assert!(advert(&app.last_message(shop.bot, late.id).text.unwrap()), "the advert is back at once");
}

#[actix_web::test]
async fn a_failed_bot_whose_actor_is_stopped_still_warns_its_customers() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_609, "failed_warn_bot").await;
    let customer = app.user(7_100_000_609, "Dilnoza");
    app.paying_member(&shop, &customer).await; // ends 25.12.2026 09:00
                                               // The bot crashed too often here: recorded failed, and no actor serves it on this node.
    diesel::update(getolog::db::schema::user_bots::table)
        .filter(getolog::db::schema::user_bots::telegram_bot_id.eq(shop.bot))
        .set(getolog::db::schema::user_bots::health.eq("failed"))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    app.registry.remove(shop.bot);

    app.clock.advance(Duration::days(27) + Duration::hours(1));
    assert_eq!(app.run_job(Job::Warnings).await, Outcome { done: 1, retry: 0 }, "the warning goes out all the same");
    assert_eq!(app.texts_containing(shop.bot, customer.id, "(in 3 days)").len(), 1);
}
