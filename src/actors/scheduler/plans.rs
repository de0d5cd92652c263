//! Owners' paid plans: 3-day / 1-day warnings (owner and moderators, once each) and the
//! return to Free at expiry. The advert comes back in the owner's seller bot by itself:
//! it is shown whenever no paid plan runs at the moment of the `/start`.

use std::collections::HashSet;

use super::{
    notices::{days_left, lang_of},
    Jobs, Outcome,
};
use crate::{
    db::{
        lifecycle::Warning,
        plans::{self, EndedPlan, PlanNotice},
        DbError,
    },
    events::PlatformEvent,
};

/// Plans handled per statement.
const PAGE: i64 = 500;

/// Warnings for plans ending within 3 days / 1 day.
pub(super) async fn warn(jobs: &Jobs) -> Result<Outcome, DbError> {
    let now = jobs.app.clock.now();
    let mut outcome = Outcome::default();
    for warning in [Warning::OneDay, Warning::ThreeDays] {
        loop {
            let claimed = {
                let mut conn = jobs.app.db.get().await?;
                plans::claim_warnings(&mut conn, warning, now, PAGE).await?
            };
            let full = claimed.len() as i64 == PAGE;
            for plan in claimed {
                let (days, date) = (days_left(now, plan.expires_at), jobs.date(plan.expires_at));
                let lang = lang_of(Some(&plan.owner_language));
                let text = jobs.app.i18n.tr(
                    lang,
                    "plan-ending",
                    &[("days", &days.to_string()), ("date", &date), ("plan", &plan_name(jobs, &plan))],
                );
                tell(jobs, &plan, text).await;
                let (telegram_id, name) = (plan.owner_telegram_id, plan.owner_name.clone());
                jobs.events.do_send(PlatformEvent::PlanEnding { telegram_id, name, days, date });
                outcome.done += 1;
            }
            if !full {
                break;
            }
        }
    }
    Ok(outcome)
}

/// Ends the paid plans that ran out. An owner is told they are on Free (and the moderators
/// alerted) only when it is true: no other paid plan of theirs runs, and once per owner even
/// if several of their rows ended together.
pub(super) async fn expire(jobs: &Jobs) -> Result<Outcome, DbError> {
    let now = jobs.app.clock.now();
    let mut outcome = Outcome::default();
    let mut told = HashSet::new();
    loop {
        let ended = {
            let mut conn = jobs.app.db.get().await?;
            plans::expire_due(&mut conn, now, PAGE).await?
        };
        let full = ended.len() as i64 == PAGE;
        for EndedPlan { notice: plan, back_to_free } in ended {
            outcome.done += 1;
            if !back_to_free || !told.insert(plan.owner_telegram_id) {
                tracing::info!(
                    plan = plan.plan_id,
                    "plan row ended without a notice: the owner has a paid plan or was told"
                );
                continue;
            }
            let lang = lang_of(Some(&plan.owner_language));
            let text = jobs.app.i18n.tr(lang, "plan-expired", &[("plan", &plan_name(jobs, &plan))]);
            tell(jobs, &plan, text).await;
            let (telegram_id, name) = (plan.owner_telegram_id, plan.owner_name.clone());
            jobs.events.do_send(PlatformEvent::PlanExpired { telegram_id, name });
        }
        if !full {
            break;
        }
    }
    Ok(outcome)
}

/// "1 month" / "6 months" / "12 months" in the owner's language.
fn plan_name(jobs: &Jobs, plan: &PlanNotice) -> String {
    let months = match plan.plan.as_str() {
        "6month" => "6",
        "12month" => "12",
        _ => "1",
    };
    jobs.app.i18n.tr(lang_of(Some(&plan.owner_language)), "period-months", &[("count", months)])
}

/// Tells the owner; the claim is already stored, so a failed send is logged, not retried
/// (the moderators' alert still goes out through the outbox).
async fn tell(jobs: &Jobs, plan: &PlanNotice, text: String) {
    if let Err(failure) = jobs.tell_owner(plan.owner_telegram_id, text).await {
        tracing::warn!(owner = plan.owner_telegram_id, ?failure, "owner not told about their plan");
    }
}
