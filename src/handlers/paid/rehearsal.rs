//! A payment rehearsed on each new connection of the provider endpoints, in a transaction
//! that is always rolled back: a made-up owner, bot, chat, customer and order, then Payme's
//! check, create and perform and the notices they queue. Every statement of that path is
//! then prepared on the connection, with its generic plan built, before the first real
//! payment arrives. Without it, the first burst after a start (many customers paying at
//! once, on fresh connections) also pays for preparing and planning about thirty
//! statements per connection, and its calls are the slowest of all. Nothing is left behind
//! but a few sequence numbers.

use std::sync::atomic::{AtomicI64, Ordering};

use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::{
    db::{
        channels::{self, SeenChat},
        end_users,
        orders::{self, Terms},
        owners::{self, OwnerProfile},
        payment_accounts::Merchant,
        user_bots::{self, NewBot},
    },
    services::payme,
    state::AppState,
};

/// Made-up Telegram ids, negative (no real user or bot has one) and different for each
/// rehearsal: two connections rehearsing at once do not wait on each other's unique keys.
static NEXT_ID: AtomicI64 = AtomicI64::new(0);

/// Rehearses one payment on `conn` and rolls it back. A failure is only logged: the
/// statements are then prepared on first use.
pub async fn rehearse(app: &AppState, conn: &mut AsyncPgConnection) {
    let outcome = conn
        .transaction::<(), diesel::result::Error, _>(async |conn| {
            pay_once(app, conn).await?;
            Err(diesel::result::Error::RollbackTransaction)
        })
        .await;
    match outcome {
        Err(diesel::result::Error::RollbackTransaction) => {}
        Err(e) => tracing::debug!(error = %e, "payment rehearsal failed; statements prepare on first use"),
        Ok(()) => {}
    }
}

async fn pay_once(app: &AppState, conn: &mut AsyncPgConnection) -> diesel::QueryResult<()> {
    let now = app.clock.now();
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let id = -((i64::from(std::process::id()) << 20) + n + 1);
    let profile = OwnerProfile { telegram_id: id, username: None, full_name: "rehearsal", language: "en" };
    let (owner, _) = owners::register_or_update(conn, &profile, now).await?;
    let new_bot = NewBot {
        user_admin_id: owner.id,
        telegram_bot_id: id,
        encrypted_token: "",
        username: "rehearsal",
        webhook_secret: "",
        managed: false,
    };
    let bot = user_bots::insert(conn, &new_bot, now).await?;
    let seen = SeenChat {
        telegram_chat_id: id,
        kind: "channel",
        title: "",
        can_invite_users: true,
        can_restrict_members: true,
    };
    let chat = channels::record_seen(conn, bot.id, &seen, now).await?;
    channels::transition(conn, chat.id, &["unlinked"], "linked").await?;
    let customer = end_users::touch(conn, (owner.id, bot.id), id, None, "rehearsal", now).await?.user;
    let terms = Terms { amount: 100, currency: "UZS", months: 1, renews: false };
    let order = orders::open_for(conn, (customer.id, bot.id, chat.id), terms, now).await?;
    let (merchant, transaction) = (Merchant::Seller(bot.id), format!("rehearsal-{id}"));
    let refused = |e: payme::PaymeError| diesel::result::Error::QueryBuilderError(e.to_string().into());
    payme::check_perform(conn, merchant, 100, order.id).await.map_err(refused)?;
    payme::create(conn, merchant, (&transaction, payme::millis(now)), (100, order.id), now).await.map_err(refused)?;
    let performed = payme::perform(conn, merchant, &transaction, now).await?.map_err(refused)?;
    if let Some(grant) = &performed.granted {
        super::queue_paid(conn, app, grant, "Payme").await?;
    }
    Ok(())
}
