//! Two real `getolog serve` nodes behind the real nginx (the project's site, with the test's
//! ports and without TLS), one PostgreSQL and Redis, the simulator playing Telegram through
//! nginx: every update is handled exactly once, one bot's updates stay on one node, a node
//! killed with `kill -9` hands its bots to the other without losing an update, a rolling
//! restart loses nothing, and a scheduler job acts once across the nodes.

use std::{
    collections::{HashMap, HashSet},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::support::TestEnv;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use getolog::{
    db::schema::{channels, end_users, subscriptions, user_bots},
    simulator::{ChatKind, Rights, SimBot, SimUser, Simulator},
};

/// Stops every process the test started, also when an assertion fails half-way.
#[derive(Default)]
struct Reaper(std::sync::Mutex<Vec<(u32, &'static str)>>);

impl Reaper {
    fn watch(&self, child: &Child, signal: &'static str) {
        self.0.lock().unwrap().push((child.id(), signal));
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        for (pid, signal) in self.0.lock().unwrap().iter() {
            let _ = Command::new("kill").args([signal.to_string(), pid.to_string()]).stderr(Stdio::null()).status();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The project's nginx site, made local: plain HTTP on `port`, the two nodes as upstream,
/// 127.0.0.1 allowed instead of Telegram's networks, and a log of which node got each bot.
fn nginx_config(dir: &Path, port: u16, nodes: [u16; 2]) -> PathBuf {
    let site = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx/getolog.conf")).unwrap();
    let https = site.find("server {\n    listen 443").expect("the TLS server block");
    let (head, tls) = site.split_at(https);
    let upstream_end = head.find("server {\n    listen 80;").expect("the port 80 block");
    let head = &head[..upstream_end];
    let servers = format!(
        "server 127.0.0.1:{} max_fails=1 fail_timeout=3s;\n    server 127.0.0.1:{} max_fails=1 fail_timeout=3s;",
        nodes[0], nodes[1]
    );
    let head = head.replace("server 127.0.0.1:8443 max_fails=1 fail_timeout=3s;", &servers);
    let tls: String = tls
        .lines()
        .filter(|l| !l.trim_start().starts_with("ssl_") && !l.contains("listen [::]"))
        .map(|l| match l.trim_start() {
            t if t.starts_with("listen 443") => format!("    listen 127.0.0.1:{port};"),
            "allow 149.154.160.0/20;" => "        allow 127.0.0.1;".to_owned(),
            "allow 91.108.4.0/22;" => String::new(),
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let d = dir.display();
    let conf = format!(
        "pid {d}/nginx.pid;\nerror_log {d}/error.log;\nworker_processes 1;\nevents {{}}\nhttp {{\n\
         log_format route '$getolog_bot $upstream_addr $status';\naccess_log {d}/route.log route;\n\
         {head}\n{tls}\n}}\n"
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

fn serve(env: &TestEnv, port: u16, public: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_getolog"))
        .arg("serve")
        .env_clear()
        .envs(&env.vars)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("SERVER_URL", public)
        .env("SCHEDULER_EXPIRY_EVERY", "300ms")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start getolog serve")
}

async fn wait_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            if r.status() == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("node on {port} did not come up");
}

/// Sends `/start` like Telegram: redelivers whatever was not answered 2xx.
async fn deliver(sim: &Simulator, bot: i64, user: &SimUser) -> usize {
    let first = sim.send_text(bot, user, "/start").await.unwrap();
    let (mut status, mut redeliveries) = (first.status, 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !(200..300).contains(&status) {
        redeliveries += 1;
        assert!(Instant::now() < deadline, "update {} never accepted", first.update_id);
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = sim.redeliver(bot, first.update_id).await.unwrap().status;
    }
    redeliveries
}

/// A round: every user of every bot sends `/start` once; returns the redeliveries needed.
async fn round(sim: &Simulator, bots: &[SimBot], users: &[SimUser]) -> usize {
    let mut redeliveries = 0;
    for bot in bots {
        for user in users {
            redeliveries += deliver(sim, bot.id, user).await;
        }
    }
    redeliveries
}

/// Each user must have exactly `rounds` language prompts from each bot: none lost, none doubled.
fn assert_exactly_once(sim: &Simulator, bots: &[SimBot], users: &[SimUser], rounds: usize) {
    for bot in bots {
        for user in users {
            let prompts = sim
                .messages_in(bot.id, user.id)
                .iter()
                .filter(|m| m.text.as_deref().is_some_and(|t| t.contains("Choose your language")))
                .count();
            assert_eq!(prompts, rounds, "bot {} user {}", bot.username, user.id);
        }
    }
}

/// Which node addresses served each bot, from nginx's log.
fn routes(dir: &Path) -> HashMap<String, HashSet<String>> {
    let log = std::fs::read_to_string(dir.join("route.log")).unwrap_or_default();
    let mut routes: HashMap<String, HashSet<String>> = HashMap::new();
    for line in log.lines() {
        let mut parts = line.split(' ');
        let (Some(bot), Some(upstream)) = (parts.next(), parts.next()) else { continue };
        // After a failover nginx logs "a:port, b:port": the last one answered.
        let answered = upstream.rsplit(", ").next().unwrap_or(upstream).to_owned();
        routes.entry(bot.to_owned()).or_default().insert(answered);
    }
    routes
}

/// `count` members of a new channel of `bot` whose access ended an hour ago; returns the chat.
async fn due_members(env: &TestEnv, bot: &SimBot, count: i64) -> i64 {
    let chat = env.sim.create_chat(ChatKind::Channel, "Due club");
    env.sim.set_bot_rights(chat, bot.id, Some(Rights::getolog())).await.ok(); // nobody serves yet
    let mut conn = AsyncPgConnection::establish(&env.db.url).await.unwrap();
    let bot_row: i64 = user_bots::table
        .filter(user_bots::telegram_bot_id.eq(bot.id))
        .select(user_bots::id)
        .first(&mut conn)
        .await
        .unwrap();
    let channel: i64 = diesel::insert_into(channels::table)
        .values((
            channels::user_bot_id.eq(bot_row),
            channels::telegram_chat_id.eq(chat),
            channels::type_.eq("channel"),
            channels::title.eq("Due club"),
            channels::link_status.eq("linked"),
            channels::created_at.eq(chrono::Utc::now()),
        ))
        .returning(channels::id)
        .get_result(&mut conn)
        .await
        .unwrap();
    for i in 0..count {
        let user = env.sim.user(7_620_000_000 + i, "Member", None);
        env.sim.add_member(chat, &user).unwrap();
        let row: i64 = diesel::insert_into(end_users::table)
            .values((
                end_users::telegram_id.eq(user.id),
                end_users::user_bot_id.eq(bot_row),
                end_users::full_name.eq("Member"),
                end_users::created_at.eq(chrono::Utc::now()),
            ))
            .returning(end_users::id)
            .get_result(&mut conn)
            .await
            .unwrap();
        diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::end_user_id.eq(row),
                subscriptions::channel_id.eq(channel),
                subscriptions::expires_at.eq(Some(chrono::Utc::now() - chrono::Duration::hours(1))),
                subscriptions::created_at.eq(chrono::Utc::now() - chrono::Duration::days(30)),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    chat
}

#[actix_web::test]
async fn two_nodes_behind_nginx_handle_each_update_once_and_survive_kill_and_rolling_restart() {
    let env = TestEnv::new().await;
    let mut bots = Vec::new();
    for i in 0..8 {
        bots.push(env.seed_seller_bot(7_600_000_000 + i, &format!("node_shop_{i}_bot")).await);
    }
    let users: Vec<SimUser> = (0..3).map(|i| env.sim.user(7_610_000_000 + i, "User", None)).collect();
    let due = 20;
    let due_chat = due_members(&env, &bots[0], due).await;
    let dir = std::env::temp_dir().join(format!("getolog-nginx-{}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let (public_port, nodes) = (free_port(), [free_port(), free_port()]);
    let public = format!("http://127.0.0.1:{public_port}");
    let conf = nginx_config(&dir, public_port, nodes);
    let nginx_bin = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or("nginx");
    let mut nginx = Command::new(nginx_bin)
        .args(["-c", conf.to_str().unwrap(), "-p", dir.to_str().unwrap(), "-g", "daemon off;"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nginx (scripts/check-deploy installs it)");
    let reaper = Reaper::default();
    reaper.watch(&nginx, "-TERM");
    let mut a = serve(&env, nodes[0], &public);
    let mut b = serve(&env, nodes[1], &public);
    reaper.watch(&a, "-KILL");
    reaper.watch(&b, "-KILL");
    wait_healthy(nodes[0]).await;
    wait_healthy(nodes[1]).await;
    for bot in &bots {
        let registered = env
            .sim
            .wait_for(Duration::from_secs(20), |s| s.webhook(bot.id).is_some_and(|w| w.url.starts_with(&public)))
            .await;
        assert!(registered, "{} registered through nginx", bot.username);
    }

    // Both nodes run the expiry job every 300 ms; the Redis lock makes each removal happen once.
    let removed = env
        .sim
        .wait_for(Duration::from_secs(20), |s| {
            (0..due).all(|i| s.member_status(due_chat, 7_620_000_000 + i) == Some("left"))
        })
        .await;
    assert!(removed, "the due members were removed");
    tokio::time::sleep(Duration::from_secs(1)).await; // a few more runs on both nodes
    let bans = env.sim.calls_to(bots[0].id, "banChatMember").len();
    assert_eq!(bans as i64, due, "each due member removed once across the two nodes");

    // Both up: everything once, and each bot always on the same node.
    let sent_before = round(&env.sim, &bots, &users).await;
    assert_exactly_once(&env.sim, &bots, &users, 1);
    let first = routes(&dir);
    for bot in &bots {
        assert_eq!(first[&bot.id.to_string()].len(), 1, "bot {} stayed on one node: {first:?}", bot.username);
    }
    let used: HashSet<&String> = first.values().flatten().collect();
    assert_eq!(used.len(), 2, "the hash spreads bots over both nodes: {first:?}");

    // kill -9 one node: its bots move to the other, nothing is lost or doubled.
    a.kill().unwrap();
    a.wait().unwrap();
    let killed_at = Instant::now();
    let redeliveries_after_kill = round(&env.sim, &bots, &users).await;
    let failover = killed_at.elapsed();
    assert_exactly_once(&env.sim, &bots, &users, 2);

    // Rolling restart: start the killed node, then SIGTERM and restart each node in turn,
    // sending a round while each one is down or starting.
    let mut a = serve(&env, nodes[0], &public);
    reaper.watch(&a, "-KILL");
    wait_healthy(nodes[0]).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mut rolled = 0;
    for port in nodes {
        let node = if port == nodes[0] { &mut a } else { &mut b };
        Command::new("kill").args(["-TERM", &node.id().to_string()]).status().unwrap();
        rolled += round(&env.sim, &bots, &users).await;
        node.wait().unwrap();
        *node = serve(&env, port, &public);
        reaper.watch(node, "-KILL");
        wait_healthy(port).await;
        // nginx retries a node it saw fail after fail_timeout (3 s): only then is it back in
        // rotation, so the next node may go down (the documented rolling-restart pause).
        tokio::time::sleep(Duration::from_millis(3500)).await;
    }
    rolled += round(&env.sim, &bots, &users).await;
    assert_exactly_once(&env.sim, &bots, &users, 5);
    let total = bots.len() * users.len() * 5;
    println!(
        "two nodes: {total} updates sent, {total} handled once, 0 duplicates, 0 lost; \
         redeliveries: {sent_before} before the kill, {redeliveries_after_kill} after it, {rolled} in the rolling restart; \
         failover round took {failover:?}"
    );

    for child in [&mut a, &mut b] {
        Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        child.wait().unwrap();
    }
    // SIGTERM: the master stops its workers before it exits (SIGKILL would orphan them).
    Command::new("kill").args(["-TERM", &nginx.id().to_string()]).status().unwrap();
    nginx.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
}
