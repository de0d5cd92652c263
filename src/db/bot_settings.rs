//! An owner's view of their seller bot: identity, health and selling settings (card,
//! holder, payment methods, welcome texts), and the queries that change them.

use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::user_bots;

/// A seller bot as its owner manages it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_bots)]
pub struct OwnedBot {
    /// Internal id.
    pub id: i64,
    /// The owner (internal id).
    pub user_admin_id: i64,
    /// The bot's Telegram id.
    pub telegram_bot_id: i64,
    /// `@username` without the `@`.
    pub bot_username: String,
    /// Connected (false once disconnected; data kept).
    pub is_active: bool,
    /// alive / dead / revoked / failed.
    pub health: String,
    /// Created by the main bot: its token can be reissued from Getolog.
    pub managed: bool,
    /// Welcome text per language code (`{"uz": "..."}`); missing = locale default.
    pub welcome_message: serde_json::Value,
    /// Enabled payment methods (the column allows NULL elements; none are ever stored).
    pub payment_methods: Vec<Option<String>>,
    /// Card number (digits) for manual payment.
    pub card_number: Option<String>,
    /// Card holder's name.
    pub card_holder: Option<String>,
}

impl OwnedBot {
    /// Enabled payment method codes.
    pub fn methods(&self) -> impl Iterator<Item = &str> {
        self.payment_methods.iter().flatten().map(String::as_str)
    }

    /// The owner's own welcome text for a language, if set.
    pub fn welcome_for(&self, lang: &str) -> Option<&str> {
        self.welcome_message.get(lang).and_then(|v| v.as_str()).filter(|s| !s.is_empty())
    }
}

/// The owner's connected bot, if any.
pub async fn active_of_owner(conn: &mut AsyncPgConnection, owner_id: i64) -> diesel::QueryResult<Option<OwnedBot>> {
    user_bots::table
        .filter(user_bots::user_admin_id.eq(owner_id))
        .filter(user_bots::is_active.eq(true))
        .select(OwnedBot::as_select())
        .first(conn)
        .await
        .optional()
}

/// Any bot row with this Telegram id, connected or not, whoever owns it.
pub async fn by_telegram_id(
    conn: &mut AsyncPgConnection,
    telegram_bot_id: i64,
) -> diesel::QueryResult<Option<OwnedBot>> {
    user_bots::table
        .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
        .select(OwnedBot::as_select())
        .first(conn)
        .await
        .optional()
}

/// A change to a bot's selling settings.
#[derive(Debug, Clone)]
pub enum SettingChange {
    /// Card number digits.
    Card(String),
    /// Card holder name.
    Holder(String),
    /// Enabled payment methods.
    Methods(Vec<String>),
    /// All welcome texts (language code → text).
    Welcome(serde_json::Value),
}

/// Applies a settings change to the owner's active bot; none if they have no bot.
pub async fn change(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    change: SettingChange,
) -> diesel::QueryResult<Option<OwnedBot>> {
    let target = user_bots::table.filter(user_bots::user_admin_id.eq(owner_id)).filter(user_bots::is_active.eq(true));
    let update = diesel::update(target);
    match change {
        SettingChange::Card(digits) => {
            update.set(user_bots::card_number.eq(digits)).returning(OwnedBot::as_returning()).get_result(conn).await
        }
        SettingChange::Holder(name) => {
            update.set(user_bots::card_holder.eq(name)).returning(OwnedBot::as_returning()).get_result(conn).await
        }
        SettingChange::Methods(methods) => {
            update
                .set(user_bots::payment_methods.eq(methods.into_iter().map(Some).collect::<Vec<_>>()))
                .returning(OwnedBot::as_returning())
                .get_result(conn)
                .await
        }
        SettingChange::Welcome(texts) => {
            update.set(user_bots::welcome_message.eq(texts)).returning(OwnedBot::as_returning()).get_result(conn).await
        }
    }
    .optional()
}

/// The bot's row with its settings version (raised by the database on every change of the
/// row's settings or of its chats).
pub async fn find_versioned(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
) -> diesel::QueryResult<Option<(OwnedBot, i64)>> {
    user_bots::table
        .filter(user_bots::id.eq(user_bot_id))
        .select((OwnedBot::as_select(), user_bots::settings_version))
        .first(conn)
        .await
        .optional()
}

/// One bot by internal id.
pub async fn find(conn: &mut AsyncPgConnection, user_bot_id: i64) -> diesel::QueryResult<Option<OwnedBot>> {
    user_bots::table.filter(user_bots::id.eq(user_bot_id)).select(OwnedBot::as_select()).first(conn).await.optional()
}
