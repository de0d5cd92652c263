//! Scheduler helpers: run a job now, make a paying member, read a subscription's state.

use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, JoinOnDsl, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome, RunJob},
    db::schema::{end_users, payments, subscriptions},
    simulator::SimUser,
};

use super::{shop::Shop, TestApp};

/// A subscription as the scheduler leaves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionState {
    /// active / expired / kicked.
    pub status: String,
    /// Set when the user was removed from the chat.
    pub kicked_at: Option<DateTime<Utc>>,
    /// The 3-day warning went out.
    pub notified_3day: bool,
    /// The 1-day warning went out.
    pub notified_1day: bool,
    /// End of access.
    pub expires_at: Option<DateTime<Utc>>,
}

impl TestApp {
    /// Runs a scheduler job on this node now; panics if another node held its lock.
    pub async fn run_job(&self, job: Job) -> Outcome {
        self.scheduler
            .send(RunJob(job))
            .await
            .expect("scheduler answers")
            .expect("the job's lock was free")
            .unwrap_or_else(|e| panic!("{job:?} failed: {e}"))
    }

    /// A customer buys the shop's channel (English), the owner approves, the customer joins
    /// through the personal link. Returns the subscription id.
    pub async fn paying_member(&self, shop: &Shop, customer: &SimUser) -> i64 {
        self.buy_and_send_receipt_after_start(shop, customer, "en").await;
        let payment: i64 = payments::table
            .inner_join(end_users::table.on(end_users::id.eq(payments::end_user_id)))
            .filter(end_users::telegram_id.eq(customer.id))
            .filter(payments::status.eq("pending"))
            .select(payments::id)
            .first(&mut self.db().await)
            .await
            .expect("a pending payment");
        self.press(self.main_id(), &shop.owner, &format!("p:{payment}:ok")).await;
        let (link, _) = self.wait_for_link(shop.bot, customer).await;
        self.sim().use_invite_link(customer, &link).await.expect("join request");
        let joined = self
            .sim()
            .wait_for(Duration::from_secs(5), |s| s.member_status(shop.chat, customer.id) == Some("member"))
            .await;
        assert!(joined, "the customer did not get in");
        subscriptions::table
            .filter(subscriptions::payment_id.eq(payment))
            .select(subscriptions::id)
            .first(&mut self.db().await)
            .await
            .expect("a subscription")
    }

    /// The subscription's lifecycle columns.
    pub async fn subscription_state(&self, id: i64) -> SubscriptionState {
        let (status, kicked_at, notified_3day, notified_1day, expires_at) = subscriptions::table
            .filter(subscriptions::id.eq(id))
            .select((
                subscriptions::status,
                subscriptions::kicked_at,
                subscriptions::notified_3day,
                subscriptions::notified_1day,
                subscriptions::expires_at,
            ))
            .first(&mut self.db().await)
            .await
            .expect("the subscription");
        SubscriptionState { status, kicked_at, notified_3day, notified_1day, expires_at }
    }

    /// Texts the bot sent to a chat that contain `needle`.
    pub fn texts_containing(&self, bot: i64, chat: i64, needle: &str) -> Vec<String> {
        self.sim().messages_in(bot, chat).into_iter().filter_map(|m| m.text).filter(|t| t.contains(needle)).collect()
    }
}

/// A second node on the same database, Redis, simulator and clock (its webhooks point at
/// the first node, like two nodes behind one address).
pub struct SecondNode {
    /// Its scheduler.
    pub scheduler: actix::Addr<getolog::actors::scheduler::SchedulerActor>,
    /// Stops it.
    pub server: actix_web::dev::ServerHandle,
    /// Its base URL, e.g. `http://127.0.0.1:PORT`.
    pub address: String,
}

impl TestApp {
    /// Starts a second node beside this one.
    pub async fn second_node(&self) -> SecondNode {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let clock = std::sync::Arc::new(self.clock.clone());
        let node = getolog::startup::Application::build_with_listener(self.env.settings.clone(), clock, listener)
            .await
            .expect("second node starts");
        let (scheduler, server) = (node.scheduler().clone(), node.server_handle());
        let address = format!("http://127.0.0.1:{}", node.port());
        actix_web::rt::spawn(node.run_until_stopped());
        SecondNode { scheduler, server, address }
    }
}
