//! Access and plans granted by hand happen once per intended grant, decided inside the
//! granting transaction: the other chat or another customer from the same customers screen
//! is granted, a double press of one button grants once, a failed attempt retried grants
//! then; a moderator's plan grant pressed twice at once (two devices) extends the plan once.

use crate::support;

use std::time::Duration as StdDuration;

use crate::support::{spawn_app, TestApp, MODERATOR_ID};
use chrono::Months;
use diesel::{ExpressionMethods, NullableExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    clock::Clock,
    db::schema::{admin_subscriptions, channels, end_users, payments, platform_payments, subscriptions, user_admins},
    simulator::{ChatKind, Rights, SimUser},
};

async fn end_user_row(app: &TestApp, telegram_id: i64) -> i64 {
    end_users::table
        .filter(end_users::telegram_id.eq(telegram_id))
        .select(end_users::id)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

/// Active subscriptions as (end user row, chat row), in a stable order.
async fn active_grants(app: &TestApp) -> Vec<(i64, i64)> {
    subscriptions::table
        .filter(subscriptions::status.eq("active"))
        .select((subscriptions::end_user_id, subscriptions::channel_id))
        .order((subscriptions::end_user_id, subscriptions::channel_id))
        .load(&mut app.db().await)
        .await
        .unwrap()
}

async fn manual_payments(app: &TestApp) -> i64 {
    payments::table.filter(payments::payment_method.eq("manual")).count().get_result(&mut app.db().await).await.unwrap()
}

/// Ends of the paid plan rows.
async fn plan_ends(app: &TestApp) -> Vec<chrono::DateTime<chrono::Utc>> {
    admin_subscriptions::table
        .filter(admin_subscriptions::plan.ne("free"))
        .select(admin_subscriptions::expires_at.assume_not_null())
        .load(&mut app.db().await)
        .await
        .unwrap()
}

/// The owner links a group "VIP chat" to the shop's bot; returns its `channels.id`.
async fn link_group(app: &TestApp, owner: &SimUser, bot: i64) -> i64 {
    let group = app.sim().create_chat(ChatKind::Supergroup, "VIP chat");
    app.sim().set_bot_rights(group, bot, Some(Rights::getolog())).await.unwrap();
    app.wait_for_owner_message(owner, "administrator of the group «VIP chat»").await;
    let id: i64 = channels::table
        .filter(channels::telegram_chat_id.eq(group))
        .select(channels::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    app.press(app.main_id(), owner, &format!("c:{id}:link")).await;
    id
}

#[actix_web::test]
async fn every_intended_grant_of_the_customers_screen_happens_once() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_004_001, "grants_shop_bot").await;
    let group = link_group(&app, &shop.owner, shop.bot).await;
    let (aziza, bobur) = (app.user(7_100_004_001, "Aziza"), app.user(7_100_004_002, "Bobur"));
    for customer in [&aziza, &bobur] {
        app.start_and_choose(shop.bot, customer, "en").await;
    }
    let (a, b) = (end_user_row(&app, aziza.id).await, end_user_row(&app, bobur.id).await);
    let main = app.main_id();
    app.say(main, &shop.owner, "/menu").await;
    app.press(main, &shop.owner, "u:p:0").await;

    // The channel, pressed twice at once: granted once.
    app.press(main, &shop.owner, &format!("u:{a}")).await;
    app.press(main, &shop.owner, &format!("u:{a}:g")).await;
    app.press(main, &shop.owner, &format!("u:{a}:g:{}", shop.channel)).await;
    let (screen, data) = app.button_starting(main, &shop.owner, &format!("u:{a}:g:{}:1", shop.channel));
    let (first, second) = futures_util::join!(
        app.sim().press_button(main, &shop.owner, screen, &data),
        app.sim().press_button(main, &shop.owner, screen, &data),
    );
    assert_eq!((first.unwrap().status, second.unwrap().status), (200, 200));
    assert_eq!(active_grants(&app).await, [(a, shop.channel)]);
    assert_eq!(manual_payments(&app).await, 1, "one grant for a double press");

    // Then the group, on the same (edited) screen message: granted too.
    app.press(main, &shop.owner, &format!("u:{a}:g")).await;
    app.press(main, &shop.owner, &format!("u:{a}:g:{group}")).await;
    let granted = app.press_starting(main, &shop.owner, &format!("u:{a}:g:{group}:1")).await;
    assert_eq!(granted.message_id, screen, "the customers screen is one edited message");
    assert_eq!(active_grants(&app).await, [(a, shop.channel), (a, group)]);

    // A late press of the channel's button (a retry from another device) grants nothing more.
    app.press_forged(main, &shop.owner, &data).await;
    assert_eq!(app.last_toast(main).as_deref(), Some("Already granted by this button; nothing more was done."));
    assert_eq!(manual_payments(&app).await, 2);

    // A second customer, same screen message again: granted.
    app.press(main, &shop.owner, "u:p:0").await;
    app.press(main, &shop.owner, &format!("u:{b}")).await;
    app.press(main, &shop.owner, &format!("u:{b}:g")).await;
    app.press(main, &shop.owner, &format!("u:{b}:g:{}", shop.channel)).await;
    app.press_starting(main, &shop.owner, &format!("u:{b}:g:{}:1", shop.channel)).await;
    assert_eq!(active_grants(&app).await, [(a, shop.channel), (a, group), (b, shop.channel)]);
    assert_eq!(manual_payments(&app).await, 3);
    app.wait_for_link(shop.bot, &bobur).await;
}

#[actix_web::test]
async fn a_grant_that_failed_is_granted_when_retried() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_004_002, "retry_grant_shop_bot").await;
    let aziza = app.user(7_100_004_003, "Aziza");
    app.start_and_choose(shop.bot, &aziza, "en").await;
    let a = end_user_row(&app, aziza.id).await;
    let main = app.main_id();
    app.say(main, &shop.owner, "/menu").await;
    app.press(main, &shop.owner, "u:p:0").await;
    app.press(main, &shop.owner, &format!("u:{a}")).await;
    app.press(main, &shop.owner, &format!("u:{a}:g")).await;
    app.press(main, &shop.owner, &format!("u:{a}:g:{}", shop.channel)).await;
    let (screen, data) = app.button_starting(main, &shop.owner, &format!("u:{a}:g:{}:1", shop.channel));

    // The database refuses manual payments for a moment: the press fails, Telegram will
    // deliver it again.
    let mut db = app.db().await;
    diesel::sql_query("ALTER TABLE payments ADD CONSTRAINT no_grants CHECK (payment_method <> 'manual') NOT VALID")
        .execute(&mut db)
        .await
        .unwrap();
    let failed = app.sim().press_button(main, &shop.owner, screen, &data).await.unwrap();
    assert_ne!(failed.status, 200, "a failed grant is not acknowledged");
    assert!(active_grants(&app).await.is_empty());
    diesel::sql_query("ALTER TABLE payments DROP CONSTRAINT no_grants").execute(&mut db).await.unwrap();

    let update_id = app.sim().last_update(main).unwrap()["update_id"].as_i64().unwrap();
    assert_eq!(app.sim().redeliver(main, update_id).await.unwrap().status, 200);
    assert_eq!(active_grants(&app).await, [(a, shop.channel)], "the retry grants");
    app.wait_for_link(shop.bot, &aziza).await;
}

#[actix_web::test]
async fn a_moderators_plan_grant_pressed_twice_at_once_extends_the_plan_once() {
    let app = spawn_app().await;
    let moderator = app.user(MODERATOR_ID, "Malika");
    app.sim().send_text(app.main_id(), &moderator, "/start").await.unwrap();
    let owner = app.register_owner(7_000_004_003, "Nodira", "en").await;
    let main = app.main_id();
    let heard = app
        .sim()
        .wait_for(StdDuration::from_secs(5), |s| {
            s.messages_in(main, MODERATOR_ID).iter().any(|m| m.text.as_deref().unwrap_or("").contains("New owner"))
        })
        .await;
    assert!(heard, "the new-owner alert settles before the panel is used");
    let row: i64 = user_admins::table
        .filter(user_admins::telegram_id.eq(owner.id))
        .select(user_admins::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    app.say(main, &moderator, "/panel").await;
    app.press(main, &moderator, "mp:o:0").await;
    app.press(main, &moderator, &format!("mp:w:{row}")).await;
    app.press(main, &moderator, &format!("mp:w:{row}:g")).await;
    let (screen, data) = app.button_starting(main, &moderator, &format!("mp:w:{row}:g:6"));

    // Two devices press the same button at the same moment.
    let (first, second) = futures_util::join!(
        app.sim().press_button(main, &moderator, screen, &data),
        app.sim().press_button(main, &moderator, screen, &data),
    );
    assert_eq!((first.unwrap().status, second.unwrap().status), (200, 200));
    let six = app.clock.now().checked_add_months(Months::new(6)).unwrap();
    assert_eq!(plan_ends(&app).await, vec![six], "one extension of 6 months");

    // And a late retry of the same press.
    app.press_forged(main, &moderator, &data).await;
    assert_eq!(app.last_toast(main).as_deref(), Some("Already granted by this button; nothing more was done."));
    assert_eq!(plan_ends(&app).await, vec![six]);
    let grants: i64 = platform_payments::table.count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(grants, 1, "one manual plan payment");
    // The owner's notice goes by the courier: once it came, no second one follows.
    app.wait_for_owner_message(&owner, "A moderator gave you the plan 6 months").await;
    tokio::time::sleep(StdDuration::from_millis(1200)).await;
    assert_eq!(app.texts_containing(main, owner.id, "A moderator gave you the plan 6 months").len(), 1);

    // A fresh grant screen grants again.
    app.press(main, &moderator, &format!("mp:w:{row}:g")).await;
    app.press_starting(main, &moderator, &format!("mp:w:{row}:g:1")).await;
    assert_eq!(plan_ends(&app).await, vec![six.checked_add_months(Months::new(1)).unwrap()]);
}

#[actix_web::test]
async fn two_moderators_granting_the_same_owner_at_once_both_extend_the_one_plan() {
    let mut env = support::TestEnv::new().await;
    env.settings.moderator_ids.push(9_000_000_002);
    let app = env.start().await;
    let main = app.main_id();
    let first = app.user(MODERATOR_ID, "Malika");
    let second = app.user(9_000_000_002, "Timur");
    for moderator in [&first, &second] {
        app.sim().send_text(main, moderator, "/start").await.unwrap();
    }
    let owner = app.register_owner(7_000_004_004, "Dilnoza", "en").await;
    let row: i64 = user_admins::table
        .filter(user_admins::telegram_id.eq(owner.id))
        .select(user_admins::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    let heard = app
        .sim()
        .wait_for(StdDuration::from_secs(5), |s| {
            [MODERATOR_ID, 9_000_000_002]
                .iter()
                .all(|m| s.messages_in(main, *m).iter().any(|m| m.text.as_deref().unwrap_or("").contains("New owner")))
        })
        .await;
    assert!(heard, "the new-owner alerts settle before the panel is used");
    let mut presses = Vec::new();
    for (moderator, months) in [(&first, 6), (&second, 1)] {
        app.say(main, moderator, "/panel").await;
        app.press(main, moderator, "mp:o:0").await;
        app.press(main, moderator, &format!("mp:w:{row}")).await;
        app.press(main, moderator, &format!("mp:w:{row}:g")).await;
        presses.push(app.button_starting(main, moderator, &format!("mp:w:{row}:g:{months}")));
    }

    // Two grant screens, two moderators, the same moment: both grants land on one plan row.
    let (a, b) = futures_util::join!(
        app.sim().press_button(main, &first, presses[0].0, &presses[0].1),
        app.sim().press_button(main, &second, presses[1].0, &presses[1].1),
    );
    assert_eq!((a.unwrap().status, b.unwrap().status), (200, 200));
    let seven = app.clock.now().checked_add_months(Months::new(7)).unwrap();
    assert_eq!(plan_ends(&app).await, vec![seven], "6 + 1 months on one row");
}
