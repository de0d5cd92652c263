//! The supervisor's side of webhook registration: a bot's target, one registration on
//! connect, the resumable bulk registration at start-up, and what a failure means.

use actix::{Addr, AsyncContext, Context};

use super::{
    webhooks::{self, WebhookTarget},
    BotSpec, MarkRevoked, Supervisor,
};
use crate::telegram::errors::TelegramFailure;

impl Supervisor {
    pub(super) fn webhook_target(&self, spec: &BotSpec, generation: u64) -> Option<WebhookTarget> {
        let url = url::Url::parse(&self.app.settings.webhook_url(spec.profile.telegram_id)).ok()?;
        Some(WebhookTarget {
            telegram_bot_id: spec.profile.telegram_id,
            generation,
            client: self.telegram.client(&spec.token),
            url,
            secret: spec.secret.to_string(),
            main: matches!(spec.profile.kind, crate::handlers::BotKind::Main),
        })
    }

    pub(super) fn register_webhooks(&self, targets: Vec<WebhookTarget>, ctx: &mut Context<Self>) {
        let concurrency = self.app.settings.webhook_concurrency;
        let me = ctx.address();
        actix::spawn(async move { report_failures(&me, webhooks::register_all(targets, concurrency).await) });
    }

    /// The main bot's webhook at once; the sellers' resumably, in the background.
    pub(super) fn register_at_startup(&self, mut targets: Vec<WebhookTarget>, ctx: &mut Context<Self>) {
        let main_id = self.app.settings.bot_token.bot_id();
        let main: Vec<WebhookTarget> = targets.extract_if(.., |t| t.telegram_bot_id == main_id).collect();
        self.register_webhooks(main, ctx);
        let (cache, concurrency, me) = (self.app.cache.clone(), self.app.settings.webhook_concurrency, ctx.address());
        let base = self.app.settings.webhook_url(0);
        actix::spawn(async move {
            report_failures(&me, webhooks::register_resumably(&cache, &base, targets, concurrency).await);
        });
    }
}

/// Logs failed registrations; a refused token stops its bot.
fn report_failures(me: &Addr<Supervisor>, failures: Vec<(i64, u64, TelegramFailure)>) {
    for (id, generation, failure) in failures {
        tracing::warn!(bot_id = id, ?failure, "setWebhook failed");
        if failure == TelegramFailure::TokenRevoked {
            me.do_send(MarkRevoked { telegram_bot_id: id, generation });
        }
    }
}
