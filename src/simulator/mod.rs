//! An in-process Telegram Bot API simulator.
//!
//! [`Simulator::start`] runs an actix-web server on `127.0.0.1:<random port>` that speaks the
//! Bot API (`/bot<token>/<Method>`, the `{"ok":…}` envelope, JSON/form/multipart bodies) well
//! enough for teloxide-core bots, with Telegram's rules and errors (tokens, rights, who may be
//! messaged, HTML checks, file ownership, join requests, bans). It records every call, keeps the
//! latest state of every message, and plays users by posting updates to the webhooks bots
//! registered. Faults (429, 403, 5xx, latency) can be scripted, and a basic group can be
//! upgraded to a supergroup ([`Simulator::upgrade_to_supergroup`]).
//!
//! ```ignore
//! let sim = Simulator::start().await?;
//! let bot = sim.create_bot("shop_bot");
//! let user = sim.user(5_000_000_001, "Ali", Some("ali"));
//! // point the product at sim.api_url(), let it call setWebhook, then:
//! sim.send_text(bot.id, &user, "/start").await?;
//! let reply = sim.last_message(bot.id, user.id);
//! ```
//!
//! Callers run inside an actix System (`#[actix_web::test]`, `actix_web::rt::System`).

mod api;
mod chats;
pub mod click;
mod delivery;
mod inspect;
mod limits;
mod lookup;
mod managed;
mod markup;
mod messages;
mod methods;
mod params;
pub mod payme;
mod play;
mod script;
mod server;
mod stars;
mod stars_checkout;
mod state;
mod types;
mod upgrade;
pub mod uzum;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_files;
#[cfg(test)]
mod tests_managed;
#[cfg(test)]
mod tests_perf;
#[cfg(test)]
mod tests_stars;
#[cfg(test)]
mod tests_teloxide;
#[cfg(test)]
mod tests_upgrade;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::{web, App, HttpServer};

pub use inspect::InviteLinkInfo;
pub use managed::CreateBotRequest;
pub use stars::{Checkout, Invoice, StarPayment, MAX_STARS, PRE_CHECKOUT_DEADLINE, SUBSCRIPTION_PERIOD};
pub use types::{
    inline_buttons, BackgroundDelivery, Call, ChatKind, Delivery, Fault, FaultRule, JoinOutcome, Rights, SentMessage,
    SimBot, SimError, SimUser, WebhookInfo,
};

/// Shared state behind every [`Simulator`] handle.
pub(crate) struct Inner {
    state: Mutex<state::State>,
    calls: Mutex<Vec<Call>>,
    recording: AtomicBool,
    latency_us: AtomicU64,
    /// Calls received per (bot, canonical method), counted before any latency or answer.
    received: Mutex<std::collections::HashMap<(i64, &'static str), usize>>,
    /// Methods carried out from webhook replies, per (bot, canonical method).
    replied: Mutex<std::collections::HashMap<(i64, &'static str), usize>>,
    client: reqwest::Client,
    background: Mutex<Vec<BackgroundDelivery>>,
    flood: Mutex<limits::FloodLimits>,
}

impl Inner {
    /// Locks the world (poisoning is ignored: the state stays usable).
    pub(crate) fn lock(&self) -> MutexGuard<'_, state::State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Handle to a running simulator; cheap to clone.
#[derive(Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
    addr: SocketAddr,
    api_url: url::Url,
    handle: actix_web::dev::ServerHandle,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator").field("addr", &self.addr).finish()
    }
}

impl Simulator {
    /// Binds `127.0.0.1:0` and starts serving on the current runtime.
    pub async fn start() -> std::io::Result<Simulator> {
        let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().map_err(std::io::Error::other)?;
        let inner = Arc::new(Inner {
            state: Mutex::new(state::State::default()),
            calls: Mutex::new(Vec::new()),
            recording: AtomicBool::new(true),
            latency_us: AtomicU64::new(0),
            received: Mutex::new(std::collections::HashMap::new()),
            replied: Mutex::new(std::collections::HashMap::new()),
            client,
            background: Mutex::new(Vec::new()),
            flood: Mutex::new(limits::FloodLimits::default()),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let api_url = url::Url::parse(&format!("http://{addr}/")).map_err(std::io::Error::other)?;
        let data = web::Data::new(inner.clone());
        let server = HttpServer::new(move || App::new().app_data(data.clone()).configure(server::configure))
            .workers(2)
            .disable_signals()
            .shutdown_timeout(1)
            .listen(listener)?
            .run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(Simulator { inner, addr, api_url, handle })
    }

    /// Stops the HTTP server (other handles stop working too).
    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }

    /// Base URL for `Bot::set_api_url`, e.g. `http://127.0.0.1:PORT/`.
    pub fn api_url(&self) -> url::Url {
        self.api_url.clone()
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every recorded call, oldest first.
    pub fn calls(&self) -> Vec<Call> {
        self.inner.calls.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Recorded calls of one bot.
    pub fn calls_of(&self, bot_id: i64) -> Vec<Call> {
        let calls = self.inner.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.iter().filter(|c| c.bot_id == bot_id).cloned().collect()
    }

    /// Recorded calls of one bot to one method (canonical name, case-insensitive).
    pub fn calls_to(&self, bot_id: i64, method: &str) -> Vec<Call> {
        let calls = self.inner.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.iter().filter(|c| c.bot_id == bot_id && c.method.eq_ignore_ascii_case(method)).cloned().collect()
    }

    /// How many methods of one bot (canonical name) came in webhook replies rather than as
    /// calls of their own (they are counted by [`Simulator::calls_received`] too).
    pub fn webhook_replies(&self, bot_id: i64, method: &str) -> usize {
        let replied = self.inner.replied.lock().unwrap_or_else(|e| e.into_inner());
        replied.iter().filter(|((b, m), _)| *b == bot_id && m.eq_ignore_ascii_case(method)).map(|(_, n)| n).sum()
    }

    /// How many calls of one bot to one method (canonical name) have arrived, answered or
    /// not: a test sees a call that is still held by an injected latency.
    pub fn calls_received(&self, bot_id: i64, method: &str) -> usize {
        let received = self.inner.received.lock().unwrap_or_else(|e| e.into_inner());
        received.iter().filter(|((b, m), _)| *b == bot_id && m.eq_ignore_ascii_case(method)).map(|(_, n)| n).sum()
    }

    /// Forgets recorded calls.
    pub fn clear_calls(&self) {
        self.inner.calls.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Turns call recording on or off (off keeps memory flat in benchmarks).
    pub fn set_recording(&self, on: bool) {
        self.inner.recording.store(on, Ordering::Relaxed);
    }

    /// Adds a fault rule; rules are tried in insertion order.
    pub fn inject_fault(&self, rule: FaultRule) {
        if rule.times > 0 {
            self.inner.lock().faults.push(rule);
        }
    }

    /// Drops every pending fault rule.
    pub fn clear_faults(&self) {
        self.inner.lock().faults.clear();
    }

    /// Turns Telegram's flood limits on (30 messages/s per bot, 1/s per chat, 20/min per
    /// group: 429 with `retry_after` beyond them) or off (the default).
    pub fn set_flood_limits(&self, on: bool) {
        self.inner.flood.lock().unwrap_or_else(|e| e.into_inner()).set(on);
    }

    /// Delay added to every API call (zero to disable).
    pub fn set_latency(&self, latency: Duration) {
        let us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.inner.latency_us.store(us, Ordering::Relaxed);
    }

    /// Polls `predicate` every 10 ms until it holds or `timeout` passes; returns whether it held.
    pub async fn wait_for<F>(&self, timeout: Duration, mut predicate: F) -> bool
    where
        F: FnMut(&Simulator) -> bool,
    {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if predicate(self) {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Updates the simulator delivered on its own (e.g. `chat_member` after an approval).
    pub fn background_deliveries(&self) -> Vec<BackgroundDelivery> {
        self.inner.background.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
