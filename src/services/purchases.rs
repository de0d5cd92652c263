//! End users buying access: what a bot offers, receipts, the owner's review (one guarded
//! transaction per decision) and the subscription it starts or extends.

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::db::{
    bot_settings::OwnedBot,
    channels::{self, Channel},
    end_users::{self, EndUser},
    payments::{self, Decision, Payment, Receipt, Submitted},
    subscriptions::{self, Subscription},
};

/// What a seller bot can sell right now.
#[derive(Debug, Clone)]
pub struct Offer {
    /// Linked chats with a price (in their currency, or only in Stars: `None`), channel first.
    pub items: Vec<(Channel, Option<BigDecimal>)>,
    /// Card number and holder, when both are set.
    pub card: Option<(String, String)>,
    /// What keeps the bot from selling (empty = ready).
    pub missing: Vec<Missing>,
    /// Whether Stars are offered (for the chats priced in Stars).
    pub stars: bool,
}

impl Offer {
    /// A chat's price in Stars, when it is sold for Stars.
    pub fn stars_of(&self, chat: &Channel) -> Option<i32> {
        chat.price_stars.filter(|_| self.stars)
    }
}

/// A reason a bot cannot sell yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No channel or group is linked.
    NothingLinked,
    /// A linked chat has no price (its title).
    Price(String),
    /// No card number.
    Card,
    /// No card holder.
    Holder,
}

impl Missing {
    /// Fluent key of the owner's explanation.
    pub fn message_key(&self) -> &'static str {
        match self {
            Missing::NothingLinked => "missing-linked",
            Missing::Price(_) => "missing-price",
            Missing::Card => "missing-card",
            Missing::Holder => "missing-holder",
        }
    }
}

/// The bot's offer: linked, priced chats and the card to pay to.
pub async fn offer(conn: &mut AsyncPgConnection, bot: &OwnedBot) -> diesel::QueryResult<Offer> {
    Ok(offer_from(bot, &channels::list_for_bot(conn, bot.id).await?))
}

/// The offer of a bot whose chats are `chats`: the linked, priced ones, the card, and what is
/// missing before the shop can sell.
pub fn offer_from(bot: &OwnedBot, chats: &[Channel]) -> Offer {
    let linked: Vec<&Channel> = chats.iter().filter(|c| c.link_status == "linked").collect();
    let mut missing = Vec::new();
    if linked.is_empty() {
        missing.push(Missing::NothingLinked);
    }
    // A chat is sold once it has a price, or a price in Stars while Stars are offered.
    let stars = bot.methods().any(|m| m == super::stars::METHOD);
    let mut items = Vec::new();
    for chat in linked {
        match (chat.price.clone(), chat.price_stars.filter(|_| stars)) {
            (None, None) => missing.push(Missing::Price(chat.title.clone())),
            (price, _) => items.push((chat.clone(), price)),
        }
    }
    // The card's details are needed only while the card transfer is offered.
    let by_card = bot.methods().any(|m| m == "card");
    if by_card && bot.card_number.is_none() {
        missing.push(Missing::Card);
    }
    if by_card && bot.card_holder.is_none() {
        missing.push(Missing::Holder);
    }
    let card = bot.card_number.clone().zip(bot.card_holder.clone());
    Offer { items, card, missing, stars }
}

/// A receipt for a chat the bot sells: attached to the user's pending payment for it, or a
/// new pending payment at the chat's current terms. `None` when the chat is no longer sold.
pub async fn submit_receipt(
    conn: &mut AsyncPgConnection,
    user: &EndUser,
    channel_id: i64,
    receipt: &Receipt<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<(Payment, Submitted, Channel)>> {
    let Some(chat) = channels::find_of_bot(conn, user.user_bot_id, channel_id).await? else { return Ok(None) };
    let Some(price) = chat.price.clone().filter(|_| chat.link_status == "linked") else { return Ok(None) };
    let lifetime = subscriptions::active_of_end_user(conn, user.id)
        .await?
        .iter()
        .any(|s| s.channel_id == chat.id && s.expires_at.is_none());
    if lifetime {
        return Ok(None); // nothing left to buy
    }
    let (payment, submitted) = payments::submit_receipt(conn, user.id, &chat, &price, receipt, now).await?;
    Ok(Some((payment, submitted, chat)))
}

/// Why a review did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// Not a payment of this owner's bots.
    #[error("no such payment")]
    NotFound,
    /// The payer is banned: unban them first.
    #[error("the customer is banned")]
    Banned,
    /// Decided before (double click, second device, redelivery): its current state.
    #[error("already {}", .0.status)]
    AlreadyDecided(Box<Payment>),
    /// Still pending, but changed since the owner's copy was drawn (a newer receipt): that
    /// copy may not decide what it did not show.
    #[error("changed to revision {}", .0.revision)]
    Changed(Box<Payment>),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] diesel::result::Error),
}

/// An approved payment and what it gave.
#[derive(Debug, Clone)]
pub struct Approval {
    /// The payment, now approved.
    pub payment: Payment,
    /// The subscription it started or extended.
    pub subscription: Subscription,
    /// A renewal of an active subscription.
    pub extended: bool,
    /// The payer.
    pub end_user: EndUser,
    /// What was bought.
    pub channel: Channel,
}

/// Approves a pending payment of the owner's bot at the revision their copy showed (`seen`:
/// id and revision) and, in the same transaction, starts the subscription or extends the
/// active one from its end.
pub async fn approve(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    reviewer_telegram_id: i64,
    seen: (i64, i32),
    now: DateTime<Utc>,
) -> Result<Approval, ReviewError> {
    let payment_id = seen.0;
    conn.transaction(async |conn| {
        let current = payments::find_for_owner(conn, owner_id, payment_id).await?.ok_or(ReviewError::NotFound)?;
        if current.status == "pending" && end_users::find(conn, current.end_user_id).await?.is_some_and(|u| u.banned) {
            return Err(ReviewError::Banned);
        }
        let Some(payment) = payments::decide(conn, seen, Decision::Approve, reviewer_telegram_id, now).await? else {
            return Err(not_decided(conn, owner_id, payment_id).await);
        };
        let (subscription, extended) = subscriptions::grant_or_extend(
            conn,
            payment.end_user_id,
            payment.channel_id,
            payment.id,
            payment.duration_months,
            now,
        )
        .await?;
        let end_user = end_users::find(conn, payment.end_user_id).await?.ok_or(ReviewError::NotFound)?;
        let channel = channels::find(conn, payment.channel_id).await?.ok_or(ReviewError::NotFound)?;
        Ok(Approval { payment, subscription, extended, end_user, channel })
    })
    .await
}

/// Rejects a pending payment of the owner's bot, at the revision their copy showed (`seen`),
/// with a reason.
pub async fn reject(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    reviewer_telegram_id: i64,
    seen: (i64, i32),
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(Payment, EndUser), ReviewError> {
    conn.transaction(async |conn| {
        payments::find_for_owner(conn, owner_id, seen.0).await?.ok_or(ReviewError::NotFound)?;
        let decided = payments::decide(conn, seen, Decision::Reject(reason), reviewer_telegram_id, now).await?;
        let Some(payment) = decided else { return Err(not_decided(conn, owner_id, seen.0).await) };
        let end_user = end_users::find(conn, payment.end_user_id).await?.ok_or(ReviewError::NotFound)?;
        Ok((payment, end_user))
    })
    .await
}

/// Why a guarded decision changed nothing: the payment moved on (decided, or changed since
/// the copy was drawn), as it reads now.
async fn not_decided(conn: &mut AsyncPgConnection, owner_id: i64, payment_id: i64) -> ReviewError {
    match payments::find_for_owner(conn, owner_id, payment_id).await {
        Ok(Some(now)) if now.status == "pending" => ReviewError::Changed(Box::new(now)),
        Ok(Some(now)) => ReviewError::AlreadyDecided(Box::new(now)),
        Ok(None) => ReviewError::NotFound,
        Err(e) => e.into(),
    }
}

/// What a grant button did.
#[derive(Debug, Clone)]
pub enum ManualGrant {
    /// Access granted by this press.
    Granted(Box<Approval>),
    /// The button granted before (a double press, a redelivery): the payment it stored.
    AlreadyGranted(Box<Payment>),
}

/// The owner grants access by hand: an approved payment of amount 0 (method `manual`) and
/// the same subscription rules as a paid approval, in one transaction. The payment is stored
/// under the grant button's `token` (unique per user and chat), so a button grants once, and
/// a failed attempt leaves the token free for its retry.
pub async fn grant_manually(
    conn: &mut AsyncPgConnection,
    owner_telegram_id: i64,
    (end_user, channel): (&EndUser, &Channel),
    (months, token): (i32, &str),
    now: DateTime<Utc>,
) -> diesel::QueryResult<ManualGrant> {
    conn.transaction(async |conn| {
        let (user_id, by) = (end_user.id, owner_telegram_id);
        let Some(payment) = payments::insert_manual_grant(conn, user_id, channel, (months, token), by, now).await?
        else {
            let stored = payments::by_grant_token(conn, user_id, channel.id, token).await?;
            return stored.map(|p| ManualGrant::AlreadyGranted(Box::new(p))).ok_or(diesel::result::Error::NotFound);
        };
        let (subscription, extended) =
            subscriptions::grant_or_extend(conn, end_user.id, channel.id, payment.id, months, now).await?;
        let approval =
            Approval { payment, subscription, extended, end_user: end_user.clone(), channel: channel.clone() };
        Ok(ManualGrant::Granted(Box::new(approval)))
    })
    .await
}

/// An approved payment whose subscription is still active, not joined and without a stored
/// link: its invite never reached the user, so the approval should be completed.
pub async fn unfinished_approval(
    conn: &mut AsyncPgConnection,
    payment: &Payment,
) -> diesel::QueryResult<Option<Approval>> {
    let Some(subscription) = subscriptions::by_payment(conn, payment.id).await? else { return Ok(None) };
    if subscription.status != "active" || subscription.invite_link.is_some() || subscription.joined_at.is_some() {
        return Ok(None);
    }
    let Some(end_user) = end_users::find(conn, payment.end_user_id).await? else { return Ok(None) };
    let Some(channel) = channels::find(conn, payment.channel_id).await? else { return Ok(None) };
    Ok(Some(Approval { payment: payment.clone(), subscription, extended: false, end_user, channel }))
}

/// An approved payment that renewed a subscription the customer had joined (its notice is
/// the renewal message, not a link): the subscription it pays for now was started by
/// another payment of theirs.
pub async fn renewal_of(conn: &mut AsyncPgConnection, payment: &Payment) -> diesel::QueryResult<Option<Approval>> {
    let Some(subscription) = subscriptions::by_payment(conn, payment.id).await? else { return Ok(None) };
    if subscription.status != "active" || subscription.joined_at.is_none() {
        return Ok(None);
    }
    if !payments::started_by_another(conn, payment, subscription.id).await? {
        return Ok(None);
    }
    let Some(end_user) = end_users::find(conn, payment.end_user_id).await? else { return Ok(None) };
    let Some(channel) = channels::find(conn, payment.channel_id).await? else { return Ok(None) };
    Ok(Some(Approval { payment: payment.clone(), subscription, extended: true, end_user, channel }))
}

/// What an approved payment gave, as it reads now: the subscription it last paid for, and
/// whether it renewed one started by another payment. `None` once a later payment took the
/// subscription over (its own notices then speak for it).
pub async fn approval_of(conn: &mut AsyncPgConnection, payment: &Payment) -> diesel::QueryResult<Option<Approval>> {
    let Some(subscription) = subscriptions::by_payment(conn, payment.id).await? else { return Ok(None) };
    let extended = payments::started_by_another(conn, payment, subscription.id).await?;
    let Some(end_user) = end_users::find(conn, payment.end_user_id).await? else { return Ok(None) };
    let Some(channel) = channels::find(conn, payment.channel_id).await? else { return Ok(None) };
    Ok(Some(Approval { payment: payment.clone(), subscription, extended, end_user, channel }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bot(card: Option<&str>, holder: Option<&str>) -> OwnedBot {
        OwnedBot {
            id: 1,
            user_admin_id: 1,
            telegram_bot_id: 7,
            bot_username: "shop_bot".into(),
            is_active: true,
            health: "alive".into(),
            managed: false,
            welcome_message: serde_json::json!({}),
            payment_methods: vec![Some("card".into())],
            card_number: card.map(str::to_owned),
            card_holder: holder.map(str::to_owned),
        }
    }

    fn chat(id: i64, title: &str, price: Option<i64>, link_status: &str) -> Channel {
        Channel {
            id,
            user_bot_id: 1,
            telegram_chat_id: -100 - id,
            kind: "channel".into(),
            title: title.into(),
            price: price.map(BigDecimal::from),
            currency: "UZS".into(),
            duration_months: 1,
            link_status: link_status.into(),
            can_invite_users: true,
            can_restrict_members: true,
            price_stars: None,
        }
    }

    #[test]
    fn a_shop_sells_its_linked_priced_chats_once_it_has_a_card() {
        let chats = [chat(1, "VIP", Some(50_000), "linked"), chat(2, "Old", Some(10), "broken")];
        let offer = offer_from(&bot(Some("8600123412341239"), Some("Kamola")), &chats);
        assert!(offer.missing.is_empty());
        assert_eq!(offer.items.iter().map(|(c, _)| c.id).collect::<Vec<_>>(), [1], "a broken link is not sold");
        assert!(offer.card.is_some());
    }

    #[test]
    fn a_shop_paid_only_through_payme_needs_no_card() {
        let mut bot = bot(None, None);
        bot.payment_methods = vec![Some("payme".into())];
        let offer = offer_from(&bot, &[chat(1, "VIP", Some(50_000), "linked")]);
        assert!(offer.missing.is_empty(), "{:?}", offer.missing);
    }

    #[test]
    fn what_a_shop_lacks_is_listed_for_its_owner() {
        let offer = offer_from(&bot(None, None), &[chat(1, "VIP", None, "linked")]);
        assert_eq!(offer.missing, [Missing::Price("VIP".into()), Missing::Card, Missing::Holder]);
        assert_eq!(offer_from(&bot(None, None), &[]).missing[0], Missing::NothingLinked);
    }
}
