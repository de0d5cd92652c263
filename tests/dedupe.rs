#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The Redis claim protocol behind exactly-once handling.

use getolog::cache::{dedupe::Claim, Cache};

fn cache() -> Cache {
    let url = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    Cache::new(&url, &format!("test:{}", getolog::db::scratch::random_name()), 4).unwrap()
}

#[tokio::test]
async fn only_the_claiming_delivery_can_release_its_claim_and_done_stays_done() {
    let cache = cache();
    assert_eq!(cache.claim_update(1, 10, "first").await.unwrap(), Claim::New);
    assert_eq!(cache.claim_update(1, 10, "second").await.unwrap(), Claim::InProgress);

    // A stale delivery (whose claim expired and was taken over) must not free a live claim.
    cache.release_update(1, 10, "second").await.unwrap();
    assert_eq!(cache.claim_update(1, 10, "third").await.unwrap(), Claim::InProgress);

    cache.finish_update(1, 10).await.unwrap();
    assert_eq!(cache.claim_update(1, 10, "fourth").await.unwrap(), Claim::AlreadyDone);
    // A delivery failing after another one finished must not undo "done".
    cache.release_update(1, 10, "first").await.unwrap();
    assert_eq!(cache.claim_update(1, 10, "fifth").await.unwrap(), Claim::AlreadyDone);
    assert_eq!(cache.claim_update(2, 10, "other-bot").await.unwrap(), Claim::New, "claims are per bot");
}

#[tokio::test]
async fn a_released_claim_lets_the_redelivery_in() {
    let cache = cache();
    assert_eq!(cache.claim_update(1, 11, "first").await.unwrap(), Claim::New);
    cache.release_update(1, 11, "first").await.unwrap();
    assert_eq!(cache.claim_update(1, 11, "redelivery").await.unwrap(), Claim::New);
}

#[tokio::test]
async fn crashes_are_counted_per_update() {
    let cache = cache();
    assert_eq!(cache.count_crash(1, 12).await.unwrap(), 1);
    assert_eq!(cache.count_crash(1, 12).await.unwrap(), 2);
    assert_eq!(cache.count_crash(1, 13).await.unwrap(), 1);
}
