//! End of paid access: the scheduler removes members whose period ended (ban, then unban
//! with `only_if_banned`), tells both sides, never marks removed what Telegram refused, and
//! never touches a lifetime subscription. Time is moved on an injected clock.

use crate::support::{spawn_app, MODERATOR_ID};
use chrono::Duration;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome},
    db::schema::channels,
    simulator::Rights,
};

#[actix_web::test]
async fn an_expired_member_is_removed_without_a_lasting_ban_and_both_sides_are_told() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_501, "expiry_shop_bot").await;
    let customer = app.user(7_100_000_501, "Aziza");
    let subscription = app.paying_member(&shop, &customer).await;

    app.clock.advance(Duration::days(29)); // bought 25.11, ends 25.12
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default(), "nothing is due a day early");
    assert_eq!(app.subscription_state(subscription).await.status, "active");

    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    let state = app.subscription_state(subscription).await;
    assert_eq!(state.status, "expired");
    assert!(state.kicked_at.is_some(), "a removal records when");
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("left"), "removed, and not left banned");
    let unban = app.sim().calls_to(shop.bot, "unbanChatMember");
    assert_eq!(unban.len(), 1);
    assert_eq!(unban[0].params["only_if_banned"], serde_json::json!(true));

    let notice = app.last_message(shop.bot, customer.id);
    assert!(
        notice.text.as_deref().unwrap().starts_with("⌛ Your access to 📢 VIP club ended on 25.12.2026"),
        "{notice:?}"
    );
    let renew = notice.reply_markup.unwrap()["inline_keyboard"][0][0].clone();
    assert_eq!(renew["callback_data"], format!("buy:{}", shop.channel));
    app.wait_for_owner_message(&shop.owner, "was removed from 📢 VIP club: the paid period ended").await;

    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default(), "a second run has nothing to do");
    assert_eq!(app.sim().calls_to(shop.bot, "banChatMember").len(), 1, "removed once");
    let renewing = app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    let buttons = renewing.reply_markup.unwrap().to_string();
    assert!(buttons.contains(&format!("pay:{}:card", shop.channel)), "Renew leads to paying again: {buttons}");
}

#[actix_web::test]
async fn a_member_who_already_left_is_marked_expired_without_a_ban() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_502, "left_shop_bot").await;
    let customer = app.user(7_100_000_502, "Bobur");
    let subscription = app.paying_member(&shop, &customer).await;
    app.sim().leave_chat(shop.chat, &customer).await.unwrap();

    app.clock.advance(Duration::days(32));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 });
    let state = app.subscription_state(subscription).await;
    assert_eq!((state.status.as_str(), state.kicked_at), ("expired", None));
    assert!(app.sim().calls_to(shop.bot, "banChatMember").is_empty(), "nobody to remove");
    app.wait_for_owner_message(&shop.owner, "they were no longer there").await;
}

#[actix_web::test]
async fn a_chat_that_refuses_removals_keeps_them_due_tells_the_owner_once_and_is_retried() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_503, "norights_shop_bot").await;
    let first = app.paying_member(&shop, &app.user(7_100_000_503, "Dilshod")).await;
    let second = app.paying_member(&shop, &app.user(7_100_000_504, "Nodira")).await;
    let no_ban = Rights { can_restrict_members: false, ..Rights::getolog() };
    app.sim().set_bot_rights(shop.chat, shop.bot, Some(no_ban)).await.unwrap();
    app.sim().send_text(app.main_id(), &app.user(MODERATOR_ID, "Moder"), "/start").await.unwrap();

    app.clock.advance(Duration::days(32));
    for _ in 0..2 {
        let outcome = app.run_job(Job::Expiry).await;
        assert_eq!(outcome.done, 0);
        assert_eq!(outcome.retry, 2, "both stay due");
        app.clock.advance(Duration::minutes(10)); // past the retry's backoff
    }
    for id in [first, second] {
        assert_eq!(app.subscription_state(id).await.status, "removing", "not marked removed, still owed");
    }
    let told = app.texts_containing(app.main_id(), shop.owner.id, "it needs the \"Ban users\" right there");
    assert_eq!(told.len(), 1, "the owner is told once, not per user or per run: {told:?}");
    assert!(told[0].contains("(2 waiting, first: "), "how many expired customers remain: {told:?}");
    let alert = "@norights_shop_bot cannot remove customers whose period ended from 📢 VIP club: it lacks";
    assert_eq!(app.alerts_about(alert).await, 1, "the moderators are told once too");

    app.sim().set_bot_rights(shop.chat, shop.bot, Some(Rights::getolog())).await.unwrap();
    app.clock.advance(Duration::minutes(10));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 2, retry: 0 });
    for id in [first, second] {
        assert_eq!(app.subscription_state(id).await.status, "expired");
    }
    let blocked: Option<chrono::DateTime<chrono::Utc>> = channels::table
        .filter(channels::id.eq(shop.channel))
        .select(channels::removal_blocked_at)
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(blocked, None, "the next refusal will be news again");
}

#[actix_web::test]
async fn lifetime_access_never_warns_or_expires() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_505, "lifetime_shop_bot").await;
    diesel::update(channels::table.filter(channels::id.eq(shop.channel)))
        .set(channels::duration_months.eq(0))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    let customer = app.user(7_100_000_505, "Jasur");
    let subscription = app.paying_member(&shop, &customer).await;
    assert_eq!(app.subscription_state(subscription).await.expires_at, None);
    let before = app.sim().messages_in(shop.bot, customer.id).len();

    app.clock.advance(Duration::days(3650));
    assert_eq!(app.run_job(Job::Warnings).await, Outcome::default());
    assert_eq!(app.run_job(Job::Expiry).await, Outcome::default());
    assert_eq!(app.subscription_state(subscription).await.status, "active");
    assert_eq!(app.sim().messages_in(shop.bot, customer.id).len(), before, "nothing was sent");
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("member"));
}
