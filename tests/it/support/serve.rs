//! The real `getolog serve` binary as a child process, for the fault tests: it is killed
//! (SIGKILL) when dropped, so a failing test leaves nothing running.

use std::{
    collections::HashMap,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use super::TestEnv;

/// A running `getolog serve`.
pub struct Serve {
    child: Option<Child>,
    /// Its base URL.
    pub address: String,
}

impl Serve {
    /// Starts `getolog serve` on `port` with the environment's settings, `overrides` on
    /// top, and waits until it has registered the main bot's webhook.
    pub async fn start(env: &TestEnv, port: u16, overrides: &[(&str, String)]) -> Serve {
        Self::spawn(env, port, overrides, None).await
    }

    /// Like [`start`](Self::start), logging everything (`RUST_LOG=debug`, stdout and stderr)
    /// to `log`, for tests that read what the process wrote.
    pub async fn start_logged(env: &TestEnv, port: u16, overrides: &[(&str, String)], log: &std::path::Path) -> Serve {
        Self::spawn(env, port, overrides, Some(log)).await
    }

    async fn spawn(env: &TestEnv, port: u16, overrides: &[(&str, String)], log: Option<&std::path::Path>) -> Serve {
        let mut vars: HashMap<String, String> = env.vars.clone();
        for (name, value) in overrides {
            vars.insert((*name).to_owned(), value.clone());
        }
        let address = format!("http://127.0.0.1:{port}");
        env.sim.clear_calls();
        let mut command = Command::new(env!("CARGO_BIN_EXE_getolog"));
        command
            .arg("serve")
            .env_clear()
            .envs(&vars)
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("SERVER_URL", &address)
            .env("RUST_LOG", std::env::var("SERVE_LOG").unwrap_or_else(|_| "warn".into()))
            .stdout(if std::env::var("SERVE_LOG").is_ok() { Stdio::inherit() } else { Stdio::null() });
        if let Some(log) = log {
            let file = std::fs::File::create(log).expect("log file");
            command.env("RUST_LOG", "debug").stdout(file.try_clone().expect("log file")).stderr(file);
        }
        let child = command.spawn().expect("start getolog serve");
        let url = format!("{address}/webhook/{}", env.main_bot.id);
        let registered = env
            .sim
            .wait_for(Duration::from_secs(30), |s| {
                s.webhook(env.main_bot.id).is_some_and(|w| w.url == url)
                    && !s.calls_to(env.main_bot.id, "setWebhook").is_empty()
            })
            .await;
        assert!(registered, "getolog serve did not register its webhook");
        Serve { child: Some(child), address }
    }

    /// `kill -9`, and waits for the process to be gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `GET /readyz`: its status and how long the answer took.
    pub async fn readyz(&self) -> (u16, Duration) {
        let started = Instant::now();
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
        let status = match client.get(format!("{}/readyz", self.address)).send().await {
            Ok(response) => response.status().as_u16(),
            Err(_) => 0,
        };
        (status, started.elapsed())
    }

    /// Polls `/readyz` until it says 200; returns how long that took (or `None` after `limit`).
    pub async fn ready_within(&self, limit: Duration) -> Option<Duration> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.readyz().await.0 == 200 {
                return Some(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.kill();
    }
}
