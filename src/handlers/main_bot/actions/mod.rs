//! The callback-data grammar of the owner's screens. Data is short text (≤ 64 bytes) that
//! anyone can forge, so it only ever *names* a screen or a record: every handler checks
//! again that the record belongs to whoever pressed. A review button names the payment's
//! revision it showed, and a grant button the token of its screen (see
//! [`crate::handlers::tokens`]).

pub use super::panel::actions::Period;
use crate::{
    handlers::tokens::{is_grant_token, parse_seen, seen},
    i18n::Lang,
};

/// Currencies an owner may sell in.
pub const CURRENCIES: [&str; 4] = ["UZS", "USD", "EUR", "RUB"];
/// Periods an owner may sell, in months (0 = lifetime).
pub const PERIODS: [i32; 4] = [1, 6, 12, 0];
/// Payment methods that exist today.
pub const METHODS: [&str; 2] = ["card", "stars"];

/// What a button in the main bot asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The main menu.
    Menu,
    /// Leave any input step.
    Cancel,
    /// The language keyboard.
    Language,
    /// The bot screen (or the connect how-to when there is none).
    Bot,
    /// Start sending a (new) token.
    AskToken,
    /// Offer the button that creates a shop bot in one tap (a managed bot).
    CreateBot,
    /// Issue a new token for the owner's managed bot.
    ReissueToken,
    /// Ask to confirm disconnecting.
    Disconnect,
    /// Disconnect, confirmed.
    DisconnectConfirmed,
    /// The channel and group screen.
    Channels,
    /// One chat's screen.
    Channel(i64),
    /// Link a pending chat.
    Link(i64),
    /// Decline a pending chat, or ask to unlink a linked one.
    Unlink(i64),
    /// Unlink, confirmed.
    UnlinkConfirmed(i64),
    /// Start typing a chat's price.
    AskPrice(i64),
    /// Period choices of a chat.
    Periods(i64),
    /// Set a chat's period.
    SetPeriod(i64, i32),
    /// Currency choices of a chat.
    Currencies(i64),
    /// Set a chat's currency.
    SetCurrency(i64, &'static str),
    /// Start typing a chat's price in Telegram Stars.
    AskStarsPrice(i64),
    /// Stop selling a chat for Stars.
    ClearStarsPrice(i64),
    /// Refund a Stars payment (`payments.id`): ask (`false`), or confirmed (`true`).
    RefundStars(i64, bool),
    /// Stop a customer's Stars subscription from renewing (`star_subscriptions.id`): ask, or
    /// confirmed.
    StopRenewal(i64, bool),
    /// The selling settings screen.
    Settings,
    /// Start typing the card number.
    AskCard,
    /// Start typing the holder's name.
    AskHolder,
    /// The payment methods screen.
    Methods,
    /// A payment provider's settings.
    Provider(super::providers::ProviderAction),
    /// Switch a payment method on (`true`) or off (the wanted state is in the data, so a
    /// redelivered press does not flip it back).
    SetMethod(&'static str, bool),
    /// The welcome texts screen.
    Welcome,
    /// Start typing the welcome text of a language.
    AskWelcome(Lang),
    /// Back to the locale's default welcome text of a language.
    ResetWelcome(Lang),
    /// Switch a notification kind on or off.
    SetNotice(Notice, bool),
    /// Approve a payment at the revision the copy showed.
    Approve(i64, i32),
    /// Ask for the reason to reject a payment (at a revision).
    Reject(i64, i32),
    /// Reject a payment (at a revision) with a preset reason (1-based).
    RejectPreset(i64, i32, u8),
    /// Reject a payment (at a revision) with a typed reason.
    RejectTyped(i64, i32),
    /// Back from the reasons to Approve / Reject (at a revision).
    Review(i64, i32),
    /// Answer an end user's support message.
    SupportReply(i64),
    /// A page of the bot's end users.
    Customers(i64),
    /// Search end users by name, @username or id.
    SearchCustomers,
    /// One end user's card.
    Customer(i64),
    /// Ban (`true`) or unban an end user.
    BanCustomer(i64, bool),
    /// Grant access by hand: choose the chat.
    GrantChoose(i64),
    /// Grant access by hand: choose the period for a chat.
    GrantChat(i64, i64),
    /// Grant access by hand to a chat for months (0 = lifetime), once per token (drawn with
    /// the screen).
    Grant(i64, i64, i32, String),
    /// The owner's platform plan.
    Plan,
    /// Buy a plan of 1, 6 or 12 months: price, card, then the receipt.
    BuyPlan(i32),
    /// Pay a plan of 1, 6 or 12 months through a provider of the platform's account.
    PayPlan(i32, super::providers::Provider),
    /// The owner's statistics for a period.
    Stats(Period),
    /// The chart of the last 30 days.
    StatsChart,
    /// The payments of a period as CSV.
    ExportPayments(Period),
    /// Every subscriber as CSV.
    ExportSubscribers,
}

/// Preset reasons to reject a payment, as Fluent keys (the user reads them in their language).
pub const REJECT_REASONS: [&str; 3] =
    ["reject-reason-amount", "reject-reason-unreadable", "reject-reason-not-received"];

/// Notifications an owner can mute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A new end user.
    NewCustomers,
    /// An end user joined.
    Joins,
}

impl Action {
    /// The callback data of this action.
    pub fn data(&self) -> String {
        match self {
            Action::Menu => "m".into(),
            Action::Cancel => "x".into(),
            Action::Language => "l".into(),
            Action::Bot => "b".into(),
            Action::AskToken => "b:token".into(),
            Action::CreateBot => "b:new".into(),
            Action::ReissueToken => "b:reissue".into(),
            Action::Disconnect => "b:off".into(),
            Action::DisconnectConfirmed => "b:off!".into(),
            Action::Channels => "c".into(),
            Action::Channel(id) => format!("c:{id}"),
            Action::Link(id) => format!("c:{id}:link"),
            Action::Unlink(id) => format!("c:{id}:unlink"),
            Action::UnlinkConfirmed(id) => format!("c:{id}:unlink!"),
            Action::AskPrice(id) => format!("c:{id}:price"),
            Action::Periods(id) => format!("c:{id}:period"),
            Action::SetPeriod(id, months) => format!("c:{id}:period:{months}"),
            Action::Currencies(id) => format!("c:{id}:cur"),
            Action::SetCurrency(id, code) => format!("c:{id}:cur:{code}"),
            Action::AskStarsPrice(id) => format!("c:{id}:stars"),
            Action::ClearStarsPrice(id) => format!("c:{id}:stars:off"),
            Action::RefundStars(id, sure) => format!("str:{id}{}", if *sure { "!" } else { "" }),
            Action::StopRenewal(id, sure) => format!("sts:{id}{}", if *sure { "!" } else { "" }),
            Action::Settings => "s".into(),
            Action::AskCard => "s:card".into(),
            Action::AskHolder => "s:holder".into(),
            Action::Methods => "s:methods".into(),
            Action::Provider(action) => action.data(),
            Action::SetMethod(method, on) => format!("s:method:{method}:{}", if *on { "on" } else { "off" }),
            Action::Welcome => "s:welcome".into(),
            Action::AskWelcome(lang) => format!("s:welcome:{}", lang.code()),
            Action::ResetWelcome(lang) => format!("s:welcome:{}:reset", lang.code()),
            Action::SetNotice(notice, on) => {
                let which = match notice {
                    Notice::NewCustomers => "new",
                    Notice::Joins => "joins",
                };
                format!("s:notice:{which}:{}", if *on { "on" } else { "off" })
            }
            Action::Approve(id, rev) => format!("p:{}:ok", seen(*id, *rev)),
            Action::Reject(id, rev) => format!("p:{}:no", seen(*id, *rev)),
            Action::RejectPreset(id, rev, n) => format!("p:{}:r:{n}", seen(*id, *rev)),
            Action::RejectTyped(id, rev) => format!("p:{}:r:x", seen(*id, *rev)),
            Action::Review(id, rev) => format!("p:{}", seen(*id, *rev)),
            Action::SupportReply(id) => format!("sr:{id}"),
            Action::Customers(page) => format!("u:p:{page}"),
            Action::SearchCustomers => "u:s".into(),
            Action::Customer(id) => format!("u:{id}"),
            Action::BanCustomer(id, true) => format!("u:{id}:ban"),
            Action::BanCustomer(id, false) => format!("u:{id}:unban"),
            Action::GrantChoose(id) => format!("u:{id}:g"),
            Action::GrantChat(id, chat) => format!("u:{id}:g:{chat}"),
            Action::Grant(id, chat, months, token) => format!("u:{id}:g:{chat}:{months}:{token}"),
            Action::Plan => "pl".into(),
            Action::BuyPlan(months) => format!("pl:{months}"),
            Action::PayPlan(months, provider) => format!("pl:{months}:{}", provider.data_code()),
            Action::Stats(period) => format!("st:{}", period.code()),
            Action::StatsChart => "st:chart".into(),
            Action::ExportPayments(period) => format!("st:{}:csv", period.code()),
            Action::ExportSubscribers => "st:subs".into(),
        }
    }

    /// Reads callback data; `None` for anything this grammar does not produce.
    pub fn parse(data: &str) -> Option<Action> {
        let parts: Vec<&str> = data.split(':').collect();
        Some(match parts.as_slice() {
            ["m"] => Action::Menu,
            ["x"] => Action::Cancel,
            ["l"] => Action::Language,
            ["b"] => Action::Bot,
            ["b", "token"] => Action::AskToken,
            ["b", "new"] => Action::CreateBot,
            ["b", "reissue"] => Action::ReissueToken,
            ["b", "off"] => Action::Disconnect,
            ["b", "off!"] => Action::DisconnectConfirmed,
            ["c"] => Action::Channels,
            ["c", id] => Action::Channel(id.parse().ok()?),
            ["c", id, "link"] => Action::Link(id.parse().ok()?),
            ["c", id, "unlink"] => Action::Unlink(id.parse().ok()?),
            ["c", id, "unlink!"] => Action::UnlinkConfirmed(id.parse().ok()?),
            ["c", id, "price"] => Action::AskPrice(id.parse().ok()?),
            ["c", id, "period"] => Action::Periods(id.parse().ok()?),
            ["c", id, "period", months] => {
                let months: i32 = months.parse().ok()?;
                PERIODS.contains(&months).then_some(Action::SetPeriod(id.parse().ok()?, months))?
            }
            ["c", id, "cur"] => Action::Currencies(id.parse().ok()?),
            ["c", id, "stars"] => Action::AskStarsPrice(id.parse().ok()?),
            ["c", id, "stars", "off"] => Action::ClearStarsPrice(id.parse().ok()?),
            ["str", id] => match id.strip_suffix('!') {
                Some(id) => Action::RefundStars(id.parse().ok()?, true),
                None => Action::RefundStars(id.parse().ok()?, false),
            },
            ["sts", id] => match id.strip_suffix('!') {
                Some(id) => Action::StopRenewal(id.parse().ok()?, true),
                None => Action::StopRenewal(id.parse().ok()?, false),
            },
            ["c", id, "cur", code] => {
                Action::SetCurrency(id.parse().ok()?, CURRENCIES.into_iter().find(|c| c == code)?)
            }
            ["s"] => Action::Settings,
            ["s", "card"] => Action::AskCard,
            ["s", "holder"] => Action::AskHolder,
            ["s", "methods"] => Action::Methods,
            ["s", code @ ("pm" | "ck" | "uz"), rest @ ..] => {
                Action::Provider(super::providers::ProviderAction::parse(code, rest)?)
            }
            ["s", "method", method, state @ ("on" | "off")] => {
                Action::SetMethod(METHODS.into_iter().find(|m| m == method)?, *state == "on")
            }
            ["s", "welcome"] => Action::Welcome,
            ["s", "welcome", lang] => Action::AskWelcome(lang.parse().ok()?),
            ["s", "welcome", lang, "reset"] => Action::ResetWelcome(lang.parse().ok()?),
            ["s", "notice", which, state @ ("on" | "off")] => {
                let notice = match *which {
                    "new" => Notice::NewCustomers,
                    "joins" => Notice::Joins,
                    _ => return None,
                };
                Action::SetNotice(notice, *state == "on")
            }
            ["p", id] => {
                let (id, rev) = parse_seen(id)?;
                Action::Review(id, rev)
            }
            ["sr", id] => Action::SupportReply(id.parse().ok()?),
            ["u", "p", page] => Action::Customers(page.parse().ok().filter(|p: &i64| *p >= 0)?),
            ["u", "s"] => Action::SearchCustomers,
            ["u", id] => Action::Customer(id.parse().ok()?),
            ["u", id, "ban"] => Action::BanCustomer(id.parse().ok()?, true),
            ["u", id, "unban"] => Action::BanCustomer(id.parse().ok()?, false),
            ["u", id, "g"] => Action::GrantChoose(id.parse().ok()?),
            ["u", id, "g", chat] => Action::GrantChat(id.parse().ok()?, chat.parse().ok()?),
            ["u", id, "g", chat, months, token] if is_grant_token(token) => {
                let months: i32 = months.parse().ok()?;
                let (id, chat) = (id.parse().ok()?, chat.parse().ok()?);
                PERIODS.contains(&months).then_some(Action::Grant(id, chat, months, (*token).into()))?
            }
            ["pl"] => Action::Plan,
            ["pl", months] => {
                let months: i32 = months.parse().ok()?;
                [1, 6, 12].contains(&months).then_some(Action::BuyPlan(months))?
            }
            ["pl", months, code] => {
                let months: i32 = months.parse().ok()?;
                let provider = super::providers::Provider::from_data_code(code)?;
                [1, 6, 12].contains(&months).then_some(Action::PayPlan(months, provider))?
            }
            ["st", "chart"] => Action::StatsChart,
            ["st", "subs"] => Action::ExportSubscribers,
            ["st", period] => Action::Stats(Period::parse(period)?),
            ["st", period, "csv"] => Action::ExportPayments(Period::parse(period)?),
            ["p", id, "ok"] => {
                let (id, rev) = parse_seen(id)?;
                Action::Approve(id, rev)
            }
            ["p", id, "no"] => {
                let (id, rev) = parse_seen(id)?;
                Action::Reject(id, rev)
            }
            ["p", id, "r", "x"] => {
                let (id, rev) = parse_seen(id)?;
                Action::RejectTyped(id, rev)
            }
            ["p", id, "r", n] => {
                let n: u8 = n.parse().ok()?;
                let (id, rev) = parse_seen(id)?;
                (1..=REJECT_REASONS.len() as u8).contains(&n).then_some(Action::RejectPreset(id, rev, n))?
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests;
