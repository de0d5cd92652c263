//! The notification rows of the purchase flow reach the right person in their own language:
//! new customer, payment to review and joined → the owner (Russian here); approved and
//! rejected → the customer (Uzbek, English). The owner can mute new customers.

use crate::support::spawn_app;

#[actix_web::test]
async fn each_recipient_reads_their_notification_in_their_language() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_801, "lang_shop_bot").await;
    let main = app.main_id();
    app.say(main, &shop.owner, "/menu").await;
    app.press(main, &shop.owner, "l").await;
    app.press(main, &shop.owner, "lang:ru").await;

    let aziza = app.user(7_100_000_801, "Aziza");
    app.start_and_choose(shop.bot, &aziza, "uz").await;
    app.wait_for_owner_message(&shop.owner, "👤 Новый клиент в @lang_shop_bot: Aziza").await;
    app.press(shop.bot, &aziza, &format!("buy:{}", shop.channel)).await;
    app.press(shop.bot, &aziza, &format!("pay:{}:card", shop.channel)).await;
    app.sim().send_photo(shop.bot, &aziza, None).await.unwrap();
    let review = app.wait_for_owner_message(&shop.owner, "ждёт вашей проверки").await;
    let approve = review.buttons().concat().into_iter().find(|(_, d)| d.ends_with(":ok")).unwrap().1;
    app.press(main, &shop.owner, &approve).await;
    let (link, approved) = app.wait_for_link(shop.bot, &aziza).await;
    assert!(approved.starts_with("✅ To'lov #"), "{approved}");
    app.sim().use_invite_link(&aziza, &link).await.unwrap();
    app.wait_for_owner_message(&shop.owner, "🎉 Aziza (@aziza, id 7100000801) теперь в 📢 VIP club.").await;

    let john = app.user(7_100_000_802, "John");
    app.buy_and_send_receipt_after_start(&shop, &john, "en").await;
    let review = app.wait_for_owner_buttons(&shop.owner, "John (@john").await;
    let reject = review.buttons().concat().into_iter().find(|(_, d)| d.ends_with(":no")).unwrap().1;
    app.press(main, &shop.owner, &reject).await;
    let preset = reject.replace(":no", ":r:3");
    app.press(main, &shop.owner, &preset).await;
    let rejected = app.wait_for_customer_message(shop.bot, &john, "was not accepted").await.text.unwrap();
    assert!(rejected.contains("was not accepted. Reason: The payment has not arrived"), "{rejected}");

    // Muted: a new customer is not announced; unmuted again: the next one is.
    app.say(main, &shop.owner, "/menu").await;
    app.press(main, &shop.owner, "s").await;
    app.press(main, &shop.owner, "s:notice:new:off").await;
    app.start_and_choose(shop.bot, &app.user(7_100_000_803, "Quiet"), "en").await;
    app.press(main, &shop.owner, "s:notice:new:on").await;
    app.start_and_choose(shop.bot, &app.user(7_100_000_804, "Loud"), "en").await;
    app.wait_for_owner_message(&shop.owner, "Loud (@loud").await;
    let all: Vec<String> = app.sim().messages_in(main, shop.owner.id).into_iter().filter_map(|m| m.text).collect();
    assert!(!all.iter().any(|t| t.contains("Quiet (@quiet")), "a muted notice was sent");
}
