//! Start-up webhook registration is resumable: a process that restarts soon after an
//! interrupted registration carries on after the last saved chunk instead of starting over.

use std::time::Duration;

use crate::support::TestEnv;
use getolog::cache::Cache;

#[actix_web::test]
async fn a_restart_resumes_webhook_registration_after_the_last_saved_chunk() {
    let mut env = TestEnv::new().await;
    env.settings.webhook_concurrency = 2; // chunks of 16
    let mut bots = Vec::new();
    for i in 0..30 {
        bots.push(env.seed_seller_bot(7_000_000_900 + i, &format!("resume_{i}_bot")).await.id);
    }
    bots.sort();
    let cache = Cache::new(&env.settings.redis_url, &env.settings.redis_prefix, 2).unwrap();
    let base = env.settings.webhook_url(0);
    // An earlier process got through the first chunk, then died.
    cache.save_checkpoint(&format!("webhooks:{base}"), bots[15], Duration::from_secs(60)).await.unwrap();

    let app = env.start().await;
    for bot in &bots[16..] {
        assert!(app.wait_for_webhook(*bot).await, "bot {bot} registered");
    }
    for bot in &bots[..16] {
        assert!(app.sim().calls_to(*bot, "setWebhook").is_empty(), "bot {bot} was done before and is skipped");
    }
    // The checkpoint is saved right after the last chunk's calls return.
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while cache.checkpoint(&format!("webhooks:{base}")).await.unwrap() != Some(bots[29]) {
        assert!(std::time::Instant::now() < deadline, "progress was not saved to the end");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
