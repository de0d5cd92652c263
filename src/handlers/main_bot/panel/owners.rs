//! Owners in the moderator panel: a paged list, search by @username, name or Telegram id,
//! an owner's card, ban / unban, and a plan granted or extended by hand (once per drawn
//! grant screen: its buttons carry a token the grant stores under a unique key).

use super::{actions::PanelAction, with_nav, Desk};
use crate::{
    db::{owner_directory, owners::Owner, platform_payments::plan_months},
    handlers::{
        common::{date_text, display_name_of, period_text},
        main_bot::{
            screens::{Screen, Target},
            typing::Step,
        },
        tokens::new_grant_token,
        Button, Effect, HandlerError,
    },
    i18n::Lang,
    services::{input::format_amount, plans},
};

/// Owners per page.
const PAGE: i64 = 10;

type Pressed = (Option<String>, Vec<Effect>);

/// An owners button.
pub async fn on_action(desk: &Desk<'_>, action: PanelAction, target: Target) -> Result<Pressed, HandlerError> {
    match action {
        PanelAction::Owners(page) => Ok((None, vec![list(desk, page, None).await?.show(target)])),
        PanelAction::SearchOwners => {
            desk.set_step(&Step::OwnerSearch).await?;
            Ok((None, vec![Effect::Send { chat_id: desk.id, text: desk.t("owners-search-ask"), keyboard: None }]))
        }
        PanelAction::Owner(id) => Ok((None, vec![card(desk, id).await?.show(target)])),
        PanelAction::BanOwner(id, ban) => {
            let changed = {
                let mut conn = desk.conn().await?;
                owner_directory::set_banned(&mut conn, id, ban).await?
            };
            let Some(owner) = changed else { return Ok((Some(desk.t("stale-button")), Vec::new())) };
            tracing::info!(moderator = desk.id, owner = owner.telegram_id, ban, "owner ban changed");
            let key = if ban { "owner-banned-by-moderator" } else { "owner-unbanned-by-moderator" };
            let toast = desk.t(if ban { "owner-ban-done" } else { "owner-unban-done" });
            let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
            let told =
                Effect::Send { chat_id: owner.telegram_id, text: desk.ctx.app.i18n.tr(lang, key, &[]), keyboard: None };
            Ok((Some(toast), vec![card(desk, id).await?.show(target), told]))
        }
        PanelAction::GrantChoose(id) => {
            let token = new_grant_token();
            let rows = [1, 6, 12]
                .map(|months| {
                    let text = period_text(&desk.ctx.app.i18n, desk.lang, months);
                    vec![Button { text, data: PanelAction::Grant(id, months, token.clone()).data() }]
                })
                .into_iter()
                .chain([vec![desk.button("button-back", PanelAction::Owner(id))]])
                .collect();
            Ok((None, vec![Screen { text: desk.t("grant-plan-ask"), rows }.show(target)]))
        }
        PanelAction::Grant(id, months, token) => {
            let now = desk.ctx.app.clock.now();
            let granted = {
                let mut conn = desk.conn().await?;
                match crate::db::owners::find_by_id(&mut conn, id).await? {
                    Some(owner) => Some((owner, plans::grant(&mut conn, id, months, desk.id, &token, now).await?)),
                    None => None,
                }
            };
            let Some((owner, end)) = granted else { return Ok((Some(desk.t("stale-button")), Vec::new())) };
            // The owner's notice is keyed by the grant: a press again (a redelivery after a
            // crash, another device) plans it again, and the courier tells the owner once.
            let key = format!("plan-grant:{id}:{token}:owner");
            let Some(end) = end else {
                tracing::info!(
                    moderator = desk.id,
                    owner = owner.telegram_id,
                    "plan grant pressed again; granted once"
                );
                let until = {
                    let mut conn = desk.conn().await?;
                    plans::running_until(&mut conn, id, desk.ctx.app.clock.now()).await?
                };
                let mut effects = vec![card(desk, id).await?.show(target)];
                effects.extend(until.map(|end| grant_notice(desk, &owner, months, end).follow_up(key)));
                return Ok((Some(desk.t("grant-already-done")), effects));
            };
            let told = grant_notice(desk, &owner, months, end).follow_up(key);
            Ok((Some(desk.t("grant-plan-done")), vec![card(desk, id).await?.show(target), told]))
        }
        _ => Ok((Some(desk.t("stale-button")), Vec::new())),
    }
}

/// The owner's notice of a plan of `months` granted by hand, running until `end`.
fn grant_notice(desk: &Desk<'_>, owner: &Owner, months: i32, end: chrono::DateTime<chrono::Utc>) -> Effect {
    let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
    let i18n = &desk.ctx.app.i18n;
    let date = date_text(end, desk.ctx.app.settings.timezone);
    let args = [("plan", period_text(i18n, lang, months)), ("date", date)];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Effect::Send { chat_id: owner.telegram_id, text: i18n.tr(lang, "plan-granted", &args), keyboard: None }
}

/// The search the moderator typed: the first page of matches.
pub async fn search(desk: &Desk<'_>, text: &str) -> Result<Vec<Effect>, HandlerError> {
    desk.clear_step().await?;
    Ok(vec![list(desk, 0, Some(text)).await?.show(Target::New { chat_id: desk.id })])
}

fn line(owner: &Owner) -> String {
    let who = display_name_of(&owner.full_name, owner.username.as_deref(), owner.telegram_id);
    if owner.banned {
        format!("⛔ {who}")
    } else {
        who
    }
}

async fn list(desk: &Desk<'_>, page: i64, search: Option<&str>) -> Result<Screen, HandlerError> {
    let (owners, total) = {
        let mut conn = desk.conn().await?;
        owner_directory::page(&mut conn, search, page * PAGE, PAGE).await?
    };
    let mut rows: Vec<Vec<Button>> =
        owners.iter().map(|o| vec![Button { text: line(o), data: PanelAction::Owner(o.id).data() }]).collect();
    let mut paging = Vec::new();
    if page > 0 && search.is_none() {
        paging.push(Button { text: "⬅️".into(), data: PanelAction::Owners(page - 1).data() });
    }
    if (page + 1) * PAGE < total && search.is_none() {
        paging.push(Button { text: "➡️".into(), data: PanelAction::Owners(page + 1).data() });
    }
    if !paging.is_empty() {
        rows.push(paging);
    }
    rows.push(vec![desk.button("button-search", PanelAction::SearchOwners)]);
    let key = if search.is_some() { "owners-found" } else { "owners-title" };
    let text = desk.ta(key, &[("count", &total.to_string()), ("page", &(page + 1).to_string())]);
    Ok(with_nav(desk, text, rows))
}

async fn card(desk: &Desk<'_>, id: i64) -> Result<Screen, HandlerError> {
    let now = desk.ctx.app.clock.now();
    let found = {
        let mut conn = desk.conn().await?;
        owner_directory::card(&mut conn, id, now).await?
    };
    let Some(card) = found else { return list(desk, 0, None).await };
    let (i18n, tz) = (&desk.ctx.app.i18n, desk.ctx.app.settings.timezone);
    let bot = match &card.bot {
        Some((username, health)) => format!("@{username} ({health})"),
        None => desk.t("owner-card-no-bot"),
    };
    let plan = match &card.plan {
        Some((code, end)) => {
            let months = plan_months(code).unwrap_or(1);
            desk.ta(
                "plan-current-paid",
                &[("plan", &period_text(i18n, desk.lang, months)), ("date", &date_text(*end, tz))],
            )
        }
        None => desk.t("plan-current-free"),
    };
    let revenue =
        card.revenue.iter().map(|s| format!("{} {}", format_amount(&s.total), s.currency)).collect::<Vec<_>>();
    let recent = card
        .recent
        .iter()
        .map(|p| {
            format!(
                "#{} · {} {} · {} · {}",
                p.id,
                format_amount(&p.amount),
                p.currency,
                p.status,
                date_text(p.created_at, tz)
            )
        })
        .collect::<Vec<_>>();
    let args = [
        ("name", line(&card.owner)),
        ("bot", bot),
        ("plan", plan),
        ("count", card.end_users.to_string()),
        ("amount", if revenue.is_empty() { "0".into() } else { revenue.join(", ") }),
        ("details", if recent.is_empty() { "—".into() } else { recent.join("\n") }),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let ban = if card.owner.banned {
        desk.button("button-unban", PanelAction::BanOwner(id, false))
    } else {
        desk.button("button-ban", PanelAction::BanOwner(id, true))
    };
    let rows = vec![
        vec![ban],
        vec![desk.button("button-grant-plan", PanelAction::GrantChoose(id))],
        vec![desk.button("button-back", PanelAction::Owners(0))],
    ];
    Ok(with_nav(desk, desk.ta("owner-card", &args), rows))
}
