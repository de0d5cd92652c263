//! `ModeratorActor`: turns platform events into alerts for every moderator, in their
//! language, collapsing storms: events arriving within `ALERT_FLUSH_EVERY` go out as one
//! message per moderator (1,000 dead bots make one digest, not 1,000 messages).

use actix::{Actor, AsyncContext, Context, Handler, Supervised};
use teloxide_core::{requests::Requester, types::ChatId};

use crate::{
    db::owners,
    events::PlatformEvent,
    i18n::{I18n, Lang},
    state::AppState,
    telegram::{errors::classify, BotClient},
};

/// Lines of detail a digest shows before "and N more".
const DIGEST_LINES: usize = 15;

/// The alerting singleton.
pub struct ModeratorActor {
    app: AppState,
    main_bot: BotClient,
    pending: Vec<PlatformEvent>,
    flush_scheduled: bool,
}

impl ModeratorActor {
    /// An actor sending through the main bot.
    pub fn new(app: AppState, main_bot: BotClient) -> Self {
        Self { app, main_bot, pending: Vec::new(), flush_scheduled: false }
    }

    fn flush(&mut self) {
        self.flush_scheduled = false;
        let events = std::mem::take(&mut self.pending);
        if events.is_empty() {
            return;
        }
        let (app, bot) = (self.app.clone(), self.main_bot.clone());
        actix::spawn(async move {
            for moderator in app.settings.moderator_ids.iter().copied() {
                let lang = moderator_language(&app, moderator).await;
                let text = render(&app.i18n, lang, &events);
                if let Err(e) = bot.throttled().send_message(ChatId(moderator), text).await {
                    tracing::warn!(moderator, failure = ?classify(&e), "alert not delivered");
                }
            }
        });
    }
}

async fn moderator_language(app: &AppState, telegram_id: i64) -> Lang {
    let Ok(mut conn) = app.db.get().await else { return Lang::En };
    match owners::find_by_telegram_id(&mut conn, telegram_id).await {
        Ok(Some(owner)) => owner.language.parse().unwrap_or(Lang::En),
        _ => Lang::En,
    }
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
        PlatformEvent::BotFailed { username, restarts, window, .. } => i18n.tr(
            lang,
            "alert-bot-failed",
            &[("bot", &format!("@{username}")), ("restarts", &restarts.to_string()), ("window", window)],
        ),
        PlatformEvent::UpdateDropped { username, update_id, .. } => {
            i18n.tr(lang, "alert-update-dropped", &[("bot", &format!("@{username}")), ("id", &update_id.to_string())])
        }
    }
}

impl Actor for ModeratorActor {
    type Context = Context<Self>;
}

impl Supervised for ModeratorActor {
    fn restarting(&mut self, _ctx: &mut Self::Context) {
        self.flush_scheduled = false;
    }
}

impl Handler<PlatformEvent> for ModeratorActor {
    type Result = ();

    fn handle(&mut self, event: PlatformEvent, ctx: &mut Self::Context) {
        tracing::info!(?event, "platform event");
        self.pending.push(event);
        if !self.flush_scheduled {
            self.flush_scheduled = true;
            ctx.run_later(self.app.settings.alert_flush_every, |this, _| this.flush());
        }
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
