//! An owner's statistics: the SQL figures equal figures computed here, independently, from
//! the same fixture (statuses, currencies, renewals, a payment half an hour either side of
//! midnight in Tashkent); the chart is a PNG of the expected size; the CSV exports parse
//! back and carry no live formulas.

use crate::support::spawn_app;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    clock::Clock,
    db::{
        owner_stats,
        schema::{channels, end_users, payments, subscriptions, user_bots},
    },
};

/// One fixture payment: which user (0..), which chat (0 = channel, 1 = group), status,
/// amount, currency, and how long before the test clock's "now" it was made.
struct Paid(usize, usize, &'static str, i64, &'static str, Duration);

fn fixture() -> Vec<Paid> {
    let (h, d) = (Duration::hours, Duration::days);
    vec![
        Paid(0, 0, "approved", 50_000, "UZS", h(13) + Duration::minutes(30)), // 00:30 today in Tashkent
        Paid(0, 0, "approved", 50_000, "UZS", h(14) + Duration::minutes(30)), // 23:30 yesterday
        Paid(1, 0, "pending", 50_000, "UZS", h(1)),
        Paid(2, 0, "rejected", 10, "USD", d(3)),
        Paid(2, 1, "approved", 20, "USD", d(10)),
        Paid(2, 1, "approved", 20, "USD", d(9)),
        Paid(3, 0, "approved", 40_000, "UZS", d(40)),
    ]
}

#[actix_web::test]
async fn figures_equal_an_independent_count_and_the_reports_are_well_formed() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_003_001, "stats_shop_bot").await;
    let now = app.clock.now(); // 2026-11-25 09:00 UTC, 14:00 in Tashkent
    let mut conn = app.db().await;
    let bot: i64 = user_bots::table.select(user_bots::id).first(&mut conn).await.unwrap();
    let group: i64 = diesel::insert_into(channels::table)
        .values((
            channels::user_bot_id.eq(bot),
            channels::telegram_chat_id.eq(-1_000_000_777),
            channels::type_.eq("group"),
            channels::title.eq("VIP chat"),
            channels::currency.eq("USD"),
            channels::link_status.eq("linked"),
            channels::price.eq(BigDecimal::from(20)),
            channels::created_at.eq(now),
        ))
        .returning(channels::id)
        .get_result(&mut conn)
        .await
        .unwrap();
    let chats = [shop.channel, group];
    let names = ["Aziza", "Bobur", "=SUM(A1:A9)", "Dilshod"];
    let mut users = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let id: i64 = diesel::insert_into(end_users::table)
            .values((
                end_users::telegram_id.eq(7_100_003_000 + i as i64),
                end_users::user_bot_id.eq(bot),
                end_users::full_name.eq(*name),
                end_users::created_at.eq(now - Duration::days(i as i64 * 5)),
            ))
            .returning(end_users::id)
            .get_result(&mut conn)
            .await
            .unwrap();
        users.push(id);
    }
    let fixture = fixture();
    for Paid(user, chat, status, amount, currency, ago) in &fixture {
        diesel::insert_into(payments::table)
            .values((
                payments::end_user_id.eq(users[*user]),
                payments::user_bot_id.eq(bot),
                payments::channel_id.eq(chats[*chat]),
                payments::amount.eq(BigDecimal::from(*amount)),
                payments::currency.eq(*currency),
                payments::duration_months.eq(1),
                payments::payment_method.eq("card"),
                payments::status.eq(*status),
                payments::created_at.eq(now - *ago),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    // Subscriptions: the first approved payment of each user and chat starts one.
    let mut started: Vec<(usize, usize)> = Vec::new();
    let mut by_age: Vec<&Paid> = fixture.iter().filter(|p| p.2 == "approved").collect();
    by_age.sort_by_key(|p| std::cmp::Reverse(p.5));
    for p in by_age {
        if started.contains(&(p.0, p.1)) {
            continue;
        }
        started.push((p.0, p.1));
        let expires: DateTime<Utc> = now - p.5 + Duration::days(30);
        diesel::insert_into(subscriptions::table)
            .values((
                subscriptions::end_user_id.eq(users[p.0]),
                subscriptions::channel_id.eq(chats[p.1]),
                subscriptions::created_at.eq(now - p.5),
                subscriptions::expires_at.eq(Some(expires)),
                subscriptions::status.eq(if expires > now { "active" } else { "expired" }),
            ))
            .execute(&mut conn)
            .await
            .unwrap();
    }

    // Independent figures: local days in Tashkent, computed here from the fixture.
    let tz = chrono_tz::Asia::Tashkent;
    let local_today = now.with_timezone(&tz).date_naive();
    let since_days = |days: i64| {
        let first = local_today - Duration::days(days - 1);
        tz.from_local_datetime(&first.and_hms_opt(0, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
    };
    for days in [1, 7, 30] {
        let since = since_days(days);
        let in_period: Vec<&Paid> = fixture.iter().filter(|p| now - p.5 >= since).collect();
        let figures = owner_stats::figures(&mut conn, bot, since, now).await.unwrap();
        for (chat_index, chat) in chats.iter().enumerate() {
            for status in ["approved", "pending", "rejected"] {
                let expected = in_period.iter().filter(|p| p.1 == chat_index && p.2 == status).count() as i64;
                let got: i64 = figures
                    .payments
                    .iter()
                    .filter(|c| c.channel_id == *chat && c.label == status)
                    .map(|c| c.count)
                    .sum();
                assert_eq!(got, expected, "{days} days, chat {chat_index}, {status}");
            }
            let renewals = in_period
                .iter()
                .filter(|p| {
                    p.1 == chat_index
                        && p.2 == "approved"
                        && fixture.iter().any(|q| q.0 == p.0 && q.1 == p.1 && q.2 == "approved" && q.5 > p.5)
                })
                .count() as i64;
            let got: i64 = figures.renewals.iter().filter(|c| c.channel_id == *chat).map(|c| c.count).sum();
            assert_eq!(got, renewals, "{days} days, chat {chat_index}, renewals");
        }
        for currency in ["UZS", "USD"] {
            let expected: i64 = in_period.iter().filter(|p| p.2 == "approved" && p.4 == currency).map(|p| p.3).sum();
            let got: BigDecimal =
                figures.revenue.iter().filter(|s| s.currency == currency).map(|s| s.total.clone()).sum();
            assert_eq!(got, BigDecimal::from(expected), "{days} days, revenue {currency}");
        }
        let new_users = (0..names.len() as i64).filter(|i| now - Duration::days(i * 5) >= since).count() as i64;
        assert_eq!(figures.new_end_users, new_users, "{days} days, new customers");
    }
    let today = owner_stats::figures(&mut conn, bot, since_days(1), now).await.unwrap();
    assert_eq!(today.renewals.iter().map(|c| c.count).sum::<i64>(), 1, "00:30 local counts as today, 23:30 does not");

    // Through the bot: the screen, the chart and the exports.
    let main = app.main_id();
    let screen = app.say(main, &shop.owner, "/stats").await.text.unwrap();
    assert!(
        screen.contains("📢 VIP club\nPayments: approved 1, pending 1, rejected 0\nRevenue: 50 000 UZS"),
        "{screen}"
    );
    let week = app.press(main, &shop.owner, "st:7").await.text.unwrap();
    assert!(week.contains("Revenue: 100 000 UZS"), "{week}");
    app.press(main, &shop.owner, "st:chart").await;
    let photo = app.last_message(main, shop.owner.id).photo.expect("the chart is a photo");
    let (_, png) = app.sim().file(&photo).expect("the simulator kept the upload");
    let decoder = png::Decoder::new(std::io::Cursor::new(png.to_vec()));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (getolog::stats::chart::CHART_WIDTH, getolog::stats::chart::CHART_HEIGHT));

    app.press(main, &shop.owner, "st:subs").await;
    let document = app.last_message(main, shop.owner.id).document.expect("a CSV document");
    let (_, csv) = app.sim().file(&document).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_ref());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["user_id", "username", "name", "item", "status", "started", "expires"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), started.len());
    assert!(rows.iter().any(|r| &r[2] == "'=SUM(A1:A9)"), "a formula is made inert: {rows:?}");
    app.press(main, &shop.owner, "st:a").await;
    app.press(main, &shop.owner, "st:a:csv").await;
    let document = app.last_message(main, shop.owner.id).document.unwrap();
    let (_, csv) = app.sim().file(&document).unwrap();
    let payments: Vec<csv::StringRecord> =
        csv::ReaderBuilder::new().from_reader(csv.as_ref()).records().map(Result::unwrap).collect();
    assert_eq!(payments.len(), fixture.len());
    assert!(payments.iter().any(|r| &r[4] == "20.00" && &r[5] == "USD" && &r[3] == "VIP chat"), "{payments:?}");
}
