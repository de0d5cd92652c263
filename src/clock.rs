//! Time as a dependency: production reads the system clock, tests move a manual one.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// Where "now" comes from.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock tests set and advance by hand: stopped (tests), or running on from its start at
/// the real pace (the demo, whose retries and deadlines must come due while it waits).
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
    running_since: Option<std::time::Instant>,
}

impl ManualClock {
    /// A clock stopped at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self { now: Arc::new(Mutex::new(start)), running_since: None }
    }

    /// A clock that starts at `start` and runs at the real pace; `advance` still jumps it.
    pub fn running(start: DateTime<Utc>) -> Self {
        Self { now: Arc::new(Mutex::new(start)), running_since: Some(std::time::Instant::now()) }
    }

    /// Moves time forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let set = *self.now.lock().unwrap_or_else(|e| e.into_inner());
        let ran = self.running_since.map(|since| since.elapsed()).unwrap_or_default();
        set + Duration::from_std(ran).unwrap_or_default()
    }
}

/// The clock shared by every component.
pub type SharedClock = Arc<dyn Clock>;
