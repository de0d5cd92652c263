//! The routing table the HTTP front reads: bot id → webhook secret, actor address, state
//! and in-flight limit; and the ids for which a recent database lookup found no servable
//! bot. Only the supervisor writes it.
//!
//! An id found unknown is remembered for a short time (bounded in count) so a flood of
//! made-up ids costs one database lookup each at most, not one per request. Registering a
//! bot forgets it at once; a bot connected on another node is adopted once the entry expires.

use std::{collections::HashMap, sync::Arc, time::Duration};

use actix::Addr;
use parking_lot::RwLock;
use tokio::sync::Semaphore;

use crate::{actors::bot::BotActor, telegram::BotClient};

/// A bot's runtime state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotState {
    /// Serving updates.
    Alive,
    /// Crashed; a new incarnation starts after a backoff.
    Restarting,
    /// Crashed too often; stopped until an operator acts.
    Failed,
    /// Telegram refused the token.
    Revoked,
}

impl BotState {
    /// Label for metrics and the database (`alive`, `restarting`, `failed`, `revoked`).
    pub fn label(self) -> &'static str {
        match self {
            BotState::Alive => "alive",
            BotState::Restarting => "restarting",
            BotState::Failed => "failed",
            BotState::Revoked => "revoked",
        }
    }
}

/// What the front needs to deliver one update.
#[derive(Clone)]
pub struct Route {
    /// The bot's webhook secret.
    pub secret: Arc<str>,
    /// Its actor, when one is running.
    pub addr: Option<Addr<BotActor>>,
    /// Its state.
    pub state: BotState,
    /// Limits the updates in flight for this bot.
    pub in_flight: Arc<Semaphore>,
    /// Its Telegram client (shared with its actor, so other bots' messages sent as this
    /// bot respect the same throttle).
    pub client: BotClient,
}

/// At most this many unknown ids are remembered; beyond it, moka's TinyLFU admission keeps
/// the ids asked for most often (a deleted bot Telegram keeps retrying) over one-off ones.
const MAX_REMEMBERED_UNKNOWN: u64 = 10_000;

/// The shared routing table.
#[derive(Clone)]
pub struct Registry {
    routes: Arc<RwLock<HashMap<i64, Route>>>,
    unknown: moka::sync::Cache<i64, ()>,
}

impl Registry {
    /// An empty table that remembers an unknown id for `unknown_ttl`.
    pub fn new(unknown_ttl: Duration) -> Self {
        let unknown = moka::sync::Cache::builder().max_capacity(MAX_REMEMBERED_UNKNOWN).time_to_live(unknown_ttl);
        Self { routes: Arc::default(), unknown: unknown.build() }
    }

    /// Whether the id was looked up lately and belongs to no servable bot.
    pub fn recently_unknown(&self, telegram_bot_id: i64) -> bool {
        self.unknown.get(&telegram_bot_id).is_some()
    }

    /// Remembers that a lookup found no servable bot with this id (unless one was
    /// registered meanwhile).
    pub(super) fn remember_unknown(&self, telegram_bot_id: i64) {
        if !self.routes.read().contains_key(&telegram_bot_id) {
            self.unknown.insert(telegram_bot_id, ());
        }
    }

    /// The route of a bot, if it is known.
    pub fn route(&self, telegram_bot_id: i64) -> Option<Route> {
        self.routes.read().get(&telegram_bot_id).cloned()
    }

    /// Adds or replaces a bot's route.
    pub fn insert(&self, telegram_bot_id: i64, route: Route) {
        self.unknown.invalidate(&telegram_bot_id);
        let old = self.routes.write().insert(telegram_bot_id, route.clone());
        count_state(old.map(|r| r.state), Some(route.state));
    }

    /// Changes a bot's state and actor address.
    pub fn set_state(&self, telegram_bot_id: i64, state: BotState, addr: Option<Addr<BotActor>>) {
        let mut routes = self.routes.write();
        if let Some(route) = routes.get_mut(&telegram_bot_id) {
            count_state(Some(route.state), Some(state));
            route.state = state;
            route.addr = addr;
        }
    }

    /// Forgets a bot.
    pub fn remove(&self, telegram_bot_id: i64) {
        let old = self.routes.write().remove(&telegram_bot_id);
        count_state(old.map(|r| r.state), None);
    }

    /// Number of known bots.
    pub fn len(&self) -> usize {
        self.routes.read().len()
    }

    /// Whether no bot is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many bots are in each state.
    pub fn counts(&self) -> std::collections::BTreeMap<&'static str, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for route in self.routes.read().values() {
            *counts.entry(route.state.label()).or_insert(0) += 1;
        }
        counts
    }

    /// Every running actor (for shutdown).
    pub fn addresses(&self) -> Vec<Addr<BotActor>> {
        self.routes.read().values().filter_map(|r| r.addr.clone()).collect()
    }
}

/// Keeps the `getolog_bots{state}` gauge in step with the table.
fn count_state(old: Option<BotState>, new: Option<BotState>) {
    if old == new {
        return;
    }
    if let Some(old) = old {
        metrics::gauge!("getolog_bots", "state" => old.label()).decrement(1.0);
    }
    if let Some(new) = new {
        metrics::gauge!("getolog_bots", "state" => new.label()).increment(1.0);
    }
}
