//! The owner's Payme settings (⚙️ Selling settings → 💳 Payment methods → Payme): the
//! cashbox id, the production and test keys, which one is in use, on or off, and the
//! endpoint URL to paste into Payme Business. A key is deleted from the chat as soon as it
//! is read, and never shown back. Every press acts on the presser's own bot only.

use teloxide_core::types::Message;

use super::{
    actions::Action,
    screens::{Screen, Target},
    typing::Step,
    Session,
};
use crate::{
    db::payment_accounts::{self, PaymeChange, PaymentAccount},
    handlers::{Button, Effect, HandlerError},
    services::payment_accounts::{self as accounts, payme_endpoint},
};

/// A button of the Payme settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymeAction {
    /// The Payme screen.
    Show,
    /// Ask for the cashbox id.
    AskCashbox,
    /// Ask for a key: the test key (`true`) or the production key.
    AskKey(bool),
    /// Use the test key and the sandbox checkout (`true`), or production.
    TestMode(bool),
    /// Offer Payme to customers, or not.
    Switch(bool),
    /// Ask to disconnect.
    Disconnect,
    /// Disconnect: the keys are erased.
    ConfirmDisconnect,
}

impl PaymeAction {
    /// The callback data, after `s:pm`.
    pub fn data(self) -> String {
        let tail = match self {
            PaymeAction::Show => "",
            PaymeAction::AskCashbox => ":id",
            PaymeAction::AskKey(true) => ":tkey",
            PaymeAction::AskKey(false) => ":key",
            PaymeAction::TestMode(true) => ":mode:test",
            PaymeAction::TestMode(false) => ":mode:live",
            PaymeAction::Switch(true) => ":on",
            PaymeAction::Switch(false) => ":off",
            PaymeAction::Disconnect => ":drop",
            PaymeAction::ConfirmDisconnect => ":drop:yes",
        };
        format!("s:pm{tail}")
    }

    /// Reads the parts after `s:pm`.
    pub fn parse(rest: &[&str]) -> Option<Self> {
        Some(match rest {
            [] => PaymeAction::Show,
            ["id"] => PaymeAction::AskCashbox,
            ["tkey"] => PaymeAction::AskKey(true),
            ["key"] => PaymeAction::AskKey(false),
            ["mode", "test"] => PaymeAction::TestMode(true),
            ["mode", "live"] => PaymeAction::TestMode(false),
            ["on"] => PaymeAction::Switch(true),
            ["off"] => PaymeAction::Switch(false),
            ["drop"] => PaymeAction::Disconnect,
            ["drop", "yes"] => PaymeAction::ConfirmDisconnect,
            _ => return None,
        })
    }
}

type Pressed = (Option<String>, Vec<Effect>);

/// Carries out a press on the Payme settings.
pub async fn on_action(session: &Session<'_>, action: PaymeAction, target: Target) -> Result<Pressed, HandlerError> {
    let Some(bot) = session.bot().await? else { return Ok((Some(session.t("stale-button")), Vec::new())) };
    let now = session.ctx.app.clock.now();
    let mut conn = session.conn().await?;
    let account = payment_accounts::of_bot(&mut conn, bot.id).await?;
    let changed = match (action, account) {
        (PaymeAction::Show, account) => account,
        (PaymeAction::AskCashbox, _) => {
            drop(conn);
            session.set_step(&Step::PaymeCashbox).await?;
            return Ok((None, vec![session.prompt(session.t("payme-ask-cashbox")).show(target)]));
        }
        (PaymeAction::AskKey(test), _) => {
            drop(conn);
            session.set_step(&Step::PaymeKey { test }).await?;
            let key = if test { "payme-ask-test-key" } else { "payme-ask-key" };
            return Ok((None, vec![session.prompt(session.t(key)).show(target)]));
        }
        (PaymeAction::Disconnect, Some(_)) => {
            let rows = vec![
                vec![session.button("button-payme-disconnect-yes", Action::Payme(PaymeAction::ConfirmDisconnect))],
                vec![session.button("button-back", Action::Payme(PaymeAction::Show))],
            ];
            let screen = Screen { text: session.t("payme-disconnect-confirm"), rows };
            return Ok((None, vec![screen.show(target)]));
        }
        (PaymeAction::ConfirmDisconnect, Some(account)) => {
            payment_accounts::disconnect_payme(&mut conn, account.id, now).await?;
            payment_accounts::of_bot(&mut conn, bot.id).await?
        }
        (PaymeAction::TestMode(test), Some(_)) => {
            drop(conn);
            let mode = PaymeChange { test_mode: Some(test), ..Default::default() };
            Some(store(session, bot.id, &mode, now).await?)
        }
        (PaymeAction::Switch(on), Some(account)) => {
            if on && !complete(&account) {
                return Ok((Some(session.t("payme-incomplete")), Vec::new()));
            }
            let switch = PaymeChange { enabled: Some(on), ..Default::default() };
            Some(payment_accounts::change_payme(&mut conn, account.id, &switch, now).await?)
        }
        (_, None) => None,
    };
    Ok((None, vec![screen(session, changed.as_ref()).show(target)]))
}

/// Whether the cashbox id and the key for the mode in use are set.
fn complete(account: &PaymentAccount) -> bool {
    account.payme_merchant_id.is_some() && account.payme_key_in_use().is_some()
}

/// The Payme screen.
pub fn screen(session: &Session<'_>, account: Option<&PaymentAccount>) -> Screen {
    let set = |v: bool| session.t(if v { "value-set" } else { "value-not-set" });
    let cashbox = account.and_then(|a| a.payme_merchant_id.clone()).unwrap_or_else(|| session.t("value-not-set"));
    let test = account.is_some_and(|a| a.payme_test_mode);
    let on = account.is_some_and(|a| a.payme_ready());
    let url = account.filter(|a| complete(a)).map(|a| payme_endpoint(session.ctx.app.settings.server_url.as_str(), a));
    let mode = session.t(if test { "payme-mode-test" } else { "payme-mode-live" });
    let status = session.t(if on { "payme-status-on" } else { "payme-status-off" });
    let mut text = session.ta(
        "payme-screen",
        &[
            ("id", cashbox.as_str()),
            ("key", &set(account.is_some_and(|a| a.payme_key.is_some()))),
            ("test", &set(account.is_some_and(|a| a.payme_test_key.is_some()))),
            ("mode", &mode),
            ("status", &status),
        ],
    );
    if let Some(url) = url {
        text.push_str("\n\n");
        text.push_str(&session.ta("payme-endpoint", &[("url", &url)]));
    }
    let button = |key: &str, action: PaymeAction| session.button(key, Action::Payme(action));
    let mut rows = vec![
        vec![button("button-payme-cashbox", PaymeAction::AskCashbox)],
        vec![
            button("button-payme-key", PaymeAction::AskKey(false)),
            button("button-payme-test-key", PaymeAction::AskKey(true)),
        ],
    ];
    if account.is_some() {
        let other = if test { "button-payme-use-live" } else { "button-payme-use-test" };
        let switch = if on { ("button-payme-off", false) } else { ("button-payme-on", true) };
        rows.push(vec![button(other, PaymeAction::TestMode(!test)), button(switch.0, PaymeAction::Switch(switch.1))]);
        rows.push(vec![button("button-payme-disconnect", PaymeAction::Disconnect)]);
    }
    rows.push(vec![session.button("button-back", Action::Methods)]);
    Screen { text, rows }
}

/// A typed cashbox id or key. The message is deleted first when it may carry a key; a
/// refused value keeps the question open.
pub async fn on_input(
    session: &Session<'_>,
    step: &Step,
    msg: &Message,
    text: &str,
) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    let mut effects = Vec::new();
    let Some(bot) = session.bot().await? else {
        session.clear_step().await?;
        return Ok(vec![session.menu_screen().await?.show(here)]);
    };
    let (vault, now) = (&session.ctx.app.settings.vault, session.ctx.app.clock.now());
    let stored = match step {
        Step::PaymeKey { test } => {
            effects.push(Effect::Delete { chat_id: session.chat_id, message_id: msg.id.0 });
            match accounts::payme_key(text) {
                Ok(key) => {
                    let encrypted = vault.encrypt_secret(&key);
                    let change = if *test {
                        PaymeChange { test_key: Some(&encrypted), ..Default::default() }
                    } else {
                        PaymeChange { key: Some(&encrypted), ..Default::default() }
                    };
                    Ok(store(session, bot.id, &change, now).await?)
                }
                Err(e) => Err(e),
            }
        }
        _ => match accounts::payme_merchant_id(text) {
            Ok(id) => {
                Ok(store(session, bot.id, &PaymeChange { merchant_id: Some(&id), ..Default::default() }, now).await?)
            }
            Err(e) => Err(e),
        },
    };
    match stored {
        Ok(account) => {
            session.clear_step().await?;
            effects.push(screen(session, Some(&account)).with_notice(session.t("payme-saved")).show(here));
        }
        Err(e) => effects.push(session.prompt(session.t(e.message_key())).show(here)),
    }
    Ok(effects)
}

/// Stores a change on the bot's account (made on first use), switching Payme on once it is
/// complete for the first time.
async fn store(
    session: &Session<'_>,
    user_bot_id: i64,
    change: &PaymeChange<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PaymentAccount, HandlerError> {
    let mut conn = session.conn().await?;
    let account =
        payment_accounts::ensure(&mut conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    let was_complete = complete(&account);
    let account = payment_accounts::change_payme(&mut conn, account.id, change, now).await?;
    if !was_complete && complete(&account) && !account.payme_enabled {
        let on = PaymeChange { enabled: Some(true), ..Default::default() };
        return Ok(payment_accounts::change_payme(&mut conn, account.id, &on, now).await?);
    }
    Ok(account)
}

/// The button on the methods screen.
pub fn methods_row(session: &Session<'_>) -> Vec<Button> {
    vec![session.button("button-payme", Action::Payme(PaymeAction::Show))]
}

#[cfg(test)]
mod tests {
    use super::PaymeAction;

    #[test]
    fn payme_buttons_round_trip() {
        for action in [
            PaymeAction::Show,
            PaymeAction::AskCashbox,
            PaymeAction::AskKey(true),
            PaymeAction::AskKey(false),
            PaymeAction::TestMode(true),
            PaymeAction::TestMode(false),
            PaymeAction::Switch(true),
            PaymeAction::Switch(false),
            PaymeAction::Disconnect,
            PaymeAction::ConfirmDisconnect,
        ] {
            let data = action.data();
            assert!(data.len() <= 64);
            let parts: Vec<&str> = data.split(':').collect();
            assert_eq!(parts[..2], ["s", "pm"]);
            assert_eq!(PaymeAction::parse(&parts[2..]), Some(action));
        }
        assert_eq!(PaymeAction::parse(&["mode", "x"]), None);
    }
}
