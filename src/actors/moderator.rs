//! `ModeratorActor`: delivers platform events to every moderator, in their language.
//!
//! Events live in the `outbox` table (written in the same transaction as the change they
//! announce, or by this actor when an actor raises one). Every `ALERT_FLUSH_EVERY` the actor
//! leases the undelivered ones and sends one message per moderator: a single event as is,
//! several as one digest (1,000 dead bots make one message, not 1,000). Delivered events
//! are marked sent; a transient Telegram failure gives them back for the next round.

use actix::{Actor, ActorFutureExt, AsyncContext, Context, Handler, Supervised, WrapFuture};
use teloxide_core::{requests::Requester, types::ChatId};

use crate::{
    db::{outbox, owners, DbError},
    events::PlatformEvent,
    i18n::{I18n, Lang},
    state::AppState,
    telegram::{errors::classify, BotClient},
};

/// Lines of detail a digest shows before "and N more".
const DIGEST_LINES: usize = 15;
/// Events delivered per round at most.
const BATCH: i64 = 200;

/// The alerting singleton.
pub struct ModeratorActor {
    app: AppState,
    main_bot: BotClient,
    draining: bool,
}

impl ModeratorActor {
    /// An actor sending through the main bot.
    pub fn new(app: AppState, main_bot: BotClient) -> Self {
        Self { app, main_bot, draining: false }
    }

    fn drain(&mut self, ctx: &mut Context<Self>) {
        if self.draining {
            return;
        }
        self.draining = true;
        let (app, bot) = (self.app.clone(), self.main_bot.clone());
        let round = async move { deliver_due(&app, &bot).await };
        ctx.spawn(round.into_actor(self).map(|result, this, _| {
            this.draining = false;
            if let Err(e) = result {
                tracing::warn!(error = %e, "alert delivery round failed; retrying next round");
            }
        }));
    }
}

/// One round: lease due events, send them, mark them sent (or give them back).
async fn deliver_due(app: &AppState, bot: &BotClient) -> Result<(), DbError> {
    // Leases are taken only while this process's holder lock is held (see `lease_holder`).
    let Some(holder) = app.leases.key() else {
        return Ok(());
    };
    let mut conn = app.db.get().await?;
    let lease = chrono::Duration::seconds(60);
    let batch = outbox::claim_due(&mut conn, app.clock.now(), (lease, holder), BATCH).await?;
    if batch.is_empty() {
        return Ok(());
    }
    let (ids, events): (Vec<i64>, Vec<PlatformEvent>) = batch.into_iter().unzip();
    let mut retry = false;
    for moderator in app.settings.moderator_ids.iter().copied() {
        let lang = match owners::find_by_telegram_id(&mut conn, moderator).await? {
            Some(owner) => owner.language.parse().unwrap_or(Lang::En),
            None => Lang::En,
        };
        let text = render(&app.i18n, lang, &events);
        if let Err(e) = bot.throttled().send_message(ChatId(moderator), text).await {
            let failure = classify(&e);
            tracing::warn!(moderator, ?failure, "alert not delivered");
            retry |= failure.is_transient();
        }
    }
    if retry {
        outbox::release(&mut conn, &ids).await?;
    } else {
        outbox::mark_sent(&mut conn, &ids, app.clock.now()).await?;
    }
    Ok(())
}

/// One event alone, or a digest of several.
pub fn render(i18n: &I18n, lang: Lang, events: &[PlatformEvent]) -> String {
    let lines: Vec<String> = events.iter().map(|e| render_one(i18n, lang, e)).collect();
    if let [only] = lines.as_slice() {
        return only.clone();
    }
    let mut details = lines.iter().take(DIGEST_LINES).cloned().collect::<Vec<_>>().join("\n");
    if lines.len() > DIGEST_LINES {
        details.push_str(&format!("\n… +{}", lines.len() - DIGEST_LINES));
    }
    i18n.tr(lang, "alert-digest", &[("count", &lines.len().to_string()), ("details", &details)])
}

fn render_one(i18n: &I18n, lang: Lang, event: &PlatformEvent) -> String {
    match event {
        PlatformEvent::OwnerRegistered { telegram_id, name } => {
            i18n.tr(lang, "alert-owner-registered", &[("name", name), ("id", &telegram_id.to_string())])
        }
        PlatformEvent::BotFailed { username, restarts, window, retry, .. } => i18n.tr(
            lang,
            "alert-bot-failed",
            &[
                ("bot", &format!("@{username}")),
                ("restarts", &restarts.to_string()),
                ("window", window),
                ("retry", retry),
            ],
        ),
        PlatformEvent::UpdateDropped { username, update_id, .. } => {
            i18n.tr(lang, "alert-update-dropped", &[("bot", &format!("@{username}")), ("id", &update_id.to_string())])
        }
        PlatformEvent::BotRevoked { username, .. } => {
            i18n.tr(lang, "alert-bot-revoked", &[("bot", &format!("@{username}"))])
        }
        PlatformEvent::BotDead { username, failures, .. } => {
            i18n.tr(lang, "alert-bot-dead", &[("bot", &format!("@{username}")), ("failures", &failures.to_string())])
        }
        PlatformEvent::BotRecovered { username, .. } => {
            i18n.tr(lang, "alert-bot-recovered", &[("bot", &format!("@{username}"))])
        }
        PlatformEvent::RemovalsBlocked { username, chat, cause, .. } => {
            let cause = i18n.tr(lang, &format!("removal-cause-{cause}"), &[]);
            i18n.tr(
                lang,
                "alert-removals-blocked",
                &[("bot", &format!("@{username}")), ("chat", chat), ("cause", &cause)],
            )
        }
        PlatformEvent::StarsMismatch { username, unrecorded, unknown, refunds, .. } => i18n.tr(
            lang,
            "alert-stars-mismatch",
            &[
                ("bot", &format!("@{username}")),
                ("unrecorded", &unrecorded.to_string()),
                ("unknown", &unknown.to_string()),
                ("refunds", &refunds.to_string()),
            ],
        ),
        PlatformEvent::PlanEnding { telegram_id, name, days, date } => i18n.tr(
            lang,
            "alert-plan-ending",
            &[("name", name), ("id", &telegram_id.to_string()), ("days", &days.to_string()), ("date", date)],
        ),
        PlatformEvent::PlanExpired { telegram_id, name } => {
            i18n.tr(lang, "alert-plan-expired", &[("name", name), ("id", &telegram_id.to_string())])
        }
    }
}

impl Actor for ModeratorActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.app.settings.alert_flush_every, |this, ctx| this.drain(ctx));
    }
}

impl Supervised for ModeratorActor {
    fn restarting(&mut self, _ctx: &mut Self::Context) {
        self.draining = false;
    }
}

/// An actor raised an event (a bot failed, an update was dropped): store it for delivery.
impl Handler<PlatformEvent> for ModeratorActor {
    type Result = ();

    fn handle(&mut self, event: PlatformEvent, _ctx: &mut Self::Context) {
        tracing::info!(?event, "platform event");
        let (db, now) = (self.app.db.clone(), self.app.clock.now());
        actix::spawn(async move {
            let stored = async {
                let mut conn = db.get().await?;
                outbox::enqueue(&mut conn, &event, now).await?;
                Ok::<_, DbError>(())
            };
            if let Err(e) = stored.await {
                tracing::error!(error = %e, ?event, "platform event could not be stored; moderators will not see it");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_storm_becomes_one_bounded_digest() {
        let i18n = I18n::load().unwrap();
        let events: Vec<_> = (0..1000)
            .map(|i| PlatformEvent::BotFailed {
                telegram_bot_id: i,
                username: format!("bot{i}"),
                restarts: 5,
                window: "60s".into(),
                retry: "2 min".into(),
            })
            .collect();
        let text = render(&i18n, Lang::En, &events);
        assert!(text.starts_with("📣 1000 platform alerts"), "{text}");
        assert!(text.contains("… +985"));
        assert!(text.len() < 4096);
        let one = render(&i18n, Lang::Ru, &events[..1]);
        assert!(one.contains("@bot0") && one.contains("упал"), "{one}");
    }
}
