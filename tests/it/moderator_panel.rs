//! The moderator panel: only `MODERATOR_IDS` get it (and lose it with their old buttons when
//! removed); the dashboard counts what the database holds; owners are found, banned (their
//! shop closes, subscriptions still end on time) and unbanned, and given plans by hand;
//! payments are listed by status.

use crate::support::{spawn_app, TestApp, MODERATOR_ID};
use bigdecimal::BigDecimal;
use chrono::{Duration, Months};
use diesel::{ExpressionMethods, NullableExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    actors::scheduler::{Job, Outcome},
    clock::Clock,
    db::schema::{admin_subscriptions, platform_payments, user_admins},
    simulator::SimUser,
};

async fn moderator(app: &TestApp) -> SimUser {
    let moderator = app.user(MODERATOR_ID, "Malika");
    app.sim().send_text(app.main_id(), &moderator, "/start").await.unwrap();
    moderator
}

/// Waits until the moderator has heard of `count` new owners, so no alert lands between a
/// press and the screen it should show.
async fn alerts_settled(app: &TestApp, count: usize) {
    let main = app.main_id();
    let heard = app
        .sim()
        .wait_for(std::time::Duration::from_secs(5), |s| {
            let texts: Vec<String> = s.messages_in(main, MODERATOR_ID).into_iter().filter_map(|m| m.text).collect();
            texts.iter().map(|t| t.matches("New owner registered").count()).sum::<usize>() >= count
        })
        .await;
    assert!(heard, "moderator alerts did not arrive");
}

async fn owner_row(app: &TestApp, telegram_id: i64) -> i64 {
    user_admins::table
        .filter(user_admins::telegram_id.eq(telegram_id))
        .select(user_admins::id)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

#[actix_web::test]
async fn only_moderators_get_the_panel_and_a_removed_moderators_buttons_stop_working() {
    let app = spawn_app().await;
    let main = app.main_id();
    // The moderator has started the main bot before Kamola registers: an alert to someone who
    // never did cannot be sent (Telegram's 403) and is not retried.
    let moderator = moderator(&app).await;
    let owner = app.register_owner(7_000_002_001, "Kamola", "en").await;
    let reply = app.say(main, &owner, "/panel").await.text.unwrap();
    assert!(!reply.contains("Dashboard") && !reply.to_lowercase().contains("panel"), "no hint: {reply}");
    app.press_forged(main, &owner, "mp:d:t").await;
    assert!(app.last_toast(main).unwrap().starts_with("This button is no longer active"), "as for any forged button");

    // Kamola's "new owner" alert must not land between /panel and its answer.
    alerts_settled(&app, 1).await;
    let dashboard = app.say(main, &moderator, "/panel").await;
    assert!(dashboard.text.as_deref().unwrap().starts_with("📊 Dashboard — Today"));
    let menus = app.sim().calls_to(main, "setMyCommands");
    let scoped = menus.iter().find(|c| c.params["scope"]["chat_id"] == serde_json::json!(MODERATOR_ID)).unwrap();
    assert!(scoped.params["commands"].to_string().contains("\"panel\""), "moderators' command menu has /panel");

    app.server.stop(true).await;
    let mut env = app.env;
    env.settings.moderator_ids = vec![];
    let app = env.start().await;
    app.sim().press_button(main, &moderator, dashboard.message_id, "mp:o:0").await.unwrap();
    let stale = app.state.i18n.tr(getolog::i18n::Lang::Uz, "stale-button", &[]);
    assert_eq!(app.last_toast(main), Some(stale), "answered like any unknown button");
    let unchanged = app.sim().message(main, moderator.id, dashboard.message_id).unwrap();
    assert_eq!(unchanged.text, dashboard.text, "nothing shown to a former moderator");
}

#[actix_web::test]
async fn the_dashboard_counts_owners_bots_customers_payments_and_plans() {
    let app = spawn_app().await;
    let moderator = moderator(&app).await;
    let shop = app.ready_shop(7_000_002_002, "dash_shop_bot").await;
    let paying = app.user(7_100_002_002, "Aziza");
    app.paying_member(&shop, &paying).await;
    let pending = app.user(7_100_002_003, "Bobur");
    app.buy_and_send_receipt_after_start(&shop, &pending, "en").await;
    let other = app.register_owner(7_000_002_003, "Sardor", "ru").await;
    let other_row = owner_row(&app, other.id).await;
    diesel::insert_into(admin_subscriptions::table)
        .values((
            admin_subscriptions::user_admin_id.eq(other_row),
            admin_subscriptions::plan.eq("6month"),
            admin_subscriptions::started_at.eq(app.clock.now()),
            admin_subscriptions::expires_at.eq(app.clock.now() + Duration::days(100)),
        ))
        .execute(&mut app.db().await)
        .await
        .unwrap();
    diesel::insert_into(platform_payments::table)
        .values((
            platform_payments::user_admin_id.eq(other_row),
            platform_payments::plan.eq("6month"),
            platform_payments::amount.eq(BigDecimal::from(250_000)),
            platform_payments::status.eq("approved"),
            platform_payments::reviewed_at.eq(app.clock.now()),
            platform_payments::created_at.eq(app.clock.now()),
        ))
        .execute(&mut app.db().await)
        .await
        .unwrap();

    let main = app.main_id();
    alerts_settled(&app, 2).await;
    let text = app.say(main, &moderator, "/panel").await.text.unwrap();
    // Owners: Kamola, Sardor and the moderator (registered by /start + no language: not an
    // owner); customers: Aziza and Bobur; one approved and one pending payment.
    for line in [
        "Owners: 2 (new: 2)",
        "Bots: alive 1",
        "Customers: 2 (new: 2)",
        "Customer payments: approved 1, pending 1",
        "Approved: 50 000 UZS",
        "Plan revenue: 250 000 UZS",
        "Owners per plan: 6month 1, free 1",
    ] {
        assert!(text.contains(line), "{line:?} missing in:\n{text}");
    }
    app.clock.advance(Duration::days(2));
    let later = app.press(main, &moderator, "mp:d:t").await.text.unwrap();
    assert!(later.contains("Owners: 2 (new: 0)") && later.contains("Plan revenue: 0 UZS"), "{later}");
    let all = app.press(main, &moderator, "mp:d:a").await.text.unwrap();
    assert!(all.contains("Owners: 2 (new: 2)"), "{all}");

    app.press(main, &moderator, "mp:p:e:all:0").await;
    let listed = app.press(main, &moderator, "mp:p:e:pending:0").await.text.unwrap();
    assert!(listed.starts_with("💳 Customer payments: 1") && listed.contains("pending · @dash_shop_bot"), "{listed}");
    let plans = app.press(main, &moderator, "mp:p:p:all:0").await.text.unwrap(); // the ledger switch
    assert!(plans.contains("250 000 UZS · approved · 6month · Sardor"), "{plans}");

    app.press(main, &moderator, "mp:r").await;
    app.press(main, &moderator, "mp:r:chart").await;
    let photo = app.last_message(main, moderator.id).photo.expect("a chart");
    let png = app.sim().file(&photo).unwrap().1;
    let info = png::Decoder::new(std::io::Cursor::new(png.to_vec())).read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (1000, 600));
    app.press(main, &moderator, "mp:r:owners").await;
    let owners = read_csv(&app, &moderator).await;
    assert_eq!(owners.len(), 2);
    assert!(owners.iter().any(|r| &r[2] == "Sardor" && &r[6] == "6month" && &r[3] == "ru"), "{owners:?}");
    app.press(main, &moderator, "mp:r:plans").await;
    let plans = read_csv(&app, &moderator).await;
    assert_eq!(plans.len(), 1);
    assert_eq!((&plans[0][3], &plans[0][4], &plans[0][6]), ("6month", "250000.00", "approved"));
}

async fn read_csv(app: &TestApp, moderator: &SimUser) -> Vec<csv::StringRecord> {
    let document = app.last_message(app.main_id(), moderator.id).document.expect("a CSV document");
    let bytes = app.sim().file(&document).unwrap().1;
    csv::ReaderBuilder::new().from_reader(bytes.as_ref()).records().map(Result::unwrap).collect()
}

#[actix_web::test]
async fn a_banned_owners_shop_closes_its_subscriptions_still_end_and_unban_reopens_it() {
    let app = spawn_app().await;
    let moderator = moderator(&app).await;
    let shop = app.ready_shop(7_000_002_004, "banned_shop_bot").await;
    let member = app.user(7_100_002_004, "Aziza");
    let subscription = app.paying_member(&shop, &member).await;
    let main = app.main_id();
    let row = owner_row(&app, shop.owner.id).await;
    alerts_settled(&app, 1).await;

    app.say(main, &moderator, "/panel").await;
    app.press(main, &moderator, "mp:o:0").await;
    app.press(main, &moderator, "mp:os").await;
    app.say(main, &moderator, "@kamola").await;
    assert_eq!(app.texts_containing(main, moderator.id, "🔍 Owners found: 1").len(), 1);
    let card = app.press(main, &moderator, &format!("mp:w:{row}")).await.text.unwrap();
    assert!(card.contains("Bot: @banned_shop_bot (alive)") && card.contains("Customers: 1"), "{card}");
    assert!(card.contains("Approved revenue: 50 000 UZS"), "{card}");
    let banned = app.press(main, &moderator, &format!("mp:w:{row}:ban")).await.text.unwrap();
    assert!(banned.starts_with("👤 ⛔ Kamola"), "{banned}");
    app.wait_for_owner_message(&shop.owner, "suspended by a moderator").await;

    let newcomer = app.user(7_100_002_005, "Bobur");
    app.sim().send_text(shop.bot, &newcomer, "/start").await.unwrap();
    let closed = app.state.i18n.tr(getolog::i18n::Lang::from_telegram(None), "shop-closed", &[]);
    assert_eq!(app.last_message(shop.bot, newcomer.id).text, Some(closed));
    let photo = app.sim().send_photo(shop.bot, &newcomer, None).await.unwrap();
    assert_eq!(photo.status, 200);
    let payments: i64 = getolog::db::schema::payments::table.count().get_result(&mut app.db().await).await.unwrap();
    assert_eq!(payments, 1, "no new payment is taken");
    app.clock.advance(Duration::days(31));
    assert_eq!(app.run_job(Job::Expiry).await, Outcome { done: 1, retry: 0 }, "access still ends on time");
    assert_eq!(app.subscription_state(subscription).await.status, "expired");

    app.press(main, &moderator, &format!("mp:w:{row}:unban")).await;
    app.wait_for_owner_message(&shop.owner, "is active again").await;
    app.sim().send_text(shop.bot, &newcomer, "/start").await.unwrap();
    assert!(app.last_message(shop.bot, newcomer.id).text.unwrap().contains("language"), "selling again at once");
}

#[actix_web::test]
async fn a_plan_granted_by_hand_is_a_manual_payment_of_zero_and_extends_from_the_end() {
    let app = spawn_app().await;
    let moderator = moderator(&app).await;
    let owner = app.register_owner(7_000_002_006, "Nodira", "en").await;
    let row = owner_row(&app, owner.id).await;
    let main = app.main_id();
    alerts_settled(&app, 1).await;
    app.say(main, &moderator, "/panel").await;
    app.press(main, &moderator, "mp:o:0").await;
    app.press(main, &moderator, &format!("mp:w:{row}")).await;
    app.press(main, &moderator, &format!("mp:w:{row}:g")).await;
    let card = app.press_starting(main, &moderator, &format!("mp:w:{row}:g:6:")).await.text.unwrap();
    assert!(
        card.contains("Your plan: 6 months, until 25.05.2027") || card.contains("6 months, until 25.05.2027"),
        "{card}"
    );
    app.wait_for_owner_message(&owner, "A moderator gave you the plan 6 months").await;
    app.press(main, &moderator, &format!("mp:w:{row}:g")).await;
    app.press_starting(main, &moderator, &format!("mp:w:{row}:g:1:")).await;

    let (amount, method, by): (BigDecimal, String, Option<i64>) = platform_payments::table
        .select((platform_payments::amount, platform_payments::method, platform_payments::reviewed_by))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!((amount, method.as_str(), by), (BigDecimal::from(0), "manual", Some(MODERATOR_ID)));
    let ends: Vec<chrono::DateTime<chrono::Utc>> = admin_subscriptions::table
        .filter(admin_subscriptions::plan.ne("free"))
        .select(admin_subscriptions::expires_at.assume_not_null())
        .load(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!(ends, vec![app.clock.now().checked_add_months(Months::new(7)).unwrap()], "6 + 1 months, one plan");
}
