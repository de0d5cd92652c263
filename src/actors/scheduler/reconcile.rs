//! The daily Telegram Stars reconciliation: for every seller bot that took Stars, its
//! `getStarTransactions` against its recorded payments. A disagreement (a charge never
//! granted, a grant never charged, a refund on one side only) is told to the owner in the
//! main bot and to the moderators; a bot Telegram does not answer for is tried at the next
//! run.

use super::{Jobs, Outcome};
use crate::{
    db::DbError,
    events::PlatformEvent,
    i18n::Lang,
    services::stars::{self, Reconciliation, Seller},
};

/// One run over every bot that took Stars.
pub(super) async fn run(jobs: &Jobs) -> Result<Outcome, DbError> {
    let sellers = {
        let mut conn = jobs.app.db.get().await?;
        stars::sellers(&mut conn).await?
    };
    let mut outcome = Outcome::default();
    for seller in sellers {
        outcome = outcome + check(jobs, &seller).await?;
    }
    Ok(outcome)
}

async fn check(jobs: &Jobs, seller: &Seller) -> Result<Outcome, DbError> {
    let Some(client) = jobs.platform.stored_client(seller.telegram_bot_id).await else {
        return Ok(Outcome { done: 0, retry: 1 });
    };
    let telegram = match crate::telegram::stars::transactions(client.raw()).await {
        Ok(moves) => moves.into_iter().map(|m| (m.charge_id, m.incoming)).collect::<Vec<_>>(),
        Err(e) => {
            tracing::warn!(bot = seller.telegram_bot_id, error = %e, "Star transactions not read; next run retries");
            return Ok(Outcome { done: 0, retry: 1 });
        }
    };
    let recorded = {
        let mut conn = jobs.app.db.get().await?;
        stars::recorded(&mut conn, seller.user_bot_id).await?
    };
    let found = stars::reconcile(&telegram, &recorded);
    if !found.is_clean() {
        report(jobs, seller, &found).await;
    }
    Ok(Outcome { done: 1, retry: 0 })
}

async fn report(jobs: &Jobs, seller: &Seller, found: &Reconciliation) {
    tracing::warn!(
        bot = seller.telegram_bot_id,
        unrecorded = ?found.unrecorded,
        unknown = ?found.unknown,
        refunds = ?found.refunds,
        "Telegram Stars do not match the recorded payments"
    );
    let lang: Lang = seller.owner_lang.parse().unwrap_or(Lang::Uz);
    let list = |charges: &[String]| if charges.is_empty() { "—".to_owned() } else { charges.join(", ") };
    let text = jobs.app.i18n.tr(
        lang,
        "owner-stars-mismatch",
        &[
            ("bot", &format!("@{}", seller.username)),
            ("unrecorded", &list(&found.unrecorded)),
            ("unknown", &list(&found.unknown)),
            ("refunds", &list(&found.refunds)),
        ],
    );
    if let Err(e) = jobs.tell_owner(seller.owner_chat, text).await {
        tracing::warn!(bot = seller.telegram_bot_id, ?e, "the owner was not told of the Stars mismatch");
    }
    jobs.events.do_send(PlatformEvent::StarsMismatch {
        telegram_bot_id: seller.telegram_bot_id,
        username: seller.username.clone(),
        unrecorded: found.unrecorded.len(),
        unknown: found.unknown.len(),
        refunds: found.refunds.len(),
    });
}
