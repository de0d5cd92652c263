//! The owner's end users: a paged list and search, one user's card (payments and
//! subscriptions), ban / unban (a ban removes them from the chats they paid for), and
//! access granted by hand (a `manual` payment of 0, then the same access path), once per
//! drawn period screen: its buttons carry a token the grant stores under a unique key.

use super::{
    actions::{Action, PERIODS},
    review::{approval_again, grant_access},
    screens::{Screen, Target},
    typing::Step,
    Session,
};
use diesel_async::AsyncConnection;

use crate::{
    db::{
        bot_settings::OwnedBot,
        channels::{self, Channel},
        end_users::{self, EndUser},
        payments, subscriptions,
    },
    handlers::{
        common::{chat_label, date_text, display_name_of},
        tokens::new_grant_token,
        Button, Effect, HandlerError,
    },
    services::{
        input::format_amount,
        purchases::{self, ManualGrant},
    },
};

/// End users per page.
const PAGE: i64 = 8;

type Pressed = (Option<String>, Vec<Effect>);

/// A customers button.
pub async fn on_action(session: &Session<'_>, action: Action, target: Target) -> Result<Pressed, HandlerError> {
    let stale = || Ok((Some(session.t("stale-button")), Vec::new()));
    match action {
        Action::Customers(page) => list(session, page, None, target).await,
        Action::SearchCustomers => {
            if session.bot().await?.is_none() {
                return stale();
            }
            session.set_step(&Step::CustomerSearch).await?;
            Ok((None, vec![session.prompt(session.t("customers-search-ask")).show(target)]))
        }
        Action::Customer(id) => match owned(session, id).await? {
            Some(user) => Ok((None, vec![card(session, &user).await?.show(target)])),
            None => stale(),
        },
        Action::BanCustomer(id, ban) => {
            let Some(user) = owned(session, id).await? else { return stale() };
            let now = session.ctx.app.clock.now();
            let chats = {
                let mut conn = session.conn().await?;
                let (uid, bot_id) = (user.id, user.user_bot_id);
                conn.transaction(async |conn| {
                    end_users::set_banned(conn, uid, ban).await?;
                    if ban {
                        subscriptions::kick_all(conn, uid, now).await?;
                    }
                    channels::list_for_bot(conn, bot_id).await
                })
                .await?
            };
            // Removal from every chat of the bot, not just the rows ended now: it is harmless
            // for a non-member and makes a retried ban finish the job.
            let removals: Vec<Effect> = chats
                .iter()
                .filter(|_| ban)
                .map(|chat| Effect::RemoveMember { chat_id: chat.telegram_chat_id, user_id: user.telegram_id })
                .collect();
            let user = owned(session, id).await?.unwrap_or(user);
            let mut effects = vec![card(session, &user).await?.show(target)];
            if let (false, Some(bot)) = (removals.is_empty(), session.bot().await?) {
                effects.push(Effect::AsBot { telegram_bot_id: bot.telegram_bot_id, effects: removals });
            }
            let toast = session.t(if ban { "customer-banned" } else { "customer-unbanned" });
            Ok((Some(toast), effects))
        }
        Action::GrantChoose(id) => {
            let (Some(user), Some(bot)) = (owned(session, id).await?, session.bot().await?) else { return stale() };
            let chats = linked(session, &bot).await?;
            let mut rows: Vec<Vec<Button>> = chats
                .iter()
                .map(|c| {
                    vec![Button { text: chat_label(&c.kind, &c.title), data: Action::GrantChat(user.id, c.id).data() }]
                })
                .collect();
            rows.push(vec![session.button("button-back", Action::Customer(user.id))]);
            let text = session.ta("grant-choose-chat", &[("name", &user.full_name)]);
            Ok((None, vec![Screen { text, rows }.show(target)]))
        }
        Action::GrantChat(id, chat_id) => {
            let (Some(user), Some(chat)) = (owned(session, id).await?, owned_chat(session, chat_id).await?) else {
                return stale();
            };
            let token = new_grant_token();
            let periods: Vec<Button> = PERIODS
                .iter()
                .map(|&m| Button {
                    text: session.period_text(m),
                    data: Action::Grant(user.id, chat.id, m, token.clone()).data(),
                })
                .collect();
            let rows = vec![
                periods[..2].to_vec(),
                periods[2..].to_vec(),
                vec![session.button("button-back", Action::GrantChoose(user.id))],
            ];
            let text = session.ta(
                "grant-choose-period",
                &[("name", &user.full_name), ("title", &chat_label(&chat.kind, &chat.title))],
            );
            Ok((None, vec![Screen { text, rows }.show(target)]))
        }
        Action::Grant(id, chat_id, months, token) => {
            let (Some(user), Some(chat)) = (owned(session, id).await?, owned_chat(session, chat_id).await?) else {
                return stale();
            };
            if user.banned {
                return Ok((Some(session.t("customer-is-banned")), Vec::new()));
            }
            let granted = {
                let mut conn = session.conn().await?;
                let now = session.ctx.app.clock.now();
                let by = session.owner.telegram_id;
                purchases::grant_manually(&mut conn, by, (&user, &chat), (months, &token), now).await?
            };
            let approval = match granted {
                ManualGrant::Granted(approval) => approval,
                ManualGrant::AlreadyGranted(payment) => {
                    // What follows the grant (the link, or a renewal's notice) is planned
                    // again: a retry after a crash completes it, and the courier hands it
                    // over once.
                    let effects = match approval_again(session, &payment).await? {
                        Some(approval) => grant_access(session, &approval).await?,
                        None => Vec::new(),
                    };
                    return Ok((Some(session.t("grant-already-done")), effects));
                }
            };
            let notes = grant_access(session, &approval).await?;
            let mut effects = vec![card(session, &user).await?.with_notice(session.t("grant-done")).show(target)];
            effects.extend(notes);
            Ok((Some(session.t("grant-done")), effects))
        }
        _ => stale(),
    }
}

/// The end user, if they belong to the owner's connected bot.
async fn owned(session: &Session<'_>, id: i64) -> Result<Option<EndUser>, HandlerError> {
    let mut conn = session.conn().await?;
    Ok(end_users::find_for_owner(&mut conn, session.owner.id, id).await?)
}

/// A linked chat of the owner's bot.
async fn owned_chat(session: &Session<'_>, id: i64) -> Result<Option<Channel>, HandlerError> {
    let mut conn = session.conn().await?;
    Ok(channels::find_for_owner(&mut conn, session.owner.id, id).await?.filter(|c| c.link_status == "linked"))
}

async fn linked(session: &Session<'_>, bot: &OwnedBot) -> Result<Vec<Channel>, HandlerError> {
    let mut conn = session.conn().await?;
    Ok(channels::list_for_bot(&mut conn, bot.id).await?.into_iter().filter(|c| c.link_status == "linked").collect())
}

/// A page of end users (or search results).
pub async fn list(
    session: &Session<'_>,
    page: i64,
    search: Option<&str>,
    target: Target,
) -> Result<Pressed, HandlerError> {
    let Some(bot) = session.bot().await? else {
        return Ok((None, vec![session.menu_screen().await?.with_notice(session.t("connect-first")).show(target)]));
    };
    let (users, total) = {
        let mut conn = session.conn().await?;
        end_users::page_of_bot(&mut conn, bot.id, search, page * PAGE, PAGE).await?
    };
    let key = if search.is_some() { "customers-found" } else { "customers-title" };
    let text = session.ta(key, &[("bot", &format!("@{}", bot.bot_username)), ("count", &total.to_string())]);
    let mut rows: Vec<Vec<Button>> = users
        .iter()
        .map(|u| {
            let mark = if u.banned { "🚫 " } else { "" };
            let name = display_name_of(&u.full_name, u.username.as_deref(), u.telegram_id);
            vec![Button { text: format!("{mark}{name}"), data: Action::Customer(u.id).data() }]
        })
        .collect();
    let mut nav = Vec::new();
    if search.is_none() && page > 0 {
        nav.push(Button { text: "◀️".into(), data: Action::Customers(page - 1).data() });
    }
    if search.is_none() && (page + 1) * PAGE < total {
        nav.push(Button { text: "▶️".into(), data: Action::Customers(page + 1).data() });
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    rows.push(vec![
        session.button("button-search", Action::SearchCustomers),
        session.button("button-back", Action::Menu),
    ]);
    Ok((None, vec![Screen { text, rows }.show(target)]))
}

/// One end user's card: who, subscriptions, recent payments, actions.
async fn card(session: &Session<'_>, user: &EndUser) -> Result<Screen, HandlerError> {
    let (subs, pays, renewing) = {
        let mut conn = session.conn().await?;
        let subs = subscriptions::of_end_user(&mut conn, user.id).await?;
        let pays = payments::of_end_user(&mut conn, user.id, 5).await?;
        (subs, pays, crate::db::star_subscriptions::renewing_of(&mut conn, user.id).await?)
    };
    let tz = session.ctx.app.settings.timezone;
    let who = display_name_of(&user.full_name, user.username.as_deref(), user.telegram_id);
    let mut text =
        session.ta("customer-card", &[("name", &who), ("language", user.language.as_deref().unwrap_or("—"))]);
    if user.banned {
        text.push_str(&format!("\n{}", session.t("customer-banned-mark")));
    }
    text.push_str(&format!("\n\n{}", session.t("customer-subscriptions")));
    for sub in &subs {
        let chat = {
            let conn = session.conn().await?;
            channels::find(&conn, sub.channel_id).await?
        };
        let title = chat.map(|c| chat_label(&c.kind, &c.title)).unwrap_or_default();
        let until = sub.expires_at.map(|at| date_text(at, tz)).unwrap_or_else(|| session.t("period-lifetime"));
        let joined = if sub.joined_at.is_some() { " · 👤" } else { "" };
        text.push_str(&format!("\n• {title}: {} ({until}){joined}", sub.status));
    }
    if subs.is_empty() {
        text.push_str(&format!("\n{}", session.t("customer-none")));
    }
    text.push_str(&format!("\n\n{}", session.t("customer-payments")));
    for p in &pays {
        let date = date_text(p.created_at, tz);
        text.push_str(&format!(
            "\n• #{} {} {} {} — {} ({date})",
            p.id,
            format_amount(&p.amount),
            p.currency,
            p.payment_method,
            p.status
        ));
    }
    if pays.is_empty() {
        text.push_str(&format!("\n{}", session.t("customer-none")));
    }
    let ban = if user.banned {
        session.button("button-unban", Action::BanCustomer(user.id, false))
    } else {
        session.button("button-ban", Action::BanCustomer(user.id, true))
    };
    let mut rows = vec![vec![session.button("button-grant", Action::GrantChoose(user.id)), ban]];
    rows.extend(super::stars::card_rows(session, &pays, &renewing));
    rows.push(vec![session.button("button-back", Action::Customers(0))]);
    Ok(Screen { text, rows })
}
