//! Seller bots: storing a connected bot (token encrypted, fresh webhook secret).

use diesel_async::AsyncPgConnection;

use crate::{
    crypto::{random_webhook_secret, BotToken, TokenVault},
    db::user_bots::{self, BotRecord, NewBot},
};

/// Stores `owner_id`'s bot with its token Fernet-encrypted and a new random webhook secret.
pub async fn store_connected_bot(
    conn: &mut AsyncPgConnection,
    vault: &TokenVault,
    owner_id: i64,
    token: &BotToken,
    username: &str,
) -> diesel::QueryResult<BotRecord> {
    let new = NewBot {
        user_admin_id: owner_id,
        telegram_bot_id: token.bot_id(),
        encrypted_token: &vault.encrypt(token),
        username,
        webhook_secret: &random_webhook_secret(),
    };
    user_bots::insert(conn, &new).await
}
