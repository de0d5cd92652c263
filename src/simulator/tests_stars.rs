//! Telegram Stars in the simulator: invoice checks, the checkout with its 10-second answer,
//! subscriptions renewed on the simulator's clock, cancellations, failures and refunds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};

use crate::simulator::tests::{call, setup, Hook};
use crate::simulator::*;

const KINDS: &str = r#"["message", "pre_checkout_query", "subscription"]"#;

/// Answers the next pre-checkout query the hook receives, as a bot would.
fn answer_next(sim: &Simulator, bot: &SimBot, hook: &Hook, answer: Value) -> tokio::task::JoinHandle<(u16, Value)> {
    let (sim, token, hook) = (sim.clone(), bot.token.clone(), hook.clone());
    let seen = hook.updates().len();
    tokio::spawn(async move {
        loop {
            let query =
                hook.updates().into_iter().skip(seen).find_map(|u| u.pointer("/pre_checkout_query/id").cloned());
            if let Some(id) = query {
                let mut params = answer.clone();
                params["pre_checkout_query_id"] = id;
                return call(&sim, &token, "answerPreCheckoutQuery", params).await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    })
}

fn invoice(chat: i64, amount: i64) -> Value {
    json!({"chat_id": chat, "title": "VIP channel", "description": "1 month of access",
        "payload": "order:7", "currency": "XTR", "prices": [{"label": "1 month", "amount": amount}]})
}

#[actix_web::test]
async fn an_invoice_in_stars_is_checked_paid_once_accepted_and_declined_with_a_reason() {
    let (sim, bot, hook) = setup(serde_json::from_str(KINDS).unwrap()).await;
    let user = sim.user(5_000_000_201, "Ali", None);
    sim.send_text(bot.id, &user, "/start").await.unwrap();
    for (bad, why) in [
        (json!({"currency": "UZS"}), "CURRENCY_INVALID"),
        (json!({"prices": [{"label": "x", "amount": 0}]}), "STARS_INVOICE_INVALID"),
        (json!({"prices": [{"label": "x", "amount": MAX_STARS + 1}]}), "STARS_INVOICE_INVALID"),
        (json!({"prices": [{"label": "a", "amount": 5}, {"label": "b", "amount": 5}]}), "STARS_INVOICE_INVALID"),
        (json!({"payload": "x".repeat(129)}), "INVOICE_PAYLOAD_INVALID"),
        (json!({"provider_token": "123:TEST"}), "PROVIDER_TOKEN_INVALID"),
    ] {
        let mut params = invoice(user.id, 100);
        params.as_object_mut().unwrap().extend(bad.as_object().unwrap().clone());
        let (code, v) = call(&sim, &bot.token, "sendInvoice", params).await;
        assert_eq!(code, 400, "{bad}");
        assert!(v["description"].as_str().unwrap().contains(why), "{v}");
    }

    let (code, sent) = call(&sim, &bot.token, "sendInvoice", invoice(user.id, 100)).await;
    assert_eq!(code, 200, "{sent}");
    assert_eq!(sent["result"]["invoice"]["total_amount"], 100);
    let message_id = sent["result"]["message_id"].as_i64().unwrap();

    let answer = answer_next(&sim, &bot, &hook, json!({"ok": true}));
    let Checkout::Paid { charge_id, delivery } = sim.pay_invoice(bot.id, &user, message_id).await.unwrap() else {
        panic!("not paid")
    };
    assert_eq!(answer.await.unwrap().0, 200);
    assert!(delivery.is_success());
    let paid = hook.last();
    assert_eq!(paid["message"]["successful_payment"]["telegram_payment_charge_id"], charge_id.as_str());
    assert_eq!(paid["message"]["successful_payment"]["invoice_payload"], "order:7");
    assert_eq!(paid["message"]["successful_payment"]["total_amount"], 100);
    crate::simulator::tests::parse_update(&paid);

    let answer = answer_next(&sim, &bot, &hook, json!({"ok": false, "error_message": "Sold out"}));
    assert_eq!(sim.pay_invoice(bot.id, &user, message_id).await.unwrap(), Checkout::Declined("Sold out".into()));
    assert_eq!(answer.await.unwrap().0, 200);
    assert_eq!(sim.star_payments().len(), 1, "a declined checkout charges nothing");

    let (code, _) = call(
        &sim,
        &bot.token,
        "refundStarPayment",
        json!({"user_id": user.id, "telegram_payment_charge_id": charge_id}),
    )
    .await;
    assert_eq!(code, 200);
    let (_, again) = call(
        &sim,
        &bot.token,
        "refundStarPayment",
        json!({"user_id": user.id, "telegram_payment_charge_id": charge_id}),
    )
    .await;
    assert!(again["description"].as_str().unwrap().contains("CHARGE_ALREADY_REFUNDED"));
    let (_, unknown) =
        call(&sim, &bot.token, "refundStarPayment", json!({"user_id": user.id, "telegram_payment_charge_id": "nope"}))
            .await;
    assert!(unknown["description"].as_str().unwrap().contains("CHARGE_NOT_FOUND"));
    let (_, listed) = call(&sim, &bot.token, "getStarTransactions", json!({})).await;
    let listed = listed["result"]["transactions"].as_array().unwrap().clone();
    assert_eq!(listed.len(), 2, "the payment and its refund: {listed:?}");
    assert!(listed[0].get("source").is_some() && listed[1].get("receiver").is_some());
}

#[actix_web::test]
async fn a_checkout_nobody_answers_within_ten_seconds_charges_nothing_and_a_late_answer_is_refused() {
    let (sim, bot, hook) = setup(serde_json::from_str(KINDS).unwrap()).await;
    let user = sim.user(5_000_000_202, "Vali", None);
    sim.send_text(bot.id, &user, "/start").await.unwrap();
    let (_, sent) = call(&sim, &bot.token, "sendInvoice", invoice(user.id, 50)).await;
    let message_id = sent["result"]["message_id"].as_i64().unwrap();
    assert_eq!(sim.pay_invoice(bot.id, &user, message_id).await.unwrap(), Checkout::TimedOut);
    assert!(sim.star_payments().is_empty());
    let id = hook.updates().iter().find_map(|u| u.pointer("/pre_checkout_query/id").cloned()).unwrap();
    let (code, late) =
        call(&sim, &bot.token, "answerPreCheckoutQuery", json!({"pre_checkout_query_id": id, "ok": true})).await;
    assert_eq!(code, 400, "{late}");
}

#[actix_web::test]
async fn a_monthly_subscription_renews_on_the_clock_until_cancelled_or_failed() {
    let (sim, bot, hook) = setup(serde_json::from_str(KINDS).unwrap()).await;
    let mut link_params = invoice(0, 30);
    link_params.as_object_mut().unwrap().remove("chat_id");
    link_params["subscription_period"] = json!(1000);
    assert_eq!(call(&sim, &bot.token, "createInvoiceLink", link_params.clone()).await.0, 400);
    link_params["subscription_period"] = json!(SUBSCRIPTION_PERIOD);
    let (_, link) = call(&sim, &bot.token, "createInvoiceLink", link_params).await;
    let link = link["result"].as_str().unwrap().to_owned();

    let (ali, vali) = (sim.user(5_000_000_203, "Ali", None), sim.user(5_000_000_204, "Vali", None));
    let mut first = Vec::new();
    for user in [&ali, &vali] {
        let answer = answer_next(&sim, &bot, &hook, json!({"ok": true}));
        let Checkout::Paid { charge_id, .. } = sim.pay_invoice_link(user, &link).await.unwrap() else { panic!() };
        answer.await.unwrap();
        let paid = hook.last()["message"]["successful_payment"].clone();
        assert_eq!((paid["is_recurring"].clone(), paid["is_first_recurring"].clone()), (json!(true), json!(true)));
        first.push((charge_id, paid["subscription_expiration_date"].as_i64().unwrap()));
    }
    let end = first[0].1;

    // One period later: Ali is charged again, Vali's card fails.
    let renewed = sim.renew_star_subscriptions(end + 1, &[vali.id]).await.unwrap();
    assert!(renewed.iter().all(Delivery::is_success));
    let updates = hook.updates();
    let renewal = updates.iter().rev().find_map(|u| u.pointer("/message/successful_payment")).unwrap();
    assert_eq!(renewal["is_first_recurring"], false);
    assert_eq!(renewal["subscription_expiration_date"], end + SUBSCRIPTION_PERIOD);
    let failed = updates.iter().rev().find_map(|u| u.get("subscription")).unwrap();
    assert_eq!((failed["user"]["id"].clone(), failed["state"].clone()), (json!(vali.id), json!("failed")));
    assert!(sim.renew_star_subscriptions(end + 1, &[]).await.unwrap().is_empty(), "each period is charged once");

    // A second renewal, then Ali cancels: nothing more is charged.
    sim.renew_star_subscriptions(end + SUBSCRIPTION_PERIOD + 1, &[]).await.unwrap();
    let latest = sim.star_payments().into_iter().rev().find(|p| p.user_id == ali.id).unwrap();
    let cancel = sim.user_cancels_subscription(bot.id, &ali, &latest.charge_id, true).await.unwrap();
    assert!(cancel.is_success());
    assert_eq!(hook.last()["subscription"]["state"], "canceled");
    assert!(sim.renew_star_subscriptions(end + 3 * SUBSCRIPTION_PERIOD, &[]).await.unwrap().is_empty());
    assert_eq!(sim.star_payments().iter().filter(|p| p.user_id == ali.id).count(), 3, "first + two renewals");
}
