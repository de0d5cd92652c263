//! The owner's payment providers (⚙️ Selling settings → 💸 Payment methods → Payme, Click
//! or Uzum): each value the provider needs, which Payme key is in use, on or off, the endpoint
//! URLs to paste into the provider's cabinet, and disconnecting. A secret is deleted from the
//! chat as soon as it is read and never shown back. Every press acts on the presser's own bot.

mod fields;
mod screens;

use teloxide_core::types::Message;

pub use fields::{Field, Provider};

use super::{
    actions::Action,
    screens::{Screen, Target},
    typing::Step,
    Session,
};
use crate::{
    db::payment_accounts,
    handlers::{Button, Effect, HandlerError},
};

/// What a button on a provider's screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// The provider's screen.
    Show,
    /// Ask for a value.
    Ask(Field),
    /// Payme: use the test key and the sandbox checkout (`true`), or production.
    TestMode(bool),
    /// Offer the provider to customers, or not.
    Switch(bool),
    /// Ask to disconnect.
    Disconnect,
    /// Disconnect: every value is erased.
    ConfirmDisconnect,
}

/// A press on a provider's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderAction {
    /// Which provider.
    pub provider: Provider,
    /// What for.
    pub op: Op,
}

impl ProviderAction {
    /// The callback data: `s:pm…` for Payme, `s:ck…` for Click.
    pub fn data(self) -> String {
        let tail = match self.op {
            Op::Show => String::new(),
            Op::Ask(field) => format!(":{}", field.code()),
            Op::TestMode(true) => ":mode:test".into(),
            Op::TestMode(false) => ":mode:live".into(),
            Op::Switch(true) => ":on".into(),
            Op::Switch(false) => ":off".into(),
            Op::Disconnect => ":drop".into(),
            Op::ConfirmDisconnect => ":drop:yes".into(),
        };
        format!("s:{}{tail}", self.provider.data_code())
    }

    /// Reads the data after `s:`: the provider's code and what follows it.
    pub fn parse(code: &str, rest: &[&str]) -> Option<Self> {
        let provider = Provider::from_data_code(code)?;
        let op = match rest {
            [] => Op::Show,
            ["mode", "test"] if provider == Provider::Payme => Op::TestMode(true),
            ["mode", "live"] if provider == Provider::Payme => Op::TestMode(false),
            ["on"] => Op::Switch(true),
            ["off"] => Op::Switch(false),
            ["drop"] => Op::Disconnect,
            ["drop", "yes"] => Op::ConfirmDisconnect,
            [field] => Op::Ask(Field::from_code(provider, field)?),
            _ => return None,
        };
        Some(Self { provider, op })
    }
}

type Pressed = (Option<String>, Vec<Effect>);

/// Carries out a press on a provider's settings.
pub async fn on_action(session: &Session<'_>, action: ProviderAction, target: Target) -> Result<Pressed, HandlerError> {
    let Some(bot) = session.bot().await? else { return Ok((Some(session.t("stale-button")), Vec::new())) };
    let (provider, now) = (action.provider, session.ctx.app.clock.now());
    let account = {
        let mut conn = session.conn().await?;
        payment_accounts::of_bot(&mut conn, bot.id).await?
    };
    let shown = match (action.op, account) {
        (Op::Show, account) => account,
        (Op::Ask(field), _) => {
            session.set_step(&Step::PaymentField { field }).await?;
            return Ok((None, vec![session.prompt(session.t(field.ask_key())).show(target)]));
        }
        (Op::Disconnect, Some(_)) => {
            let button = |key: &str, op| session.button(key, Action::Provider(ProviderAction { provider, op }));
            let rows = vec![
                vec![button("button-provider-disconnect-yes", Op::ConfirmDisconnect)],
                vec![button("button-back", Op::Show)],
            ];
            let text = session.ta("provider-disconnect-confirm", &[("provider", provider.label())]);
            return Ok((None, vec![Screen { text, rows }.show(target)]));
        }
        (Op::ConfirmDisconnect, Some(account)) => {
            let mut conn = session.conn().await?;
            match provider {
                Provider::Payme => payment_accounts::disconnect_payme(&mut conn, account.id, now).await?,
                Provider::Click => payment_accounts::disconnect_click(&mut conn, account.id, now).await?,
                Provider::Uzum => payment_accounts::disconnect_uzum(&mut conn, account.id, now).await?,
            };
            payment_accounts::of_bot(&mut conn, bot.id).await?
        }
        (Op::TestMode(test), Some(_)) => Some(fields::store_mode(session, bot.id, test, now).await?),
        (Op::Switch(on), Some(account)) => {
            if on && !provider.complete(&account) {
                return Ok((Some(session.t("provider-incomplete")), Vec::new()));
            }
            Some(fields::store_switch(session, account.id, provider, on, now).await?)
        }
        (_, None) => None,
    };
    Ok((None, vec![screens::screen(session, provider, shown.as_ref()).show(target)]))
}

/// A typed value. A secret's message is deleted first; a refused value keeps the question.
pub async fn on_input(
    session: &Session<'_>,
    field: Field,
    msg: &Message,
    text: &str,
) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    let mut effects = Vec::new();
    if field.secret() {
        effects.push(Effect::Delete { chat_id: session.chat_id, message_id: msg.id.0 });
    }
    let Some(bot) = session.bot().await? else {
        session.clear_step().await?;
        effects.push(session.menu_screen().await?.show(here));
        return Ok(effects);
    };
    match fields::store_value(session, bot.id, field, text).await? {
        Ok(account) => {
            session.clear_step().await?;
            let screen = screens::screen(session, field.provider(), Some(&account));
            effects.push(screen.with_notice(session.t("provider-saved")).show(here));
        }
        Err(e) => effects.push(session.prompt(session.t(e.message_key())).show(here)),
    }
    Ok(effects)
}

/// The providers' buttons on the methods screen.
pub fn methods_rows(session: &Session<'_>) -> Vec<Vec<Button>> {
    Provider::ALL
        .into_iter()
        .map(|provider| {
            let action = Action::Provider(ProviderAction { provider, op: Op::Show });
            vec![session.button(provider.button_key(), action)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_buttons_round_trip() {
        let mut actions = Vec::new();
        for provider in Provider::ALL {
            for op in [Op::Show, Op::Switch(true), Op::Switch(false), Op::Disconnect, Op::ConfirmDisconnect] {
                actions.push(ProviderAction { provider, op });
            }
            for field in Field::ALL.iter().filter(|f| f.provider() == provider) {
                actions.push(ProviderAction { provider, op: Op::Ask(*field) });
            }
        }
        actions.push(ProviderAction { provider: Provider::Payme, op: Op::TestMode(true) });
        actions.push(ProviderAction { provider: Provider::Payme, op: Op::TestMode(false) });
        for action in actions {
            let data = action.data();
            assert!(data.len() <= 64);
            let parts: Vec<&str> = data.split(':').collect();
            assert_eq!(parts[0], "s");
            assert_eq!(ProviderAction::parse(parts[1], &parts[2..]), Some(action), "{data}");
        }
        assert_eq!(ProviderAction::parse("ck", &["mode", "test"]), None, "Click has no test mode");
        assert_eq!(ProviderAction::parse("pm", &["svc"]), None, "a Click field on Payme");
    }
}
