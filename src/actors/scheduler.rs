//! `SchedulerActor`: the periodic jobs. Each run takes a Redis lock so that with several
//! nodes a job runs once; jobs are idempotent. Intervals come from the settings; tests
//! trigger runs with [`RunJob`] and move an injected clock instead of waiting.
//!
//! This issue wires the timer, the lock and the bookkeeping; the jobs' bodies (removals,
//! plan expiry, warnings, health checks) arrive with the scheduler issue.

use std::time::Duration;

use actix::{Actor, AsyncContext, Context, Handler, Message, Supervised};

use crate::state::AppState;

/// The periodic jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Every `SCHEDULER_EXPIRY_EVERY`: remove expired end users, expire owner plans.
    Expiry,
    /// Every `SCHEDULER_REMINDER_EVERY`: 3-day / 1-day warnings, bot health checks.
    Reminders,
}

impl Job {
    /// Name used for the lock and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Job::Expiry => "expiry",
            Job::Reminders => "reminders",
        }
    }
}

/// Run one job now (if no other node is running it). Answers whether this node ran it.
#[derive(Debug, Message)]
#[rtype(result = "bool")]
pub struct RunJob(pub Job);

/// The scheduling singleton.
pub struct SchedulerActor {
    app: AppState,
}

impl SchedulerActor {
    /// A scheduler over the shared state.
    pub fn new(app: AppState) -> Self {
        Self { app }
    }
}

impl Actor for SchedulerActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        let every = &self.app.settings.scheduler;
        for (job, interval) in [(Job::Expiry, every.expiry_every), (Job::Reminders, every.reminder_every)] {
            ctx.run_interval(interval, move |_, ctx| ctx.notify(RunJob(job)));
        }
    }
}

impl Supervised for SchedulerActor {}

impl Handler<RunJob> for SchedulerActor {
    type Result = actix::ResponseFuture<bool>;

    fn handle(&mut self, RunJob(job): RunJob, _ctx: &mut Self::Context) -> Self::Result {
        let app = self.app.clone();
        Box::pin(async move {
            let ttl = Duration::from_secs(300);
            let lock = match app.cache.try_lock(job.name(), ttl).await {
                Ok(Some(lock)) => lock,
                Ok(None) => return false,
                Err(e) => {
                    tracing::warn!(job = job.name(), error = %e, "scheduler lock unavailable; skipping run");
                    return false;
                }
            };
            metrics::counter!("getolog_scheduler_runs_total", "job" => job.name()).increment(1);
            tracing::debug!(job = job.name(), "scheduler job ran");
            if let Err(e) = app.cache.unlock(lock).await {
                tracing::warn!(job = job.name(), error = %e, "scheduler lock not released; it will expire");
            }
            true
        })
    }
}
