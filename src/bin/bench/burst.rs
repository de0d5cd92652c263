//! `getolog-bench burst`: 80,000 `/start`s from new customers, sent as fast as the load
//! generator can.
//!
//! 5,000 deliveries at once, half of all updates to one bot that went viral and the rest
//! spread over the other 99. The service must keep its memory bounded, answer what it cannot
//! take right now with 429 (that bot is busy) or 503 (the node is saturated), and lose
//! nothing: each refused update is delivered again, byte for byte as Telegram does, until it
//! is taken. At the end every customer must have exactly one answer (the language prompt).
//! Prints the peak RSS of the `getolog serve` process (`VmHWM`), the refusals, the rate, and
//! the customers left without an answer or answered twice.

use std::{
    sync::{
        atomic::{AtomicU64, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::Context as _;
use getolog::simulator::{SimBot, Simulator};

use super::{prepare, proc_status_kb as memory_kb, spawn_service, Bench};

const BOTS: usize = 100;
const UPDATES: usize = 80_000;
/// Deliveries in flight at once: more than the node takes (`MAX_IN_FLIGHT_TOTAL`, 4,096).
const SENDERS: usize = 5_000;
/// How long a refused delivery waits before it is delivered again.
const REDELIVER_AFTER: Duration = Duration::from_millis(200);
/// Customer `i` has Telegram id `FIRST_CUSTOMER + i`.
const FIRST_CUSTOMER: i64 = 50_000_000;

/// What the senders saw.
#[derive(Default)]
struct Tally {
    taken: AtomicUsize,
    busy_bot: AtomicUsize,
    saturated: AtomicUsize,
    /// No HTTP answer at all (connection refused, reset or timed out).
    unanswered: AtomicUsize,
    /// Any other status, by status.
    other: parking_lot::Mutex<std::collections::BTreeMap<u16, usize>>,
}

impl Tally {
    fn count(&self, status: u16) {
        let counter = match status {
            200 => &self.taken,
            429 => &self.busy_bot,
            503 => &self.saturated,
            0 => &self.unanswered,
            other => {
                *self.other.lock().entry(other).or_default() += 1;
                return;
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Sends the burst, checks that each customer got one answer, and prints the numbers.
pub async fn run() -> anyhow::Result<()> {
    let Bench { _db, sim, bots, vars, listener } = prepare(BOTS).await?;
    let mut child = spawn_service(&vars, listener)?;
    let all_set = sim.wait_for(Duration::from_secs(60), |s| bots.iter().all(|b| s.webhook(b.id).is_some())).await;
    anyhow::ensure!(all_set, "webhooks not registered");
    let status = format!("/proc/{}/status", child.id());
    let idle = memory_kb(&status, "VmRSS:");
    let result = send_all(&sim, &bots, &status).await;
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    let (elapsed, tally, peak, settled) = result?;
    let (lost, repeated) = check_answers(&sim, &bots);
    let refused = tally.busy_bot.load(Ordering::Relaxed) + tally.saturated.load(Ordering::Relaxed);
    println!("burst: {UPDATES} /start from new customers, {SENDERS} at once, half of them to one bot of {BOTS}");
    println!(
        "  all taken in {:.1} s ({:.0} updates/s); {refused} deliveries refused and delivered again",
        elapsed.as_secs_f64(),
        UPDATES as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  answers: 200 {}, 429 {}, 503 {}, none (connection failed) {}, other {:?}",
        tally.taken.load(Ordering::Relaxed),
        tally.busy_bot.load(Ordering::Relaxed),
        tally.saturated.load(Ordering::Relaxed),
        tally.unanswered.load(Ordering::Relaxed),
        tally.other.lock()
    );
    println!(
        "  RSS of getolog serve: idle {:.1} MB, peak {:.1} MB (VmHWM), 5 s after {:.1} MB",
        idle / 1024.0,
        peak / 1024.0,
        settled / 1024.0
    );
    println!("  customers without an answer {lost}, answered more than once {repeated}");
    anyhow::ensure!(lost == 0 && repeated == 0, "the burst lost or repeated answers");
    Ok(())
}

/// Sends every update until the service takes it; returns the time, the tally, the peak RSS
/// and the RSS a few seconds after the burst (in kB).
async fn send_all(sim: &Simulator, bots: &[SimBot], status: &str) -> anyhow::Result<(Duration, Arc<Tally>, f64, f64)> {
    let tally = Arc::new(Tally::default());
    let next = Arc::new(AtomicUsize::new(0));
    let sampled_peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (status, peak) = (status.to_owned(), sampled_peak.clone());
        actix_web::rt::spawn(async move {
            loop {
                peak.fetch_max(memory_kb(&status, "VmRSS:") as u64, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let started = Instant::now();
    let at_once = std::env::var("BURST_SENDERS").ok().and_then(|n| n.parse().ok()).unwrap_or(SENDERS);
    let mut senders = Vec::with_capacity(at_once);
    for _ in 0..at_once {
        let (sim, bots, tally, next) = (sim.clone(), bots.to_vec(), tally.clone(), next.clone());
        senders.push(actix_web::rt::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= UPDATES {
                    return anyhow::Ok(());
                }
                let bot = &bots[bot_of(i)];
                let customer = sim.user(FIRST_CUSTOMER + i as i64, "Burst", None);
                let mut delivery = sim.send_text(bot.id, &customer, "/start").await?;
                loop {
                    tally.count(delivery.status);
                    if delivery.status == 200 {
                        break;
                    }
                    tokio::time::sleep(REDELIVER_AFTER).await;
                    delivery = sim.redeliver(bot.id, delivery.update_id).await?;
                }
            }
        }));
    }
    for sender in senders {
        sender.await.context("sender")??;
    }
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_secs(5)).await;
    sampler.abort();
    let peak = memory_kb(status, "VmHWM:").max(sampled_peak.load(Ordering::Relaxed) as f64);
    Ok((elapsed, tally, peak, memory_kb(status, "VmRSS:")))
}

/// Update `i` goes to bot 0 (the viral one) when even, else to one of the other 99.
fn bot_of(i: usize) -> usize {
    if i.is_multiple_of(2) {
        0
    } else {
        1 + (i / 2) % (BOTS - 1)
    }
}

/// Customers whose chat holds no answer, and customers whose chat holds more than one.
fn check_answers(sim: &Simulator, bots: &[SimBot]) -> (usize, usize) {
    let (mut lost, mut repeated) = (0, 0);
    for i in 0..UPDATES {
        match sim.messages_in(bots[bot_of(i)].id, FIRST_CUSTOMER + i as i64).len() {
            0 => lost += 1,
            1 => {}
            _ => repeated += 1,
        }
    }
    (lost, repeated)
}
