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

#[tokio::test]
async fn the_claim_counts_a_new_update_against_its_users_limit_in_the_same_round_trip() {
    use getolog::cache::rate_limit::{Act, Rate, RateCheck};
    let cache = cache();
    let check = |update_id: u32| RateCheck {
        act: Act { bot_id: 1, user_id: 7, update_id, at: 1_000 },
        limit: 2,
        window: std::time::Duration::from_secs(1),
    };
    let claim = |id: u32, token: &'static str| {
        let cache = cache.clone();
        async move { cache.claim_counted(1, id, token, Some(check(id))).await.unwrap() }
    };
    assert_eq!(claim(20, "a").await, (Claim::New, Some(Rate::Allowed)));
    assert_eq!(claim(20, "b").await, (Claim::InProgress, None), "a busy claim counts nothing");
    assert_eq!(claim(21, "a").await, (Claim::New, Some(Rate::Allowed)));
    assert_eq!(claim(22, "a").await, (Claim::New, Some(Rate::LimitedNotify)), "the third in a second: slow down");
    assert_eq!(claim(23, "a").await, (Claim::New, Some(Rate::Limited)), "told once a minute");
    cache.finish_update(1, 20).await.unwrap();
    assert_eq!(claim(20, "c").await, (Claim::AlreadyDone, None));
    // A redelivery of a released update keeps its first verdict (ranked by update id).
    cache.release_update(1, 21, "a").await.unwrap();
    assert_eq!(claim(21, "d").await, (Claim::New, Some(Rate::Allowed)));
    assert_eq!(cache.claim_counted(1, 30, "e", None).await.unwrap(), (Claim::New, None), "not counted when not asked");
}
