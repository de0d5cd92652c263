//! Support: an end user writes to the seller from the seller bot; the owner answers from the
//! main bot; text and photos both ways, each file re-uploaded by the bot that sends it.

use crate::support::spawn_app;

#[actix_web::test]
async fn messages_and_photos_go_both_ways_between_a_customer_and_the_owner() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_601, "help_shop_bot").await;
    let customer = app.user(7_100_000_601, "Nodira");
    app.start_and_choose(shop.bot, &customer, "en").await;
    app.press(shop.bot, &customer, "support").await;
    let sent = app.say(shop.bot, &customer, "Is the club in Russian?").await;
    assert!(sent.text.unwrap().starts_with("✉️ Sent to the seller."));
    let inbox = app.wait_for_owner_message(&shop.owner, "Message from Nodira").await;
    assert!(inbox.text.as_deref().unwrap().ends_with("Is the club in Russian?"));
    let reply_data = inbox.buttons().concat()[0].1.clone();

    app.press(app.main_id(), &shop.owner, &reply_data).await;
    let done = app.say(app.main_id(), &shop.owner, "Yes, and in Uzbek too.").await;
    assert!(done.text.unwrap().starts_with("✅ Your answer was sent to Nodira."));
    let answer = app.last_message(shop.bot, customer.id);
    assert_eq!(answer.text.as_deref(), Some("💬 Answer from the seller:\n\nYes, and in Uzbek too."));

    // Photos: /support, a photo with a caption; the owner answers with a photo.
    app.say(shop.bot, &customer, "/support").await;
    app.sim().send_photo(shop.bot, &customer, Some("This screen?")).await.unwrap();
    let inbox = app.wait_for_owner_message(&shop.owner, "This screen?").await;
    let photo = inbox.photo.clone().expect("the photo reaches the owner");
    assert_eq!(app.sim().file(&photo).unwrap().0, app.main_id());
    app.press(app.main_id(), &shop.owner, &inbox.buttons().concat()[0].1).await;
    app.sim().send_photo(app.main_id(), &shop.owner, Some("Like this")).await.unwrap();
    let answer = app.last_message(shop.bot, customer.id);
    let photo = answer.photo.clone().expect("the owner's photo reaches the customer");
    assert_eq!(app.sim().file(&photo).unwrap().0, shop.bot, "re-uploaded through the seller bot");
    assert!(answer.text.unwrap().ends_with("Like this"));

    // A forged Reply for someone else's customer reaches nothing.
    let intruder = app.register_owner(7_000_000_602, "Intruder", "en").await;
    app.press_forged(app.main_id(), &intruder, &reply_data).await;
    assert_eq!(
        app.last_toast(app.main_id()).as_deref(),
        Some("This button is no longer active. Send /start to begin again.")
    );
}
