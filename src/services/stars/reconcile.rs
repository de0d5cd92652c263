//! Reconciliation: Telegram's Star transactions of a bot against the Stars payments it
//! recorded. A charge Telegram took that was never granted, a grant Telegram never charged, or
//! a refund on one side only is reported to the owner and the moderators.

use diesel::{ExpressionMethods, JoinOnDsl, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::METHOD;
use crate::db::schema::{payments, user_admins, user_bots};

/// A bot that took Stars, with its owner's chat and language.
#[derive(Debug, Clone)]
pub struct Seller {
    /// `user_bots.id`.
    pub user_bot_id: i64,
    /// The bot's Telegram id.
    pub telegram_bot_id: i64,
    /// `@username` without the `@`.
    pub username: String,
    /// The owner's chat with the main bot.
    pub owner_chat: i64,
    /// The owner's language.
    pub owner_lang: String,
}

/// Every bot that ever took Stars.
pub async fn sellers(conn: &mut AsyncPgConnection) -> diesel::QueryResult<Vec<Seller>> {
    let rows: Vec<(i64, i64, String, i64, String)> = payments::table
        .inner_join(user_bots::table.on(user_bots::id.eq(payments::user_bot_id)))
        .inner_join(user_admins::table.on(user_admins::id.eq(user_bots::user_admin_id)))
        .filter(payments::payment_method.eq(METHOD))
        .select((
            user_bots::id,
            user_bots::telegram_bot_id,
            user_bots::bot_username,
            user_admins::telegram_id,
            user_admins::language,
        ))
        .distinct()
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(user_bot_id, telegram_bot_id, username, owner_chat, owner_lang)| Seller {
            user_bot_id,
            telegram_bot_id,
            username,
            owner_chat,
            owner_lang,
        })
        .collect())
}

/// Where Telegram's Star transactions and the recorded Stars payments disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reconciliation {
    /// Charged at Telegram, never granted here.
    pub unrecorded: Vec<String>,
    /// Recorded here, unknown to Telegram.
    pub unknown: Vec<String>,
    /// Refunded on one side only.
    pub refunds: Vec<String>,
}

impl Reconciliation {
    /// Whether both sides agree.
    pub fn is_clean(&self) -> bool {
        self.unrecorded.is_empty() && self.unknown.is_empty() && self.refunds.is_empty()
    }
}

/// Compares Telegram's transactions (`(charge, incoming)`) with the recorded Stars payments
/// (`(charge, refunded)`).
pub fn reconcile(telegram: &[(String, bool)], recorded: &[(String, bool)]) -> Reconciliation {
    use std::collections::{BTreeMap, BTreeSet};
    let charged: BTreeSet<&str> = telegram.iter().filter(|(_, incoming)| *incoming).map(|(c, _)| c.as_str()).collect();
    let refunded: BTreeSet<&str> =
        telegram.iter().filter(|(_, incoming)| !*incoming).map(|(c, _)| c.as_str()).collect();
    let ours: BTreeMap<&str, bool> = recorded.iter().map(|(c, r)| (c.as_str(), *r)).collect();
    let mut out = Reconciliation::default();
    for charge in &charged {
        match ours.get(charge) {
            None => out.unrecorded.push((*charge).to_owned()),
            Some(ours_refunded) if *ours_refunded != refunded.contains(charge) => {
                out.refunds.push((*charge).to_owned())
            }
            Some(_) => {}
        }
    }
    out.unknown = ours.keys().filter(|c| !charged.contains(*c)).map(|c| (*c).to_owned()).collect();
    out
}

/// Every Stars payment a bot recorded: its charge and whether it was refunded.
pub async fn recorded(conn: &mut AsyncPgConnection, user_bot_id: i64) -> diesel::QueryResult<Vec<(String, bool)>> {
    let rows: Vec<(Option<String>, String)> = payments::table
        .filter(payments::user_bot_id.eq(user_bot_id))
        .filter(payments::payment_method.eq(METHOD))
        .select((payments::provider_transaction, payments::status))
        .load(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|(charge, status)| Some((charge?, status == "refunded"))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconciliation_names_each_kind_of_disagreement() {
        let t = |c: &str, incoming: bool| (c.to_owned(), incoming);
        let r = |c: &str, refunded: bool| (c.to_owned(), refunded);
        let telegram = [t("a", true), t("b", true), t("b", false), t("c", true), t("d", true)];
        let recorded = [r("a", false), r("b", true), r("c", true), r("e", false)];
        let found = reconcile(&telegram, &recorded);
        assert_eq!(found.unrecorded, ["d"], "charged at Telegram, never granted");
        assert_eq!(found.unknown, ["e"], "granted here, unknown to Telegram");
        assert_eq!(found.refunds, ["c"], "refunded here only");
        assert!(reconcile(&telegram[..1], &recorded[..1]).is_clean());
        let refunded_there_only = reconcile(&[t("a", true), t("a", false)], &[r("a", false)]);
        assert_eq!(refunded_there_only.refunds, ["a"]);
    }
}
