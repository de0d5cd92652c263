//! What the operator's `getolog status` reads: each scheduler job's last run, the nodes seen
//! recently, and the latest bot restarts. Small records in Redis, written as things happen
//! (best effort: losing one only blurs the picture, never the service).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Cache, CacheError};

/// Restarts kept for the status view.
const RESTARTS_KEPT: isize = 200;

/// One scheduler job run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRun {
    /// The job.
    pub job: String,
    /// The node that ran it.
    pub node: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: DateTime<Utc>,
    /// What it did, or why it failed.
    pub outcome: String,
}

/// A node's heartbeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeBeat {
    /// `host:pid`.
    pub node: String,
    /// When it said so.
    pub at: DateTime<Utc>,
    /// Bots it serves.
    pub bots: usize,
}

/// A bot restart or failure seen by a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restart {
    /// The bot's Telegram id.
    pub telegram_bot_id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// `restarted` or `failed`.
    pub what: String,
    /// The crash message.
    pub reason: String,
    /// The node.
    pub node: String,
}

impl Cache {
    async fn put(&self, hash: &str, field: &str, json: String) -> Result<(), CacheError> {
        let mut conn = self.conn().await?;
        let _: () = redis::cmd("HSET")
            .arg(self.key(format_args!("ops:{hash}")))
            .arg(field)
            .arg(json)
            .query_async(&mut *conn)
            .await?;
        Ok(())
    }

    async fn all<T: for<'de> Deserialize<'de>>(&self, hash: &str) -> Result<Vec<T>, CacheError> {
        let mut conn = self.conn().await?;
        let values: Vec<String> =
            redis::cmd("HVALS").arg(self.key(format_args!("ops:{hash}"))).query_async(&mut *conn).await?;
        Ok(values.iter().filter_map(|v| serde_json::from_str(v).ok()).collect())
    }

    /// Records a job's latest run.
    pub async fn record_job_run(&self, run: &JobRun) -> Result<(), CacheError> {
        self.put("jobs", &run.job, serde_json::to_string(run).unwrap_or_default()).await
    }

    /// Every job's latest run.
    pub async fn job_runs(&self) -> Result<Vec<JobRun>, CacheError> {
        self.all("jobs").await
    }

    /// A node says it is alive.
    pub async fn beat(&self, beat: &NodeBeat) -> Result<(), CacheError> {
        self.put("nodes", &beat.node, serde_json::to_string(beat).unwrap_or_default()).await
    }

    /// Nodes heard from since `since` (older entries are dropped).
    pub async fn nodes(&self, since: DateTime<Utc>) -> Result<Vec<NodeBeat>, CacheError> {
        let beats: Vec<NodeBeat> = self.all("nodes").await?;
        let (recent, stale): (Vec<NodeBeat>, Vec<NodeBeat>) = beats.into_iter().partition(|b| b.at >= since);
        if !stale.is_empty() {
            let mut conn = self.conn().await?;
            let names: Vec<&str> = stale.iter().map(|b| b.node.as_str()).collect();
            let _: () =
                redis::cmd("HDEL").arg(self.key(format_args!("ops:nodes"))).arg(names).query_async(&mut *conn).await?;
        }
        Ok(recent)
    }

    /// Records a restart or failure (the latest few are kept).
    pub async fn record_restart(&self, restart: &Restart) -> Result<(), CacheError> {
        let key = self.key(format_args!("ops:restarts"));
        let json = serde_json::to_string(restart).unwrap_or_default();
        let mut conn = self.conn().await?;
        let _: () = redis::pipe()
            .cmd("LPUSH")
            .arg(&key)
            .arg(json)
            .ignore()
            .cmd("LTRIM")
            .arg(&key)
            .arg(0)
            .arg(RESTARTS_KEPT - 1)
            .ignore()
            .query_async(&mut *conn)
            .await?;
        Ok(())
    }

    /// The latest restarts, newest first.
    pub async fn restarts(&self) -> Result<Vec<Restart>, CacheError> {
        let mut conn = self.conn().await?;
        let raw: Vec<String> = redis::cmd("LRANGE")
            .arg(self.key(format_args!("ops:restarts")))
            .arg(0)
            .arg(-1)
            .query_async(&mut *conn)
            .await?;
        Ok(raw.iter().filter_map(|v| serde_json::from_str(v).ok()).collect())
    }
}

/// This process's name in the records: `host:pid`.
pub fn node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "node".into());
    format!("{host}:{}", std::process::id())
}
