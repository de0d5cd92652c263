//! A bot that crashed too often: marked `failed`, announced once per episode (to its owner,
//! with what to do, and to the moderators), and started again after a pause that grows with
//! each failure in a row, so `failed` never lasts forever.

use std::time::{Duration, Instant};

use actix::{AsyncContext, Context};

use super::{registry::BotState, Supervisor};
use crate::{
    actors::inbox::Inform,
    db::{self, bot_health, user_bots},
    events::PlatformEvent,
    i18n::Lang,
    state::AppState,
};

/// One give-up of a bot's restart policy.
pub(super) struct GiveUp {
    /// Restarts inside the window.
    pub restarts: u32,
    /// When the bot is tried again.
    pub revive_after: Duration,
    /// Whether this begins an episode (announced then, once).
    pub first: bool,
    /// The last crash's reason, free of secrets.
    pub message: String,
}

impl Supervisor {
    /// Marks the bot failed here and in the database, announces a new episode, and schedules
    /// its revival.
    pub(super) fn fail(&mut self, id: i64, generation: u64, give_up: GiveUp, ctx: &mut Context<Self>) {
        let GiveUp { restarts, revive_after, first, message } = give_up;
        tracing::error!(bot_id = id, restarts, ?revive_after, %message, "bot crashed too often; failed until revived");
        super::health_line::record(&self.app.cache, id, "failed", &message);
        self.registry.set_state(id, BotState::Failed, None);
        self.persist_health(id, BotState::Failed, Some(message));
        if first {
            let window = format!("{}s", self.app.settings.restart.within.as_secs());
            let retry = human(revive_after);
            let (app, events, inbox) = (self.app.clone(), self.events.clone(), self.inbox.clone());
            actix::spawn(async move {
                if let Err(e) = announce(&app, &events, &inbox, id, (restarts, window, retry)).await {
                    tracing::error!(bot_id = id, error = %e, "a failed bot was not announced");
                }
            });
        }
        ctx.run_later(revive_after, move |this, ctx| this.revive(id, generation, ctx));
    }

    /// Starts a failed bot again, unless something else (a new token, a stop, a revocation)
    /// happened to it meanwhile.
    fn revive(&mut self, id: i64, failed: u64, ctx: &mut Context<Self>) {
        if self.registry.route(id).map(|r| r.state) != Some(BotState::Failed) {
            return;
        }
        let Some(entry) = self.bots.get_mut(&id).filter(|e| e.generation == failed) else { return };
        entry.history.revived(Instant::now());
        let Some(generation) = self.respawn(id, ctx) else { return };
        tracing::warn!(bot_id = id, generation, "failed bot started again");
        let (db, now) = (self.app.db.clone(), self.app.clock.now());
        actix::spawn(async move {
            let cleared = async {
                let mut conn = db.get().await?;
                Ok::<_, db::DbError>(user_bots::clear_failed(&mut conn, id, now).await?)
            };
            if let Err(e) = cleared.await {
                tracing::warn!(bot_id = id, error = %e, "revived bot still recorded as failed");
            }
        });
    }
}

/// Tells the owner what happened and what to do, and the moderators which bot failed.
async fn announce(
    app: &AppState,
    events: &actix::Recipient<PlatformEvent>,
    inbox: &actix::Recipient<Inform>,
    id: i64,
    (restarts, window, retry): (u32, String, String),
) -> Result<(), db::DbError> {
    let target = {
        let mut conn = app.db.get().await?;
        bot_health::target(&mut conn, id).await?
    };
    let Some(target) = target else { return Ok(()) };
    let bot = format!("@{}", target.username);
    let lang: Lang = target.owner_language.parse().unwrap_or(Lang::Uz);
    let text = app.i18n.tr(lang, "owner-bot-failed", &[("bot", &bot), ("retry", &retry)]);
    inbox.do_send(Inform { chat_id: target.owner_telegram_id, text });
    events.do_send(PlatformEvent::BotFailed {
        telegram_bot_id: id,
        username: target.username,
        restarts,
        window,
        retry,
    });
    Ok(())
}

/// A pause as people say it: `90s`, `2 min`, `1 h`.
fn human(d: Duration) -> String {
    match d.as_secs() {
        0 => format!("{} ms", d.as_millis()),
        s if s < 120 => format!("{s} s"),
        s if s < 7_200 => format!("{} min", s / 60),
        s => format!("{} h", s / 3_600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_read_as_people_say_them() {
        assert_eq!(human(Duration::from_millis(300)), "300 ms");
        assert_eq!(human(Duration::from_secs(90)), "90 s");
        assert_eq!(human(Duration::from_secs(120)), "2 min");
        assert_eq!(human(Duration::from_secs(3_600)), "60 min");
        assert_eq!(human(Duration::from_secs(7_200)), "2 h");
    }
}
