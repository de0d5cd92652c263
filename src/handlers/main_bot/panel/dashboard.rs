//! The moderators' dashboard: owners, bots by health, end users, payments and revenue, and
//! owners per plan, for today, 7 days, 30 days or all time.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::{
    actions::{PanelAction, Period},
    with_nav, Desk,
};
use crate::{
    db::platform_stats::{self, Count},
    handlers::{main_bot::screens::Screen, Button, HandlerError},
    services::input::format_amount,
};

/// When a period starts: midnight in the platform's time zone, `days - 1` days before today.
pub fn period_start(period: Period, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let days = period.days()?;
    let today = now.with_timezone(&tz).date_naive();
    let first = today - Duration::days(days - 1);
    let midnight = first.and_hms_opt(0, 0, 0)?;
    tz.from_local_datetime(&midnight).earliest().map(|at| at.with_timezone(&Utc))
}

fn counts(items: &[Count]) -> String {
    if items.is_empty() {
        return "0".into();
    }
    items.iter().map(|c| format!("{} {}", c.label, c.count)).collect::<Vec<_>>().join(", ")
}

/// The dashboard for a period.
pub async fn screen(desk: &Desk<'_>, period: Period) -> Result<Screen, HandlerError> {
    let app = desk.ctx.app;
    let now = app.clock.now();
    let figures = {
        let mut conn = desk.conn().await?;
        platform_stats::dashboard(&mut conn, period_start(period, now, app.settings.timezone), now).await?
    };
    let approved = if figures.approved.is_empty() {
        "0".to_owned()
    } else {
        figures
            .approved
            .iter()
            .map(|s| format!("{} {}", format_amount(&s.total), s.currency))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let args = [
        ("period", desk.t(period.label_key())),
        ("owners", figures.owners.to_string()),
        ("new_owners", figures.new_owners.to_string()),
        ("bots", counts(&figures.bots)),
        ("end_users", figures.end_users.to_string()),
        ("new_end_users", figures.new_end_users.to_string()),
        ("payments", counts(&figures.payments)),
        ("approved", approved),
        ("methods", crate::handlers::common::methods_text(&app.i18n, desk.lang, &figures.by_method)),
        ("plan_revenue", format!("{} UZS", format_amount(&figures.plan_revenue))),
        ("plan_methods", crate::handlers::common::methods_text(&app.i18n, desk.lang, &figures.plan_by_method)),
        ("plans", counts(&figures.plans)),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let periods = Period::ALL
        .into_iter()
        .map(|p| {
            let label = desk.t(p.label_key());
            let text = if p == period { format!("• {label}") } else { label };
            Button { text, data: PanelAction::Dashboard(p).data() }
        })
        .collect();
    Ok(with_nav(desk, desk.ta("dashboard", &args), vec![periods]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_at_midnight_in_the_platforms_time_zone() {
        let tz = chrono_tz::Asia::Tashkent; // UTC+5
                                            // 20:30 UTC on the 25th is 01:30 on the 26th in Tashkent.
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 20, 30, 0).unwrap();
        let today = period_start(Period::Today, now, tz).unwrap();
        assert_eq!(today, Utc.with_ymd_and_hms(2026, 11, 25, 19, 0, 0).unwrap());
        let week = period_start(Period::Week, now, tz).unwrap();
        assert_eq!(week, Utc.with_ymd_and_hms(2026, 11, 19, 19, 0, 0).unwrap());
        assert_eq!(period_start(Period::All, now, tz), None);
    }
}
