//! Payments through providers in the statistics: the owner's and the moderators' revenue per
//! method (a refund is no revenue, and is counted as refunded), and the payments CSV with the
//! method and the provider's transaction id.

use crate::support::{spawn_app, MODERATOR_ID};

#[actix_web::test]
async fn revenue_is_shown_per_method_and_the_csv_names_the_transaction() {
    let app = spawn_app().await;
    let shop = app.ready_shop(7_000_000_951, "stats_methods_bot").await;
    let (_, payme) = app.connect_payme(&shop).await;
    let (_, click) = app.connect_click(&shop).await;
    let (paying, refunded) = (app.user(7_100_000_951, "Aziza"), app.user(7_100_000_952, "Bobur"));
    app.start_and_choose(shop.bot, &paying, "en").await;
    let (payme_id, performed) = payme.pay(&app.payme_checkout(&shop, &paying).await).await.unwrap();
    assert_eq!(performed.result().unwrap()["state"], 2);
    app.start_and_choose(shop.bot, &refunded, "en").await;
    let (_, _, completed) = click.pay(&app.click_checkout(&shop, &refunded).await).await.unwrap();
    assert_eq!(completed.unwrap().error(), Some(0));
    app.wait_for_link(shop.bot, &refunded).await;
    let checkout = app.payme_checkout(&shop, &refunded).await;
    let (second, _) = payme.pay(&checkout).await.unwrap();
    assert_eq!(payme.cancel(&second, 5).await.unwrap().result().unwrap()["state"], -2);

    let main = app.main_id();
    let stats = app.say(main, &shop.owner, "/stats").await.text.unwrap();
    assert!(stats.contains("By method: 💠 Click 50 000 UZS · 💳 Payme 50 000 UZS"), "a refund is no revenue: {stats}");
    assert!(stats.contains("refunded 1"), "{stats}");

    app.press(main, &shop.owner, "st:t:csv").await;
    let document = app.last_message(main, shop.owner.id).document.expect("a CSV document");
    let (_, csv) = app.sim().file(&document).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_ref());
    let headers = reader.headers().unwrap().clone();
    assert_eq!((&headers[6], &headers[7]), ("method", "transaction"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|r| &r[6] == "payme" && r[7] == payme_id && &r[8] == "approved"), "{rows:?}");
    assert!(rows.iter().any(|r| &r[6] == "payme" && r[7] == second && &r[8] == "refunded"), "{rows:?}");
    assert!(rows.iter().any(|r| &r[6] == "click" && !r[7].is_empty()), "{rows:?}");

    let moderator = app.user(MODERATOR_ID, "Malika");
    let dashboard = app.say(main, &moderator, "/panel").await.text.unwrap();
    assert!(dashboard.contains("Approved by method: 💠 Click 50 000 UZS · 💳 Payme 50 000 UZS"), "{dashboard}");
}
