//! An end user buys access: offer, card payment with a receipt, the owner's review in the
//! main bot, the personal join-request link, the join; rejection; renewal; exactly one
//! subscription for concurrent approvals and one payment for a redelivered receipt.

use std::time::Duration;

use crate::support::{shop::count_messages, spawn_app, TestApp};
use chrono::{DateTime, Months, Utc};
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::clock::Clock;
use getolog::{
    db::schema::{payments, subscriptions},
    simulator::JoinOutcome,
};

async fn payment_rows(app: &TestApp) -> Vec<(i64, String, i32)> {
    payments::table
        .select((payments::id, payments::status, payments::receipts))
        .order(payments::id)
        .load(&mut app.db().await)
        .await
        .unwrap()
}

async fn subscription_rows(app: &TestApp) -> Vec<(Option<DateTime<Utc>>, Option<String>, Option<DateTime<Utc>>)> {
    subscriptions::table
        .select((subscriptions::expires_at, subscriptions::invite_link, subscriptions::joined_at))
        .load(&mut app.db().await)
        .await
        .unwrap()
}

#[actix_web::test]
async fn a_customer_pays_by_card_is_approved_and_joins_through_a_personal_link() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_401, "kamola_shop_bot").await;
    let customer = app.user(7_100_000_401, "Aziza");

    app.sim().send_text(shop.bot, &customer, "/start").await.unwrap();
    let prompt = app.last_message(shop.bot, customer.id);
    assert!(prompt.text.unwrap().contains("@getolog_bot"), "the Free plan shows the advert");
    app.wait_for_owner_message(&shop.owner, "New customer in @kamola_shop_bot: Aziza").await;

    app.start_and_choose(shop.bot, &customer, "en").await;
    let offer_text = app.last_message(shop.bot, customer.id).text.unwrap();
    assert!(offer_text.contains("📢 VIP club — 50 000 UZS / 1 month"), "{offer_text}");
    app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    let card = app.press(shop.bot, &customer, &format!("pay:{}:card", shop.channel)).await;
    let card_text = card.text.unwrap();
    assert!(
        card_text.contains("Transfer exactly 50 000 UZS") && card_text.contains("8600 1234 1234 1239"),
        "{card_text}"
    );
    assert!(card_text.contains("Kamola Yusupova"));

    let prompt = app.say(shop.bot, &customer, "I paid").await;
    assert!(prompt.text.unwrap().contains("send the receipt as a photo or a file"));
    app.sim().send_photo(shop.bot, &customer, None).await.unwrap();
    let told = app.last_message(shop.bot, customer.id);
    assert!(told.text.unwrap().starts_with("🧾 Receipt received. Payment #"));

    let review = app.wait_for_owner_message(&shop.owner, "awaits your review").await;
    let photo = review.photo.clone().expect("the receipt image reaches the owner");
    assert_eq!(app.sim().file(&photo).unwrap().0, app.main_id(), "re-uploaded through the main bot");
    let caption = review.text.clone().unwrap();
    assert!(caption.contains("Aziza (@aziza") && caption.contains("50 000 UZS"), "{caption}");
    let id = payment_rows(&app).await[0].0;

    app.press(app.main_id(), &shop.owner, &format!("p:{id}:ok")).await;
    let decided = app.sim().message(app.main_id(), shop.owner.id, review.message_id).unwrap();
    assert!(decided.text.unwrap().ends_with("✅ Approved"));
    assert_eq!(payment_rows(&app).await[0].1, "approved");
    let (link, approved) = app.wait_for_link(shop.bot, &customer).await;
    assert!(approved.starts_with(&format!("✅ Payment #{id} approved!")), "{approved}");
    let info = app.sim().invite_link(&link).unwrap();
    assert!(info.creates_join_request && info.creator_bot == shop.bot);
    let subs = subscription_rows(&app).await;
    let expected_end = app.clock.now().checked_add_months(Months::new(1)).unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].0.unwrap().timestamp(), expected_end.timestamp(), "the period starts at approval");

    // Someone else with the link is declined, and the owner told.
    let stranger = app.user(7_100_000_499, "Stranger");
    assert!(matches!(app.sim().use_invite_link(&stranger, &link).await.unwrap(), JoinOutcome::Requested(_)));
    assert!(app.sim().pending_join_requests(shop.chat).is_empty(), "the stranger's request was answered");
    assert_ne!(app.sim().member_status(shop.chat, stranger.id), Some("member"));
    app.wait_for_owner_message(&shop.owner, "tried to join 📢 VIP club with the personal link of Aziza").await;

    // The payer is let in; the link is revoked; the join is recorded and the owner told.
    assert!(matches!(app.sim().use_invite_link(&customer, &link).await.unwrap(), JoinOutcome::Requested(_)));
    assert_eq!(app.sim().member_status(shop.chat, customer.id), Some("member"));
    assert!(app.sim().invite_link(&link).unwrap().is_revoked);
    app.wait_for_owner_message(&shop.owner, "Aziza (@aziza, id 7100000401) joined 📢 VIP club").await;
    assert!(subscription_rows(&app).await[0].2.is_some(), "joined_at recorded");
}

#[actix_web::test]
async fn a_rejected_payment_tells_the_user_why_and_extra_receipts_join_the_pending_payment() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_402, "reject_shop_bot").await;
    let customer = app.user(7_100_000_402, "Bobur");
    app.buy_and_send_receipt(&shop, &customer).await;
    // A second receipt while the first is pending, and a redelivery of it.
    app.sim().send_document(shop.bot, &customer, "receipt.pdf", None).await.unwrap();
    let update = app.sim().last_update(shop.bot).unwrap()["update_id"].as_i64().unwrap();
    app.sim().redeliver(shop.bot, update).await.unwrap();
    let rows = payment_rows(&app).await;
    assert_eq!(rows.len(), 1, "one payment for all receipts: {rows:?}");
    assert_eq!(rows[0].2, 2, "two receipts counted once each");
    app.wait_for_owner_message(&shop.owner, "Receipt 2 for payment").await;

    // The owner reviews the newest copy: it names the payment's second revision.
    let id = rows[0].0;
    app.press(app.main_id(), &shop.owner, &format!("p:{id}.2:no")).await;
    app.press(app.main_id(), &shop.owner, &format!("p:{id}.2:r:1")).await;
    assert_eq!(payment_rows(&app).await[0].1, "rejected");
    let told = app.wait_for_customer_message(shop.bot, &customer, "was not accepted").await.text.unwrap();
    assert!(told.contains("was not accepted. Reason: The amount does not match the price"), "{told}");
    assert!(subscription_rows(&app).await.is_empty());

    // A typed reason, on a new payment.
    app.buy_and_send_receipt(&shop, &customer).await;
    let id = payment_rows(&app).await[1].0;
    app.press(app.main_id(), &shop.owner, &format!("p:{id}:no")).await;
    app.press(app.main_id(), &shop.owner, &format!("p:{id}:r:x")).await;
    app.say(app.main_id(), &shop.owner, "Wrong card number used").await;
    let told = app.wait_for_customer_message(shop.bot, &customer, "Wrong card number").await.text.unwrap();
    assert!(told.contains("Reason: Wrong card number used"), "{told}");
}

#[actix_web::test]
async fn concurrent_approvals_give_one_subscription_and_one_link() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_403, "race_shop_bot").await;
    let customer = app.user(7_100_000_403, "Dilnoza");
    let review = app.buy_and_send_receipt(&shop, &customer).await;
    let id = payment_rows(&app).await[0].0;
    let data = format!("p:{id}:ok");
    let (a, b) = tokio::join!(
        app.sim().press_button(app.main_id(), &shop.owner, review.message_id, &data),
        app.sim().press_button(app.main_id(), &shop.owner, review.message_id, &data),
    );
    assert_eq!((a.unwrap().status, b.unwrap().status), (200, 200));
    assert_eq!(subscription_rows(&app).await.len(), 1);
    assert_eq!(app.sim().invite_links(shop.chat).len(), 1, "one invite link");
    let approvals = app
        .sim()
        .messages_in(shop.bot, customer.id)
        .iter()
        .filter(|m| m.text.as_deref().unwrap_or("").contains("approved!"))
        .count();
    assert_eq!(approvals, 1);
}

#[actix_web::test]
async fn a_renewal_extends_the_active_subscription_from_its_end() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_404, "renew_shop_bot").await;
    let customer = app.user(7_100_000_404, "Jasur");
    app.buy_and_send_receipt(&shop, &customer).await;
    let first = payment_rows(&app).await[0].0;
    app.press(app.main_id(), &shop.owner, &format!("p:{first}:ok")).await;
    let (link, _) = app.wait_for_link(shop.bot, &customer).await;
    app.sim().use_invite_link(&customer, &link).await.unwrap();
    assert!(
        app.sim().wait_for(Duration::from_secs(5), |s| s.member_status(shop.chat, customer.id) == Some("member")).await
    );
    let end = subscription_rows(&app).await[0].0.unwrap();

    app.clock.advance(chrono::Duration::days(10));
    app.start_and_choose(shop.bot, &customer, "en").await;
    assert!(app.last_message(shop.bot, customer.id).text.unwrap().contains("you have access until"));
    app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, &customer, &format!("pay:{}:card", shop.channel)).await;
    app.sim().send_photo(shop.bot, &customer, None).await.unwrap();
    let second = payment_rows(&app).await[1].0;
    app.press(app.main_id(), &shop.owner, &format!("p:{second}:ok")).await;

    let subs = subscription_rows(&app).await;
    assert_eq!(subs.len(), 1, "renewal extends, not a second subscription");
    assert_eq!(subs[0].0.unwrap(), end.checked_add_months(Months::new(1)).unwrap());
    let told = app.wait_for_customer_message(shop.bot, &customer, "is extended").await.text.unwrap();
    assert!(told.contains("is extended"), "{told}");
}

#[actix_web::test]
async fn a_shop_that_cannot_sell_says_so_and_tells_the_owner_once() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_405, "Unready", "en").await;
    let bot = app.connect_bot(&owner, "unready_bot").await;
    for id in [7_100_000_405, 7_100_000_406] {
        let customer = app.user(id, "Customer");
        app.start_and_choose(bot.id, &customer, "en").await;
        let reply = app.last_message(bot.id, customer.id).text.unwrap();
        assert!(reply.ends_with("\n\n🙏 Sales are not open yet. Please come back a little later."), "{reply}");
    }
    app.wait_for_owner_message(&owner, "cannot sell yet").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await; // room for a wrong second notice
    let notices = app
        .sim()
        .messages_in(app.main_id(), owner.id)
        .iter()
        .filter(|m| m.text.as_deref().unwrap_or("").contains("cannot sell yet"))
        .count();
    assert_eq!(notices, 1, "the owner is told once, not per customer");
    let notice = app.wait_for_owner_message(&owner, "cannot sell yet").await.text.unwrap();
    assert!(notice.contains("no channel or group is linked") && notice.contains("no card number"), "{notice}");
}

#[actix_web::test]
async fn an_approval_whose_link_meets_the_customers_limit_is_answered_and_the_same_link_follows() {
    use getolog::simulator::{Fault, FaultRule};
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_406, "flaky_shop_bot").await;
    let customer = app.user(7_100_000_406, "Malika");
    app.buy_and_send_receipt(&shop, &customer).await;
    let id = payment_rows(&app).await[0].0;
    // The customer's chat with the seller bot is at Telegram's limit for half a minute.
    app.sim().inject_fault(FaultRule {
        bot_id: Some(shop.bot),
        method: Some("sendMessage".into()),
        times: 1,
        fault: Fault::TooManyRequests { retry_after: 30 },
    });
    let review = app.wait_for_owner_message(&shop.owner, "awaits your review").await;
    let sent_before = app.sim().calls_received(shop.bot, "sendMessage");
    let pressed = app.sim().press_button(app.main_id(), &shop.owner, review.message_id, &format!("p:{id}:ok")).await;
    assert_eq!(pressed.unwrap().status, 200, "the owner's press does not wait for the customer's chat");
    assert_eq!(payment_rows(&app).await[0].1, "approved");
    let refused =
        app.sim().wait_for(Duration::from_secs(10), |s| s.calls_received(shop.bot, "sendMessage") > sent_before).await;
    assert!(refused, "the courier tried to hand the link over");
    let stored = subscription_rows(&app).await[0].1.clone().expect("the link is stored before it is sent");
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "approved!"), 0);

    // A redelivery of the owner's press and the end of the wait: the same link, once.
    let last = app.sim().last_update(app.main_id()).unwrap()["update_id"].as_i64().unwrap();
    assert_eq!(app.sim().redeliver(app.main_id(), last).await.unwrap().status, 200);
    app.clock.advance(chrono::Duration::seconds(31));
    let (link, _) = app.wait_for_link(shop.bot, &customer).await;
    assert_eq!(link, stored, "the delivered link is the stored one");
    app.wait_for_courier().await;
    assert_eq!(count_messages(app.sim(), shop.bot, customer.id, "approved!"), 1);
    let live: Vec<_> = app.sim().invite_links(shop.chat).into_iter().filter(|l| !l.is_revoked).collect();
    assert_eq!(live.len(), 1, "one link was made");
    assert!(matches!(app.sim().use_invite_link(&customer, &link).await.unwrap(), JoinOutcome::Requested(_)));
}

#[actix_web::test]
async fn on_a_paid_plan_the_language_screen_has_no_advert() {
    use getolog::db::schema::{admin_subscriptions, user_admins};
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_407, "paid_shop_bot").await;
    let mut conn = app.db().await;
    let owner_id: i64 = user_admins::table
        .filter(diesel::ExpressionMethods::eq(user_admins::telegram_id, shop.owner.id))
        .select(user_admins::id)
        .first(&mut conn)
        .await
        .unwrap();
    diesel::insert_into(admin_subscriptions::table)
        .values((
            diesel::ExpressionMethods::eq(admin_subscriptions::user_admin_id, owner_id),
            diesel::ExpressionMethods::eq(admin_subscriptions::plan, "1month"),
            diesel::ExpressionMethods::eq(admin_subscriptions::started_at, app.clock.now()),
            diesel::ExpressionMethods::eq(
                admin_subscriptions::expires_at,
                app.clock.now() + chrono::Duration::days(20),
            ),
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    let customer = app.user(7_100_000_407, "Sevara");
    let prompt = app.say(shop.bot, &customer, "/start").await;
    assert!(!prompt.text.unwrap().contains("@getolog_bot"), "no advert on a paid plan");
}

#[actix_web::test]
async fn a_decision_reaches_the_customer_even_when_the_seller_bot_runs_on_another_node() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_408, "elsewhere_shop_bot").await;
    let customer = app.user(7_100_000_408, "Otabek");
    app.buy_and_send_receipt(&shop, &customer).await;
    // As if the bot had been connected on another node after this one started.
    app.registry.remove(shop.bot);
    let id = payment_rows(&app).await[0].0;
    app.press(app.main_id(), &shop.owner, &format!("p:{id}:ok")).await;
    let (_, approved) = app.wait_for_link(shop.bot, &customer).await;
    assert!(approved.contains("approved!"), "{approved}");
}
