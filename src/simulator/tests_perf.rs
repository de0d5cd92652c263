//! Throughput smoke test: many concurrent `sendMessage` calls with recording off.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use futures_util::{stream, StreamExt};
use serde_json::json;

use crate::simulator::tests::setup;

#[actix_web::test]
async fn many_send_messages() {
    let (sim, bot, _hook) = setup(json!([])).await;
    let user = sim.user(5_200_000_001, "Perf", None);
    sim.send_text(bot.id, &user, "/start").await.unwrap();
    sim.set_recording(false);
    let client = reqwest::Client::new();
    let url = format!("{}bot{}/SendMessage", sim.api_url(), bot.token);
    let n = 3000;
    let start = Instant::now();
    let oks = stream::iter(0..n)
        .map(|i| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let body = json!({"chat_id": user.id, "text": format!("message {i}")});
                client.post(url).json(&body).send().await.map(|r| r.status().is_success()).unwrap_or(false)
            }
        })
        .buffer_unordered(32)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    let rate = f64::from(n) / start.elapsed().as_secs_f64();
    eprintln!("sendMessage throughput: {rate:.0}/s");
    assert_eq!(oks, n as usize);
    assert!(sim.calls().len() <= 1);
    assert_eq!(sim.messages_in(bot.id, user.id).len(), 2000);
}
