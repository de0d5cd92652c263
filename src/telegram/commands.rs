//! The main bot's command menus: owners see start, menu, stats, plan and cancel; each moderator's
//! chat also shows panel. Set at start-up, in every language (best effort: a failure only
//! loses the menu hint).

use teloxide_core::{
    payloads::SetMyCommandsSetters,
    requests::Requester,
    types::{BotCommand, BotCommandScope, ChatId, Recipient},
};

use super::BotClient;
use crate::i18n::{I18n, Lang};

const OWNER_COMMANDS: [&str; 5] = ["start", "menu", "stats", "plan", "cancel"];

fn commands(i18n: &I18n, lang: Lang, moderator: bool) -> Vec<BotCommand> {
    let extra = moderator.then_some("panel");
    OWNER_COMMANDS
        .into_iter()
        .chain(extra)
        .map(|name| BotCommand::new(name, i18n.tr(lang, &format!("command-{name}"), &[])))
        .collect()
}

/// Sets the owners' menu for everyone and the moderators' menu in each moderator's chat.
pub async fn set_main_commands(i18n: &I18n, main: &BotClient, moderators: &[i64]) {
    for lang in Lang::ALL {
        let code = (lang != Lang::En).then(|| lang.code().to_owned());
        let mut everyone = main.raw().set_my_commands(commands(i18n, lang, false));
        if let Some(code) = &code {
            everyone = everyone.language_code(code.clone());
        }
        let mut results = vec![everyone.await.map(drop)];
        for moderator in moderators {
            let scope = BotCommandScope::Chat { chat_id: Recipient::Id(ChatId(*moderator)) };
            let mut request = main.raw().set_my_commands(commands(i18n, lang, true)).scope(scope);
            if let Some(code) = &code {
                request = request.language_code(code.clone());
            }
            results.push(request.await.map(drop));
        }
        for failure in results.into_iter().filter_map(Result::err) {
            tracing::warn!(error = %crate::crypto::redact_tokens(&failure.to_string()), "main bot setMyCommands failed");
        }
    }
}
