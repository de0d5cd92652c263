//! `getolog demo`, the README's first command, runs to the end: the real binary plays the
//! whole product against the simulator, a card payment, a Payme payment and refund, a Click
//! payment, an Uzum payment, Telegram Stars (a subscription renewing twice, then cancelled
//! and ended; a one-off invoice refunded) and a shop bot created in one tap included.

use crate::support;

use std::process::Command;

#[test]
fn the_demo_runs_to_the_end() {
    let output = Command::new(env!("CARGO_BIN_EXE_getolog"))
        .arg("demo")
        .env("DEMO_DATABASE_SERVER", support::db::server_url())
        .env("RUST_LOG", "error")
        .output()
        .expect("run getolog demo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the demo failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    for step in [
        "Your personal invite link: https://t.me/+",
        "Payme → PerformTransaction: {\"perform_time\"",
        "Payme payment #",
        "was refunded",
        "Click → Complete: {",
        "\"status\":\"CONFIRMED\"",
        "fetched the token with getManagedBotToken and connected @dilshod_shop_bot",
        "creates a Stars invoice link renewing every 30 days",
        "accepts the checkout (answerPreCheckoutQuery ok",
        "Telegram Stars payment #",
        "will not renew",
        "[invoice] Kamola's VIP chat",
        "refunds the Stars (refundStarPayment)",
        "(Telegram Stars) was refunded",
        "@dilshod_shop_bot",
        "Demo finished",
    ] {
        assert!(stdout.contains(step), "the demo never showed {step:?}:\n{stdout}");
    }
}
