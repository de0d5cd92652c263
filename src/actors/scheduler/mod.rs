//! `SchedulerActor`: the periodic jobs. Each run holds a Redis lock whose lease is renewed
//! while it works, so with several nodes a job runs once at a time and a crashed holder's
//! lock simply expires; every job is idempotent besides (guarded transitions, once-only
//! flags). Intervals come from the settings; tests trigger runs with [`RunJob`] and move an
//! injected clock instead of waiting.

mod health;

pub use health::announce_revocation;
mod notices;
mod plans;
mod reconcile;
mod removal_reports;
mod removals;
mod warnings;

use std::{sync::Arc, time::Duration};

use actix::{Actor, AsyncContext, Context, Handler, Message, Recipient, Supervised};

use crate::{
    cache::operations::{node_name, JobRun},
    db::DbError,
    events::PlatformEvent,
    platform::Platform,
    state::AppState,
};

/// The periodic jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Every `SCHEDULER_EXPIRY_EVERY`: remove expired end users, return expired plans to Free.
    Expiry,
    /// Every `SCHEDULER_REMINDER_EVERY`: 3-day / 1-day warnings to end users and owners.
    Warnings,
    /// Every `SCHEDULER_REMINDER_EVERY`: `getMe` for every bot.
    HealthCheck,
    /// Every `SCHEDULER_RECONCILE_EVERY`: each Stars-selling bot's `getStarTransactions`
    /// against its recorded payments.
    Reconcile,
}

impl Job {
    /// Name used for the lock, logs and metrics.
    pub fn name(self) -> &'static str {
        match self {
            Job::Expiry => "expiry",
            Job::Warnings => "warnings",
            Job::HealthCheck => "health_check",
            Job::Reconcile => "stars_reconcile",
        }
    }
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Things done (users removed, warnings sent, plans ended, bots checked).
    pub done: usize,
    /// Things left for the next run (Telegram refused or did not answer).
    pub retry: usize,
}

impl std::ops::Add for Outcome {
    type Output = Outcome;

    fn add(self, other: Outcome) -> Outcome {
        Outcome { done: self.done + other.done, retry: self.retry + other.retry }
    }
}

/// Run one job now, unless another node is running it: answers the outcome (or why the run
/// failed), or `None` when the lock was held elsewhere (or Redis was unreachable).
#[derive(Debug, Message)]
#[rtype(result = "Option<Result<Outcome, String>>")]
pub struct RunJob(pub Job);

/// What the jobs reach: state, the running platform (bots' clients, the main bot, the
/// owners' inbox) and the moderators' alerts.
#[derive(Clone)]
pub struct Jobs {
    app: AppState,
    platform: Arc<Platform>,
    events: Recipient<PlatformEvent>,
}

impl Jobs {
    /// The jobs' handles.
    pub fn new(app: AppState, platform: Arc<Platform>, events: Recipient<PlatformEvent>) -> Self {
        Self { app, platform, events }
    }

    async fn run(&self, job: Job) -> Result<Outcome, DbError> {
        match job {
            Job::Expiry => Ok(removals::run(self).await? + plans::expire(self).await?),
            Job::Warnings => Ok(warnings::run(self).await? + plans::warn(self).await?),
            Job::HealthCheck => health::run(self).await,
            Job::Reconcile => reconcile::run(self).await,
        }
    }
}

/// How long a lock lasts without renewal; a holder renews it every third of that.
const LEASE: Duration = Duration::from_secs(60);

/// The scheduling singleton.
pub struct SchedulerActor {
    jobs: Jobs,
}

impl SchedulerActor {
    /// A scheduler running `jobs`.
    pub fn new(jobs: Jobs) -> Self {
        Self { jobs }
    }
}

impl Actor for SchedulerActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        let every = &self.jobs.app.settings.scheduler;
        let timers = [
            (Job::Expiry, every.expiry_every),
            (Job::Warnings, every.reminder_every),
            (Job::HealthCheck, every.reminder_every),
            (Job::Reconcile, every.reconcile_every),
        ];
        for (job, interval) in timers {
            ctx.run_interval(interval, move |_, ctx| ctx.notify(RunJob(job)));
        }
    }
}

impl Supervised for SchedulerActor {}

impl Handler<RunJob> for SchedulerActor {
    type Result = actix::ResponseFuture<Option<Result<Outcome, String>>>;

    fn handle(&mut self, RunJob(job): RunJob, _ctx: &mut Self::Context) -> Self::Result {
        let jobs = self.jobs.clone();
        Box::pin(async move { run_locked(&jobs, job).await })
    }
}

/// Takes the job's lock, runs it while renewing the lease, and releases the lock. A lost
/// lease (Redis restarted, a pause longer than the lease) stops the run: another node may
/// have taken over.
async fn run_locked(jobs: &Jobs, job: Job) -> Option<Result<Outcome, String>> {
    let cache = &jobs.app.cache;
    let lock = match cache.try_lock(job.name(), LEASE).await {
        Ok(Some(lock)) => lock,
        Ok(None) => {
            tracing::debug!(job = job.name(), "job is running on another node");
            return None;
        }
        Err(e) => {
            tracing::warn!(job = job.name(), error = %e, "scheduler lock unavailable; skipping run");
            return None;
        }
    };
    let heartbeat = async {
        loop {
            tokio::time::sleep(LEASE / 3).await;
            match cache.extend_lock(&lock, LEASE).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => tracing::warn!(job = job.name(), error = %e, "could not renew the job's lease"),
            }
        }
    };
    let (started, started_at) = (std::time::Instant::now(), chrono::Utc::now());
    let result = tokio::select! {
        result = jobs.run(job) => Some(result),
        () = heartbeat => None,
    };
    let outcome = match result {
        Some(Ok(outcome)) => {
            let took = started.elapsed();
            tracing::info!(job = job.name(), done = outcome.done, retry = outcome.retry, ?took, "scheduler job ran");
            metrics::counter!("getolog_scheduler_runs_total", "job" => job.name(), "ok" => "true").increment(1);
            Ok(outcome)
        }
        Some(Err(e)) => {
            tracing::warn!(job = job.name(), error = %e, "scheduler job failed; the next run retries");
            metrics::counter!("getolog_scheduler_runs_total", "job" => job.name(), "ok" => "false").increment(1);
            Err(e.to_string())
        }
        None => {
            tracing::error!(job = job.name(), "lost the job's lock mid-run; stopped");
            return None;
        }
    };
    let summary = match &outcome {
        Ok(o) => format!("ok: done {}, retry {}", o.done, o.retry),
        Err(e) => format!("failed: {e}"),
    };
    let run = JobRun {
        job: job.name().into(),
        node: node_name(),
        started_at,
        finished_at: chrono::Utc::now(),
        outcome: summary,
    };
    if let Err(e) = cache.record_job_run(&run).await {
        tracing::debug!(job = job.name(), error = %e, "job run not recorded for the status view");
    }
    if let Err(e) = cache.unlock(lock).await {
        tracing::warn!(job = job.name(), error = %e, "scheduler lock not released; it will expire");
    }
    Some(outcome)
}
