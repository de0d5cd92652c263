//! A plan renewed just after its end, before the expiry job has run: the same plan row goes
//! on from now, and nobody hears "back to Free" for it; the expiry job announces a return to
//! Free only for an owner who really has no paid plan running.

use std::time::Duration as StdDuration;

use crate::support::{TestApp, TestEnv, MODERATOR_ID};
use bigdecimal::BigDecimal;
use chrono::{DateTime, Duration, Months, Utc};
use diesel::{ExpressionMethods, NullableExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome},
    clock::Clock,
    db::schema::{admin_subscriptions, platform_payments, user_admins},
    simulator::SimUser,
};

async fn plan_app() -> (TestApp, SimUser) {
    let mut env = TestEnv::new().await;
    env.settings.platform_card_number = "8600123412341239".into();
    env.settings.platform_card_holder = "Getolog LLC".into();
    let app = env.start().await;
    let moderator = app.user(MODERATOR_ID, "Malika");
    app.sim().send_text(app.main_id(), &moderator, "/start").await.unwrap();
    (app, moderator)
}

async fn owner_row(app: &TestApp, telegram_id: i64) -> i64 {
    user_admins::table
        .filter(user_admins::telegram_id.eq(telegram_id))
        .select(user_admins::id)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

/// Stores a paid plan row of the owner running from `start` to `end`.
async fn store_plan(app: &TestApp, owner: i64, start: DateTime<Utc>, end: DateTime<Utc>) {
    diesel::insert_into(admin_subscriptions::table)
        .values((
            admin_subscriptions::user_admin_id.eq(owner),
            admin_subscriptions::plan.eq("1month"),
            admin_subscriptions::started_at.eq(start),
            admin_subscriptions::expires_at.eq(end),
            admin_subscriptions::amount_paid.eq(BigDecimal::from(50_000)),
        ))
        .execute(&mut app.db().await)
        .await
        .unwrap();
}

/// Paid plan rows as (status, end).
async fn paid_rows(app: &TestApp) -> Vec<(String, DateTime<Utc>)> {
    admin_subscriptions::table
        .filter(admin_subscriptions::plan.ne("free"))
        .select((admin_subscriptions::status, admin_subscriptions::expires_at.assume_not_null()))
        .order(admin_subscriptions::id)
        .load(&mut app.db().await)
        .await
        .unwrap()
}

/// Lets the moderator alerts that are due go out, then counts those containing `needle`.
async fn moderator_alerts(app: &TestApp, needle: &str) -> usize {
    tokio::time::sleep(StdDuration::from_millis(800)).await;
    app.texts_containing(app.main_id(), MODERATOR_ID, needle).len()
}

#[actix_web::test]
async fn a_plan_renewed_after_its_end_but_before_expiry_goes_on_in_the_same_row_without_a_false_free() {
    let (app, moderator) = plan_app().await;
    let owner = app.register_owner(7_000_003_001, "Sardor", "en").await;
    let row = owner_row(&app, owner.id).await;
    let start = app.clock.now();
    store_plan(&app, row, start, start + Duration::days(30)).await;

    // The plan ended an hour ago; the expiry job has not run since.
    app.clock.advance(Duration::days(30) + Duration::hours(1));
    let main = app.main_id();
    app.say(main, &owner, "/plan").await;
    app.press(main, &owner, "pl:1").await;
    app.sim().send_photo(main, &owner, None).await.unwrap();
    let id: i64 = platform_payments::table
        .filter(platform_payments::status.eq("pending"))
        .select(platform_payments::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    app.press(main, &moderator, &format!("pp:{id}:ok")).await;

    let renewed_until = app.clock.now().checked_add_months(Months::new(1)).unwrap();
    assert_eq!(paid_rows(&app).await, vec![("active".to_owned(), renewed_until)], "one row, going on from now");
    app.wait_for_owner_message(&owner, "Your plan 1 month is active until").await;

    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default(), "nothing is due any more");
    assert!(app.texts_containing(main, owner.id, "you are on the Free plan now").is_empty());
    assert_eq!(moderator_alerts(&app, "back on Free").await, 0, "no false alert to moderators");

    // When the renewed plan does end, the owner and the moderators hear it once.
    app.clock.advance(Duration::days(32));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    assert_eq!(app.texts_containing(main, owner.id, "you are on the Free plan now").len(), 1);
    assert_eq!(moderator_alerts(&app, "back on Free").await, 1);
}

#[actix_web::test]
async fn an_ended_leftover_row_of_an_owner_whose_plan_runs_is_expired_silently() {
    let (app, _moderator) = plan_app().await;
    let owner = app.register_owner(7_000_003_002, "Nodira", "en").await;
    let row = owner_row(&app, owner.id).await;
    let now = app.clock.now();
    // Two active rows, as older versions could leave: one ended, one running.
    store_plan(&app, row, now - Duration::days(31), now - Duration::hours(1)).await;
    store_plan(&app, row, now - Duration::minutes(30), now + Duration::days(30)).await;

    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 }, "the ended row is expired");
    let statuses: Vec<String> = paid_rows(&app).await.into_iter().map(|(status, _)| status).collect();
    assert_eq!(statuses, ["expired", "active"]);
    assert!(app.texts_containing(app.main_id(), owner.id, "you are on the Free plan now").is_empty());
    assert_eq!(moderator_alerts(&app, "back on Free").await, 0);
}
