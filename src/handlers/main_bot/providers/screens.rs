//! A provider's settings screen: its values (secrets only as "set"), on or off, the URLs to
//! paste into its cabinet once complete, and its buttons.

use super::{
    super::{actions::Action, screens::Screen, Session},
    Field, Op, Provider, ProviderAction,
};
use crate::{
    db::payment_accounts::PaymentAccount,
    handlers::Button,
    services::payment_accounts::{click_endpoints, payme_endpoint, uzum_endpoint},
};

/// The provider's screen for the bot's account (none yet: nothing set).
pub fn screen(session: &Session<'_>, provider: Provider, account: Option<&PaymentAccount>) -> Screen {
    let button = |key: &str, op| session.button(key, Action::Provider(ProviderAction { provider, op }));
    let on = account.is_some_and(|a| provider.ready(a));
    let server = session.ctx.app.settings.server_url.as_str();
    let complete = account.filter(|a| provider.complete(a));
    let (mut text, mut rows) = match provider {
        Provider::Payme => payme(session, account, &button),
        Provider::Click => click(session, account, &button),
        Provider::Uzum => uzum(session, account, &button),
    };
    let status = session.t(if on { "provider-status-on" } else { "provider-status-off" });
    text.push_str(&format!("\n{}", session.ta("provider-status", &[("status", &status)])));
    match (provider, complete) {
        (Provider::Payme, Some(a)) => {
            text.push_str(&format!("\n\n{}", session.ta("payme-endpoint", &[("url", &payme_endpoint(server, a))])));
        }
        (Provider::Click, Some(a)) => {
            let (prepare, complete) = click_endpoints(server, a);
            text.push_str(&format!(
                "\n\n{}",
                session.ta("click-endpoints", &[("prepare", &prepare), ("complete", &complete)])
            ));
        }
        (Provider::Uzum, Some(a)) => {
            text.push_str(&format!("\n\n{}", session.ta("uzum-endpoint", &[("url", &uzum_endpoint(server, a))])));
        }
        _ => {}
    }
    if account.is_some() {
        let switch = if on {
            button("button-provider-off", Op::Switch(false))
        } else {
            button("button-provider-on", Op::Switch(true))
        };
        rows.push(vec![switch]);
        rows.push(vec![button("button-provider-disconnect", Op::Disconnect)]);
    }
    rows.push(vec![session.button("button-back", Action::Methods)]);
    Screen { text, rows }
}

fn set(session: &Session<'_>, value: bool) -> String {
    session.t(if value { "value-set" } else { "value-not-set" })
}

fn shown<T: ToString>(session: &Session<'_>, value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_else(|| session.t("value-not-set"))
}

/// Payme's values and buttons.
fn payme(
    session: &Session<'_>,
    account: Option<&PaymentAccount>,
    button: &dyn Fn(&str, Op) -> Button,
) -> (String, Vec<Vec<Button>>) {
    let test = account.is_some_and(|a| a.payme_test_mode);
    let mode = session.t(if test { "payme-mode-test" } else { "payme-mode-live" });
    let text = session.ta(
        "payme-screen",
        &[
            ("id", &shown(session, account.and_then(|a| a.payme_merchant_id.clone()))),
            ("key", &set(session, account.is_some_and(|a| a.payme_key.is_some()))),
            ("test", &set(session, account.is_some_and(|a| a.payme_test_key.is_some()))),
            ("mode", &mode),
        ],
    );
    let mut rows = vec![
        vec![button("button-payme-cashbox", Op::Ask(Field::PaymeCashbox))],
        vec![
            button("button-payme-key", Op::Ask(Field::PaymeKey)),
            button("button-payme-test-key", Op::Ask(Field::PaymeTestKey)),
        ],
    ];
    if account.is_some() {
        let other = if test { "button-payme-use-live" } else { "button-payme-use-test" };
        rows.push(vec![button(other, Op::TestMode(!test))]);
    }
    (text, rows)
}

/// Click's values and buttons.
fn click(
    session: &Session<'_>,
    account: Option<&PaymentAccount>,
    button: &dyn Fn(&str, Op) -> Button,
) -> (String, Vec<Vec<Button>>) {
    let text = session.ta(
        "click-screen",
        &[
            ("service", &shown(session, account.and_then(|a| a.click_service_id))),
            ("merchant", &shown(session, account.and_then(|a| a.click_merchant_id))),
            ("user", &shown(session, account.and_then(|a| a.click_merchant_user_id))),
            ("key", &set(session, account.is_some_and(|a| a.click_secret.is_some()))),
        ],
    );
    let rows = vec![
        vec![
            button("button-click-service", Op::Ask(Field::ClickService)),
            button("button-click-merchant", Op::Ask(Field::ClickMerchant)),
        ],
        vec![
            button("button-click-user", Op::Ask(Field::ClickMerchantUser)),
            button("button-click-secret", Op::Ask(Field::ClickSecret)),
        ],
    ];
    (text, rows)
}

/// Uzum's values and buttons.
fn uzum(
    session: &Session<'_>,
    account: Option<&PaymentAccount>,
    button: &dyn Fn(&str, Op) -> Button,
) -> (String, Vec<Vec<Button>>) {
    let text = session.ta(
        "uzum-screen",
        &[
            ("service", &shown(session, account.and_then(|a| a.uzum_service_id))),
            ("login", &shown(session, account.and_then(|a| a.uzum_login.clone()))),
            ("key", &set(session, account.is_some_and(|a| a.uzum_password.is_some()))),
        ],
    );
    let rows = vec![
        vec![button("button-uzum-service", Op::Ask(Field::UzumService))],
        vec![
            button("button-uzum-login", Op::Ask(Field::UzumLogin)),
            button("button-uzum-password", Op::Ask(Field::UzumPassword)),
        ],
    ];
    (text, rows)
}
