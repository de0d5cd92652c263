//! The operator's side of the real `getolog serve` process: it tells systemd READY=1 once
//! it serves and STOPPING=1 on SIGTERM (`Type=notify`), and `getolog status` reports bots,
//! scheduler jobs and the nodes seen.

use std::{
    os::unix::net::UnixDatagram,
    process::{Command, Stdio},
    time::Duration,
};

use crate::support::TestEnv;

#[actix_web::test]
async fn serve_notifies_systemd_and_status_reports_the_running_platform() {
    let mut env = TestEnv::new().await;
    let shop = env.seed_seller_bot(7_500_000_001, "status_shop_bot").await;
    let port = env.release_port();
    let socket_path = std::env::temp_dir().join(format!("getolog-notify-{}.sock", rand::random::<u64>()));
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_getolog"))
        .arg("serve")
        .env_clear()
        .envs(&env.vars)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("SERVER_URL", format!("http://127.0.0.1:{port}"))
        .env("SCHEDULER_EXPIRY_EVERY", "1s")
        .env("NOTIFY_SOCKET", &socket_path)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut buf = [0u8; 256];
    let n = socket.recv(&mut buf).unwrap();
    assert_eq!(std::str::from_utf8(&buf[..n]).unwrap().trim(), "READY=1");
    let healthz = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await.unwrap();
    assert_eq!(healthz.status(), 200, "READY=1 came once the front listens");
    let registered = env.sim.wait_for(Duration::from_secs(10), |s| s.webhook(shop.id).is_some()).await;
    assert!(registered, "every bot is started by then");

    let status = || {
        let out =
            Command::new(env!("CARGO_BIN_EXE_getolog")).arg("status").env_clear().envs(&env.vars).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let mut report = status();
    for _ in 0..100 {
        if report.contains("expiry") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        report = status();
    }
    assert!(report.contains("Bots (connected): alive 1"), "{report}");
    assert!(report.contains("Scheduler jobs (last run):\n  expiry"), "{report}");
    assert!(report.contains("ok: done 0, retry 0"), "{report}");
    assert!(
        report.contains(&format!(":{} — 2 bots", child.id())),
        "this node, with the main bot and the shop: {report}"
    );

    let term = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(term.success());
    let n = socket.recv(&mut buf).unwrap();
    assert_eq!(std::str::from_utf8(&buf[..n]).unwrap().trim(), "STOPPING=1");
    let exit = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(exit.success(), "{exit:?}");
    std::fs::remove_file(&socket_path).ok();
}
