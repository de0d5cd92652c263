//! The owner's screens: text and buttons rendered from the current records, so a screen is
//! always the truth at the moment it is drawn.

use super::{
    actions::{Action, Notice},
    Session,
};
use crate::{
    db::{bot_settings::OwnedBot, channels::Channel},
    handlers::{
        common::{chat_label, period_text},
        Button, Effect, Keyboard,
    },
    i18n::Lang,
    services::input::{format_amount, mask_card},
};

/// Longest preview of a welcome text on the welcome screen (three must fit in one message).
const WELCOME_PREVIEW_CHARS: usize = 300;

/// Where a screen goes: in place of the pressed message, or as a new message.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// Edit the message whose button was pressed.
    Edit {
        /// Chat.
        chat_id: i64,
        /// Message.
        message_id: i32,
    },
    /// Send a new message.
    New {
        /// Chat.
        chat_id: i64,
    },
}

/// A rendered screen.
pub struct Screen {
    /// Text.
    pub text: String,
    /// Buttons, one row per entry.
    pub rows: Vec<Vec<Button>>,
}

impl Screen {
    /// The effect that shows it.
    pub fn show(self, target: Target) -> Effect {
        let keyboard = (!self.rows.is_empty()).then_some(Keyboard(self.rows));
        match target {
            Target::Edit { chat_id, message_id } => Effect::Edit { chat_id, message_id, text: self.text, keyboard },
            Target::New { chat_id } => Effect::Send { chat_id, text: self.text, keyboard },
        }
    }

    /// The same screen with a line above its text (e.g. "✅ Saved").
    pub fn with_notice(mut self, notice: String) -> Self {
        self.text = format!("{notice}\n\n{}", self.text);
        self
    }
}

impl Session<'_> {
    /// A button for an action, labelled by a Fluent key.
    pub fn button(&self, key: &str, action: Action) -> Button {
        Button { text: self.t(key), data: action.data() }
    }

    fn back(&self, to: Action) -> Vec<Button> {
        vec![self.button("button-back", to)]
    }

    /// The main menu.
    pub fn menu(&self, bot: Option<&OwnedBot>) -> Screen {
        let Some(bot) = bot else {
            let mut rows = vec![vec![self.button("button-connect-bot", Action::AskToken)]];
            if self.ctx.platform.can_manage_bots() {
                rows.insert(0, vec![self.button("button-create-bot", Action::CreateBot)]);
            }
            rows.push(vec![self.button("button-plan", Action::Plan)]);
            rows.push(vec![self.button("button-language", Action::Language)]);
            return Screen { text: self.t("menu-no-bot"), rows };
        };
        let at = format!("@{}", bot.bot_username);
        Screen {
            text: self.ta("menu-title", &[("bot", &at), ("status", &self.health_text(&bot.health))]),
            rows: vec![
                vec![Button { text: format!("🤖 {at}"), data: Action::Bot.data() }],
                vec![self.button("button-channels", Action::Channels)],
                vec![self.button("button-customers", Action::Customers(0))],
                vec![self.button("button-settings", Action::Settings)],
                vec![self.button("button-stats", Action::Stats(super::actions::Period::Today))],
                vec![self.button("button-plan", Action::Plan)],
                vec![self.button("button-language", Action::Language)],
            ],
        }
    }

    fn health_text(&self, health: &str) -> String {
        self.t(match health {
            "alive" => "health-alive",
            "dead" => "health-dead",
            "revoked" => "health-revoked",
            _ => "health-failed",
        })
    }

    /// How to get a token, shown while waiting for one.
    pub fn ask_token(&self, replacing: Option<&OwnedBot>) -> Screen {
        let text = match replacing {
            Some(bot) => self.ta("token-ask-replace", &[("bot", &format!("@{}", bot.bot_username))]),
            None => self.t("token-ask"),
        };
        Screen { text, rows: vec![vec![self.button("button-cancel", Action::Cancel)]] }
    }

    /// The bot's screen.
    pub fn bot_screen(&self, bot: &OwnedBot) -> Screen {
        let at = format!("@{}", bot.bot_username);
        Screen {
            text: self.ta("bot-screen", &[("bot", &at), ("status", &self.health_text(&bot.health))]),
            rows: [
                bot.managed.then(|| vec![self.button("button-reissue-token", Action::ReissueToken)]),
                Some(vec![self.button("button-replace-token", Action::AskToken)]),
                Some(vec![self.button("button-disconnect", Action::Disconnect)]),
                Some(self.back(Action::Menu)),
            ]
            .into_iter()
            .flatten()
            .collect(),
        }
    }

    /// Are you sure you want to disconnect?
    pub fn confirm_disconnect(&self, bot: &OwnedBot) -> Screen {
        Screen {
            text: self.ta("disconnect-confirm", &[("bot", &format!("@{}", bot.bot_username))]),
            rows: vec![vec![
                self.button("button-yes-disconnect", Action::DisconnectConfirmed),
                self.button("button-no", Action::Bot),
            ]],
        }
    }

    /// The channel and group screen: how to add the bot, and what is linked.
    pub fn channels_screen(&self, bot: &OwnedBot, chats: &[Channel]) -> Screen {
        let mut text = self.ta("channels-howto", &[("bot", &format!("@{}", bot.bot_username))]);
        let mut rows = Vec::new();
        for chat in chats {
            text.push_str("\n\n");
            text.push_str(&self.chat_summary(chat));
            rows.push(vec![Button {
                text: chat_label(&chat.kind, &chat.title),
                data: Action::Channel(chat.id).data(),
            }]);
        }
        if chats.is_empty() {
            text.push_str("\n\n");
            text.push_str(&self.t("channels-none"));
        }
        rows.push(self.back(Action::Menu));
        Screen { text, rows }
    }

    fn kind_text(&self, chat: &Channel) -> String {
        self.t(if chat.kind == "channel" { "kind-channel" } else { "kind-group" })
    }

    /// Price and period of a chat, e.g. "50 000 UZS / 1 month".
    pub fn terms_text(&self, chat: &Channel) -> String {
        let period = self.period_text(chat.duration_months);
        match (&chat.price, chat.price_stars) {
            (Some(price), None) => format!("{} {} / {period}", format_amount(price), chat.currency),
            (Some(price), Some(stars)) => format!("{} {} · {stars} ⭐ / {period}", format_amount(price), chat.currency),
            (None, Some(stars)) => format!("{stars} ⭐ / {period}"),
            (None, None) => self.ta("price-not-set", &[("period", &period)]),
        }
    }

    /// "1 month", "lifetime"...
    pub fn period_text(&self, months: i32) -> String {
        period_text(&self.ctx.app.i18n, self.lang, months)
    }

    fn status_text(&self, chat: &Channel) -> String {
        self.t(match chat.link_status.as_str() {
            "linked" => "link-status-linked",
            "pending" => "link-status-pending",
            "broken" => "link-status-broken",
            _ => "link-status-unlinked",
        })
    }

    fn chat_summary(&self, chat: &Channel) -> String {
        format!("{} «{}» — {}\n{}", self.kind_text(chat), chat.title, self.status_text(chat), self.terms_text(chat))
    }

    /// One chat's screen with its actions.
    pub fn channel_screen(&self, chat: &Channel) -> Screen {
        let mut rows = Vec::new();
        if chat.link_status == "pending" {
            rows.push(vec![
                self.button("button-link", Action::Link(chat.id)),
                self.button("button-ignore", Action::Unlink(chat.id)),
            ]);
        } else {
            rows.push(vec![
                self.button("button-price", Action::AskPrice(chat.id)),
                self.button("button-period", Action::Periods(chat.id)),
            ]);
            let mut stars = vec![self.button("button-stars-price", Action::AskStarsPrice(chat.id))];
            if chat.price_stars.is_some() {
                stars.push(self.button("button-stars-clear", Action::ClearStarsPrice(chat.id)));
            }
            rows.push(stars);
            rows.push(vec![
                self.button("button-currency", Action::Currencies(chat.id)),
                self.button("button-unlink", Action::Unlink(chat.id)),
            ]);
        }
        rows.push(self.back(Action::Channels));
        Screen { text: self.chat_summary(chat), rows }
    }

    /// The owner is asked to confirm selling access to a chat the bot was just made admin of.
    pub fn link_request(&self, chat: &Channel, bot_username: &str) -> Screen {
        let key = if chat.kind == "channel" { "link-ask-channel" } else { "link-ask-group" };
        Screen {
            text: self.ta(key, &[("title", &chat.title), ("bot", &format!("@{bot_username}"))]),
            rows: vec![vec![
                self.button("button-link", Action::Link(chat.id)),
                self.button("button-ignore", Action::Unlink(chat.id)),
            ]],
        }
    }

    /// Period choices.
    pub fn periods_screen(&self, chat: &Channel) -> Screen {
        let buttons = super::actions::PERIODS
            .iter()
            .map(|&months| {
                let mark = if months == chat.duration_months { "✅ " } else { "" };
                Button {
                    text: format!("{mark}{}", self.period_text(months)),
                    data: Action::SetPeriod(chat.id, months).data(),
                }
            })
            .collect::<Vec<_>>();
        Screen {
            text: self.ta("period-choose", &[("title", &chat.title)]),
            rows: vec![buttons[..2].to_vec(), buttons[2..].to_vec(), self.back(Action::Channel(chat.id))],
        }
    }

    /// Currency choices.
    pub fn currencies_screen(&self, chat: &Channel) -> Screen {
        let buttons = super::actions::CURRENCIES
            .iter()
            .map(|&code| {
                let mark = if code == chat.currency { "✅ " } else { "" };
                Button { text: format!("{mark}{code}"), data: Action::SetCurrency(chat.id, code).data() }
            })
            .collect();
        Screen {
            text: self.ta("currency-choose", &[("title", &chat.title)]),
            rows: vec![buttons, self.back(Action::Channel(chat.id))],
        }
    }

    /// Selling settings: card, holder, methods, welcome texts.
    pub fn settings_screen(&self, bot: &OwnedBot) -> Screen {
        let not_set = self.t("value-not-set");
        let card = bot.card_number.as_deref().map(mask_card).unwrap_or_else(|| not_set.clone());
        let holder = bot.card_holder.clone().unwrap_or_else(|| not_set.clone());
        let methods = bot.methods().map(|m| self.t(&format!("method-{m}"))).collect::<Vec<_>>().join(", ");
        let custom =
            Lang::ALL.iter().filter(|l| bot.welcome_for(l.code()).is_some()).map(|l| l.label()).collect::<Vec<_>>();
        let welcome = if custom.is_empty() { self.t("welcome-all-default") } else { custom.join(", ") };
        Screen {
            text: self.ta(
                "settings-screen",
                &[("card", &card), ("holder", &holder), ("methods", &methods), ("welcome", &welcome)],
            ),
            rows: vec![
                vec![self.button("button-card", Action::AskCard), self.button("button-holder", Action::AskHolder)],
                vec![self.button("button-methods", Action::Methods), self.button("button-welcome", Action::Welcome)],
                vec![self.notice_button(Notice::NewCustomers, self.owner.notify_new_end_users)],
                vec![self.notice_button(Notice::Joins, self.owner.notify_joins)],
                self.back(Action::Menu),
            ],
        }
    }

    fn notice_button(&self, notice: Notice, on: bool) -> Button {
        let key = match notice {
            Notice::NewCustomers => "button-notice-new",
            Notice::Joins => "button-notice-joins",
        };
        let mark = if on { "🔔" } else { "🔕" };
        Button { text: format!("{mark} {}", self.t(key)), data: Action::SetNotice(notice, !on).data() }
    }

    /// Payment methods with their switches.
    pub fn methods_screen(&self, bot: &OwnedBot) -> Screen {
        let mut rows: Vec<Vec<Button>> = super::actions::METHODS
            .iter()
            .map(|&m| {
                let on = bot.methods().any(|x| x == m);
                let mark = if on { "✅" } else { "⬜" };
                vec![Button {
                    text: format!("{mark} {}", self.t(&format!("method-{m}"))),
                    data: Action::SetMethod(m, !on).data(),
                }]
            })
            .collect();
        rows.extend(super::providers::methods_rows(self));
        rows.push(self.back(Action::Settings));
        Screen { text: self.t("methods-screen"), rows }
    }

    /// The welcome texts, per language, with edit and reset buttons.
    pub fn welcome_screen(&self, bot: &OwnedBot) -> Screen {
        let mut text = self.t("welcome-screen");
        let mut rows = Vec::new();
        for lang in Lang::ALL {
            let current = match bot.welcome_for(lang.code()) {
                Some(own) if own.chars().count() > WELCOME_PREVIEW_CHARS => {
                    format!("{}…", own.chars().take(WELCOME_PREVIEW_CHARS).collect::<String>())
                }
                Some(own) => own.to_owned(),
                None => self.t("welcome-default-marker"),
            };
            text.push_str(&format!("\n\n{}:\n{current}", lang.label()));
            let mut row =
                vec![Button { text: format!("✏️ {}", lang.label()), data: Action::AskWelcome(lang).data() }];
            if bot.welcome_for(lang.code()).is_some() {
                row.push(Button { text: format!("↩️ {}", lang.label()), data: Action::ResetWelcome(lang).data() });
            }
            rows.push(row);
        }
        rows.push(self.back(Action::Settings));
        Screen { text, rows }
    }

    /// A prompt for typed input, with a cancel button.
    pub fn prompt(&self, text: String) -> Screen {
        Screen { text, rows: vec![vec![self.button("button-cancel", Action::Cancel)]] }
    }
}
