//! The scheduler at scale and on several nodes: two nodes running the same job at the same
//! moment act once; a crashed holder's lock expires; a batch goes out within Telegram's
//! pace for one bot, honours `retry_after`, and a user who blocked the bot does not stop it.

use std::time::{Duration, Instant};

use crate::support::{shop::Shop, spawn_app, TestApp};
use chrono::Duration as Days;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, RunJob},
    clock::Clock,
    db::schema::{end_users, subscriptions},
    simulator::{Fault, FaultRule, SimUser},
};

/// `count` customers who started the shop, are in its channel and whose access ended an
/// hour ago.
async fn expired_members(app: &TestApp, shop: &Shop, first_id: i64, count: i64) -> Vec<SimUser> {
    let mut users = Vec::new();
    for id in first_id..first_id + count {
        let user = app.user(id, &format!("User{id}"));
        app.start_and_choose(shop.bot, &user, "en").await;
        app.sim().add_member(shop.chat, &user).unwrap();
        users.push(user);
    }
    let ids: Vec<i64> = end_users::table
        .filter(end_users::telegram_id.ge(first_id))
        .filter(end_users::telegram_id.lt(first_id + count))
        .select(end_users::id)
        .load(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(ids.len() as i64, count);
    let ended = app.clock.now() - Days::hours(1);
    let rows: Vec<_> = ids
        .into_iter()
        .map(|id| {
            (
                subscriptions::end_user_id.eq(id),
                subscriptions::channel_id.eq(shop.channel),
                subscriptions::expires_at.eq(Some(ended)),
                subscriptions::created_at.eq(ended - Days::days(30)),
            )
        })
        .collect();
    diesel::insert_into(subscriptions::table).values(rows).execute(&mut app.db().await).await.unwrap();
    users
}

fn ended_notices(app: &TestApp, shop: &Shop, user: &SimUser) -> usize {
    app.texts_containing(shop.bot, user.id, "Your access to 📢 VIP club ended").len()
}

#[actix_web::test]
async fn two_nodes_running_the_expiry_job_at_once_remove_each_user_once() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_801, "two_nodes_shop_bot").await;
    let users = expired_members(&app, &shop, 7_100_000_800, 12).await;
    let other = app.second_node().await;

    let (here, there) =
        futures_util::join!(app.scheduler.send(RunJob(Job::Expiry)), other.scheduler.send(RunJob(Job::Expiry)));
    let done: usize = [here.unwrap(), there.unwrap()].into_iter().flatten().map(|r| r.unwrap().done).sum();
    assert_eq!(done, 12, "each removal counted once across the nodes");
    assert_eq!(app.sim().calls_to(shop.bot, "banChatMember").len(), 12, "each user banned once");
    for user in &users {
        assert_eq!(ended_notices(&app, &shop, user), 1, "user {} told once", user.id);
        assert_eq!(app.sim().member_status(shop.chat, user.id), Some("left"));
    }
    other.server.stop(true).await;
}

#[actix_web::test]
async fn a_crashed_holders_lock_expires_and_the_next_run_proceeds() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_802, "crashed_lock_shop_bot").await;
    let users = expired_members(&app, &shop, 7_100_000_820, 2).await;
    let crashed = app.state.cache.try_lock("expiry", Duration::from_millis(300)).await.unwrap();
    assert!(crashed.is_some(), "a node took the lock and died");
    let blocked = app.scheduler.send(RunJob(Job::Expiry)).await.unwrap();
    assert!(blocked.is_none(), "the lock is held");
    let deadline = Instant::now() + Duration::from_secs(5);
    let outcome = loop {
        if let Some(outcome) = app.scheduler.send(RunJob(Job::Expiry)).await.unwrap() {
            break outcome.unwrap();
        }
        assert!(Instant::now() < deadline, "the lock never expired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(outcome.done, 2);
    assert!(users.iter().all(|u| ended_notices(&app, &shop, u) == 1));
}

#[actix_web::test]
async fn a_large_batch_keeps_telegrams_pace_honours_retry_after_and_survives_a_blocked_user() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_803, "volume_shop_bot").await;
    let users = expired_members(&app, &shop, 7_100_000_840, 45).await;
    app.sim().block_bot(shop.bot, users[7].id);
    let flood = Fault::TooManyRequests { retry_after: 1 };
    app.sim().inject_fault(FaultRule {
        bot_id: Some(shop.bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: flood,
    });
    app.sim().clear_calls();

    let outcome = app.run_job(Job::Expiry).await;
    assert_eq!((outcome.done, outcome.retry), (45, 0), "the blocked user's removal counts too");
    for (i, user) in users.iter().enumerate() {
        assert_eq!(app.sim().member_status(shop.chat, user.id), Some("left"));
        let expected = usize::from(i != 7);
        assert_eq!(ended_notices(&app, &shop, user), expected, "user {i}");
    }
    let sends: Vec<Instant> =
        app.sim().calls_to(shop.bot, "sendMessage").iter().filter(|c| c.response_ok).map(|c| c.at).collect();
    assert_eq!(sends.len(), 44, "every reachable user told, the 429 one after waiting");
    let busiest = sends
        .iter()
        .map(|start| sends.iter().filter(|t| **t >= *start && **t < *start + Duration::from_secs(1)).count())
        .max()
        .unwrap();
    assert!(busiest <= 30, "{busiest} messages from one bot within a second");
}
