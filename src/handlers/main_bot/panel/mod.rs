//! The moderator panel in the main bot: `/panel` for the ids in `MODERATOR_IDS` only (anyone
//! else sees the owners' screens and no hint of it), the dashboard, owners, payments, and the
//! review of owners' plan receipts. Every press checks again that the presser is a
//! moderator now, so a moderator removed from the list cannot act through old buttons.

pub(crate) mod actions;
mod dashboard;
mod owners;
mod payments;
mod reports;
mod review;
mod stars;

use teloxide_core::types::{CallbackQuery, Message};

use self::actions::{PanelAction, Period};
use super::{
    screens::{Screen, Target},
    typing::Step,
};
use crate::{
    db::{owners as owner_rows, DbConn, DbError},
    handlers::{common::display_name, Button, Effect, HandlerContext, HandlerError},
    i18n::Lang,
};

pub use self::{dashboard::period_start, review::receipt_copies};

/// One moderator's request.
pub(super) struct Desk<'a> {
    ctx: &'a HandlerContext<'a>,
    /// The moderator's Telegram id (also their chat).
    id: i64,
    /// Their name, for "decided by".
    name: String,
    lang: Lang,
}

impl Desk<'_> {
    fn t(&self, key: &str) -> String {
        self.ctx.app.i18n.tr(self.lang, key, &[])
    }

    fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.ctx.app.i18n.tr(self.lang, key, args)
    }

    fn button(&self, key: &str, action: PanelAction) -> Button {
        Button { text: self.t(key), data: action.data() }
    }

    async fn conn(&self) -> Result<DbConn<'_>, HandlerError> {
        Ok(self.ctx.app.db.get().await.map_err(DbError::from)?)
    }

    async fn set_step(&self, step: &Step) -> Result<(), HandlerError> {
        Ok(self.ctx.app.cache.save_step(self.ctx.platform.main_bot_id, self.id, step).await?)
    }

    async fn clear_step(&self) -> Result<(), HandlerError> {
        Ok(self.ctx.app.cache.clear_step(self.ctx.platform.main_bot_id, self.id).await?)
    }
}

/// Whether this Telegram user is a moderator right now.
pub fn is_moderator(ctx: &HandlerContext<'_>, telegram_id: i64) -> bool {
    ctx.app.settings.moderator_ids.contains(&telegram_id)
}

async fn desk<'a>(ctx: &'a HandlerContext<'a>, user: &teloxide_core::types::User) -> Result<Desk<'a>, HandlerError> {
    let id = user.id.0 as i64;
    let stored = {
        let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
        owner_rows::find_by_telegram_id(&mut conn, id).await?
    };
    // Moderators who never chose a language read English, like their alerts.
    let lang = stored.and_then(|o| o.language.parse().ok()).unwrap_or(Lang::En);
    Ok(Desk { ctx, id, name: display_name(user), lang })
}

/// `/panel` from a moderator: the dashboard for today.
pub async fn on_command(ctx: &HandlerContext<'_>, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let Some(from) = msg.from.as_ref() else { return Ok(Vec::new()) };
    let desk = desk(ctx, from).await?;
    desk.clear_step().await?;
    Ok(vec![dashboard::screen(&desk, Period::Today).await?.show(Target::New { chat_id: desk.id })])
}

/// A panel or review button from a moderator (the caller checked; anyone else gets the
/// answer to an unknown button).
pub async fn on_callback(
    ctx: &HandlerContext<'_>,
    query: &CallbackQuery,
    action: PanelAction,
) -> Result<Vec<Effect>, HandlerError> {
    let answer = |text: Option<String>| Effect::AnswerCallback { query_id: query.id.0.clone(), text };
    let desk = desk(ctx, &query.from).await?;
    let target = match query.message.as_ref() {
        Some(message) => Target::Edit { chat_id: message.chat().id.0, message_id: message.id().0 },
        None => Target::New { chat_id: desk.id },
    };
    let (toast, mut effects) = match action {
        PanelAction::Dashboard(period) => (None, vec![dashboard::screen(&desk, period).await?.show(target)]),
        PanelAction::Owners(..)
        | PanelAction::SearchOwners
        | PanelAction::Owner(_)
        | PanelAction::BanOwner(..)
        | PanelAction::GrantChoose(_)
        | PanelAction::Grant(..) => owners::on_action(&desk, action, target).await?,
        PanelAction::Payments(ledger, status, page) => {
            (None, vec![payments::screen(&desk, ledger, status, page).await?.show(target)])
        }
        PanelAction::StarsPayment(_) | PanelAction::StarsRefund(_) | PanelAction::StarsStop(_) => {
            stars::on_action(&desk, action, target).await?
        }
        PanelAction::Reports => (None, vec![reports::screen(&desk).show(target)]),
        PanelAction::ReportChart => (None, reports::chart(&desk).await?),
        PanelAction::ExportOwners | PanelAction::ExportPlanPayments => (None, reports::export(&desk, action).await?),
        action => review::on_review(&desk, action, query).await?,
    };
    effects.insert(0, answer(toast));
    Ok(effects)
}

/// Typed input for a moderator's step (owner search, a typed rejection reason).
pub async fn on_input(ctx: &HandlerContext<'_>, msg: &Message, step: Step) -> Result<Vec<Effect>, HandlerError> {
    let Some(from) = msg.from.as_ref() else { return Ok(Vec::new()) };
    let desk = desk(ctx, from).await?;
    let text = msg.text().unwrap_or_default().trim().to_owned();
    match step {
        Step::OwnerSearch => owners::search(&desk, &text).await,
        Step::PlanRejectReason { payment_id, revision } => {
            review::typed_reason(&desk, payment_id, revision, &text).await
        }
        _ => Ok(Vec::new()),
    }
}

/// The panel's navigation row.
fn nav(desk: &Desk<'_>) -> Vec<Button> {
    vec![
        desk.button("button-dashboard", PanelAction::Dashboard(Period::Today)),
        desk.button("button-owners", PanelAction::Owners(0)),
        desk.button("button-payments", PanelAction::Payments(actions::Ledger::EndUsers, None, 0)),
        desk.button("button-reports", PanelAction::Reports),
    ]
}

/// A screen with the navigation row under its own buttons.
fn with_nav(desk: &Desk<'_>, text: String, mut rows: Vec<Vec<Button>>) -> Screen {
    rows.push(nav(desk));
    Screen { text, rows }
}
