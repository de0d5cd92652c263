//! The owner connects Payme and Click in the main bot: values are checked in their language, a secret
//! message is deleted and the key stored encrypted and never shown back, the endpoint URL is
//! shown once complete and works with the key, and disconnecting erases everything.

use crate::support::spawn_app;
use diesel::QueryDsl;
use diesel_async::RunQueryDsl;
use getolog::{db::schema::payment_accounts, simulator::payme::PaymeSandbox};
use std::sync::Arc;

const KEY: &str = "Owner#Test&Key?2026_abcdef";

#[actix_web::test]
async fn an_owner_connects_payme_and_customers_are_offered_it() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_921, "connect_payme_bot").await;
    let main = app.main_id();
    app.press(main, &shop.owner, "s").await;
    app.press(main, &shop.owner, "s:methods").await;
    let screen = app.press(main, &shop.owner, "s:pm").await;
    assert!(screen.text.unwrap().contains("Cashbox id: not set"));

    app.press(main, &shop.owner, "s:pm:id").await;
    let refused = app.say(main, &shop.owner, "12345").await;
    assert!(refused.text.unwrap().contains("That is not a Payme cashbox id"), "the question stays open");
    let saved = app.say(main, &shop.owner, "5E730E8E0B852A417AA49CEB").await;
    assert!(saved.text.unwrap().contains("Cashbox id: 5e730e8e0b852a417aa49ceb"));

    app.press(main, &shop.owner, "s:pm:tkey").await;
    let refused = app.say(main, &shop.owner, "too short").await;
    assert!(refused.text.unwrap().contains("That is not a Payme key"));
    let saved = app.say(main, &shop.owner, KEY).await;
    let text = saved.text.unwrap();
    assert!(text.contains("Test key: set") && !text.contains("/pay/payme/"), "not complete in production mode: {text}");
    let log = app.sim().chat_log(main, shop.owner.id);
    let key_messages: Vec<_> = log.iter().filter(|m| !m.from_bot && m.raw_text.as_deref() == Some(KEY)).collect();
    assert!(key_messages.len() == 1 && key_messages[0].deleted, "a key does not stay in the chat: {log:#?}");
    let shown = app.sim().messages_in(main, shop.owner.id).into_iter().filter(|m| m.from_bot);
    assert!(shown.into_iter().all(|m| !m.text.unwrap_or_default().contains(KEY)), "the key is never shown back");
    let stored: Option<String> =
        payment_accounts::table.select(payment_accounts::payme_test_key).first(&mut app.db().await).await.unwrap();
    assert!(stored.is_some_and(|s| !s.contains(KEY)), "stored encrypted");

    let on = app.press(main, &shop.owner, "s:pm:mode:test").await.text.unwrap();
    assert!(on.contains("offered to customers"), "switched on once complete: {on}");
    let off = app.press(main, &shop.owner, "s:pm:off").await.text.unwrap();
    assert!(off.contains("not offered"), "{off}");
    let on = app.press(main, &shop.owner, "s:pm:on").await.text.unwrap();
    assert!(on.contains("offered to customers"), "{on}");
    let url = on.split_whitespace().find(|w| w.contains("/pay/payme/")).expect("the endpoint URL").to_owned();
    assert!(!url.contains(&shop.bot.to_string()), "not the bot id: {url}");

    // The URL works with the key, as Payme would call it (through this test's front).
    let path = &url[url.find("/pay/payme/").unwrap()..];
    let payme = PaymeSandbox::new(&format!("{}{path}", app.address), KEY, Arc::new(app.clock.clone()));
    assert_eq!(payme.check_perform(100, "999999").await.unwrap().error_code(), Some(-31050));

    let customer = app.user(7_100_000_921, "Sardor");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let methods = app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    assert!(methods.buttons().iter().flatten().any(|(_, d)| d == &format!("pay:{}:payme", shop.channel)));

    // Disconnecting erases the keys: Payme is refused and no longer offered.
    app.press(main, &shop.owner, "s:pm:drop").await;
    app.press(main, &shop.owner, "s:pm:drop:yes").await;
    let (id, key, test): (Option<String>, Option<String>, Option<String>) = payment_accounts::table
        .select((payment_accounts::payme_merchant_id, payment_accounts::payme_key, payment_accounts::payme_test_key))
        .first(&mut app.db().await)
        .await
        .unwrap();
    assert_eq!((id, key, test), (None, None, None));
    assert_eq!(payme.check_perform(100, "999999").await.unwrap().error_code(), Some(-32504));
    app.press(shop.bot, &customer, "offer").await;
    let methods = app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    assert!(!methods.buttons().iter().flatten().any(|(_, d)| d.ends_with(":payme")));
}

#[actix_web::test]
async fn a_shop_can_sell_through_payme_alone() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_922, "payme_only_bot").await;
    app.connect_payme(&shop).await;
    let main = app.main_id();
    app.press(main, &shop.owner, "s").await;
    app.press(main, &shop.owner, "s:methods").await;
    let methods = app.press(main, &shop.owner, "s:method:card:off").await.text.unwrap();
    assert!(!methods.contains("keep at least one"), "{methods}");

    let customer = app.user(7_100_000_922, "Kamron");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let choose = app.press(shop.bot, &customer, &format!("buy:{}", shop.channel)).await;
    let data: Vec<String> = choose.buttons().into_iter().flatten().map(|(_, d)| d).collect();
    assert_eq!(data, [format!("pay:{}:payme", shop.channel), "offer".to_owned()], "Payme only");
    app.press_forged(shop.bot, &customer, &format!("pay:{}:card", shop.channel)).await;
    assert!(app.last_toast(shop.bot).unwrap().starts_with("This button is no longer active."), "a forged card press");
    let checkout = app.payme_checkout(&shop, &customer).await;
    assert_eq!(checkout.amount, 5_000_000);
}

#[actix_web::test]
async fn an_owner_connects_click_and_its_urls_take_payments() {
    use getolog::simulator::click::ClickSandbox;
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_923, "connect_click_bot").await;
    let main = app.main_id();
    app.press(main, &shop.owner, "s").await;
    app.press(main, &shop.owner, "s:methods").await;
    assert!(app.press(main, &shop.owner, "s:ck").await.text.unwrap().contains("service_id: not set"));
    app.press(main, &shop.owner, "s:ck:svc").await;
    assert!(app.say(main, &shop.owner, "12a").await.text.unwrap().contains("That is not a Click id"));
    app.say(main, &shop.owner, "41234").await;
    for (field, value) in [("mer", "7001"), ("usr", "9001")] {
        app.press(main, &shop.owner, &format!("s:ck:{field}")).await;
        app.say(main, &shop.owner, value).await;
    }
    app.press(main, &shop.owner, "s:ck:sec").await;
    let screen = app.say(main, &shop.owner, "Click#Owner&Secret9").await.text.unwrap();
    assert!(screen.contains("Secret key: set") && screen.contains("offered to customers"), "{screen}");
    let log = app.sim().chat_log(main, shop.owner.id);
    assert!(log.iter().filter(|m| m.raw_text.as_deref() == Some("Click#Owner&Secret9")).all(|m| m.deleted));
    assert!(!screen.contains("Click#Owner"), "the secret is never shown back");
    let urls: Vec<&str> = screen.split_whitespace().filter(|w| w.contains("/pay/click/")).collect();
    assert!(urls.len() == 2 && urls[0].ends_with("/prepare") && urls[1].ends_with("/complete"), "{screen}");
    let local = |url: &str| format!("{}{}", app.address, &url[url.find("/pay/click/").unwrap()..]);
    let clock = Arc::new(app.clock.clone());
    let click = ClickSandbox::new((&local(urls[0]), &local(urls[1])), 41234, "Click#Owner&Secret9", clock);

    let customer = app.user(7_100_000_923, "Ulug'bek");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.click_checkout(&shop, &customer).await;
    let (_, prepared, completed) = click.pay(&checkout).await.unwrap();
    assert_eq!(prepared.error(), Some(0), "{:?}", prepared.body);
    assert_eq!(completed.unwrap().error(), Some(0));
    app.wait_for_link(shop.bot, &customer).await;

    app.press(main, &shop.owner, "s:ck:drop").await;
    app.press(main, &shop.owner, "s:ck:drop:yes").await;
    let again = click.send_prepare(&click.prepare_call(&click.new_trans_id(), &checkout.order, &checkout.amount)).await;
    assert_eq!(again.unwrap().error(), Some(-8), "a disconnected account answers nothing else");
}

#[actix_web::test]
async fn an_owner_connects_uzum_and_its_webhooks_answer_with_those_credentials() {
    use getolog::simulator::uzum::UzumSandbox;
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_924, "connect_uzum_bot").await;
    let main = app.main_id();
    app.press(main, &shop.owner, "s").await;
    app.press(main, &shop.owner, "s:methods").await;
    assert!(app.press(main, &shop.owner, "s:uz").await.text.unwrap().contains("serviceId: not set"));
    app.press(main, &shop.owner, "s:uz:svc").await;
    app.say(main, &shop.owner, "50123").await;
    app.press(main, &shop.owner, "s:uz:login").await;
    assert!(app.say(main, &shop.owner, "bad:login").await.text.unwrap().contains("That is not a login"));
    app.say(main, &shop.owner, "kamola_uzum").await;
    app.press(main, &shop.owner, "s:uz:pwd").await;
    let screen = app.say(main, &shop.owner, "Uzum#Owner&Pass1").await.text.unwrap();
    assert!(screen.contains("Password: set") && screen.contains("offered to customers"), "{screen}");
    assert!(!screen.contains("Uzum#Owner"), "the password is never shown back");
    let log = app.sim().chat_log(main, shop.owner.id);
    assert!(log.iter().filter(|m| m.raw_text.as_deref() == Some("Uzum#Owner&Pass1")).all(|m| m.deleted));
    let url = screen.split_whitespace().find(|w| w.contains("/pay/uzum/")).expect("the webhook address");
    let local = format!("{}{}", app.address, &url[url.find("/pay/uzum/").unwrap()..]);
    let uzum = UzumSandbox::new(&local, 50123, ("kamola_uzum", "Uzum#Owner&Pass1"), Arc::new(app.clock.clone()));

    let customer = app.user(7_100_000_924, "Nodira");
    app.start_and_choose(shop.bot, &customer, "en").await;
    let checkout = app.uzum_checkout(&shop, &customer).await;
    let (_, confirmed) = uzum.pay(&checkout).await.unwrap();
    assert_eq!(confirmed.state(), Some("CONFIRMED"), "{:?}", confirmed.body);
    app.wait_for_link(shop.bot, &customer).await;
}
