//! The callback-data grammar of the moderator panel (`mp:…`) and of plan receipt reviews
//! (`pp:…`). Like the owners' grammar it only names records; every press checks again that
//! the presser is a moderator now. A review button names the payment's revision it showed,
//! and a grant button the token of its screen (see [`crate::handlers::tokens`]).

use crate::handlers::tokens::{is_grant_token, parse_seen, seen};

/// A dashboard period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Since midnight in the platform's time zone.
    Today,
    /// The last 7 days, today included.
    Week,
    /// The last 30 days, today included.
    Month,
    /// Everything.
    All,
}

impl Period {
    /// Every period, in button order.
    pub const ALL: [Period; 4] = [Period::Today, Period::Week, Period::Month, Period::All];

    /// Its code in callback data.
    pub fn code(self) -> &'static str {
        match self {
            Period::Today => "t",
            Period::Week => "7",
            Period::Month => "30",
            Period::All => "a",
        }
    }

    /// The period of a code.
    pub fn parse(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Days back from today (today = 1); `None` for all time.
    pub fn days(self) -> Option<i64> {
        match self {
            Period::Today => Some(1),
            Period::Week => Some(7),
            Period::Month => Some(30),
            Period::All => None,
        }
    }

    /// Fluent key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Period::Today => "period-today",
            Period::Week => "period-week",
            Period::Month => "period-month",
            Period::All => "period-all",
        }
    }
}

/// Whose payments a payments page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ledger {
    /// End users paying owners.
    EndUsers,
    /// Owners paying the platform for plans.
    Plans,
}

/// Payment statuses a page can filter on.
pub const STATUSES: [&str; 3] = ["pending", "approved", "rejected"];

/// Preset reasons to reject a plan receipt (Fluent keys; each owner reads them in their
/// language).
pub const PLAN_REJECT_REASONS: [&str; 3] =
    ["reject-reason-amount", "reject-reason-unreadable", "reject-reason-not-received"];

/// What a moderator's button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PanelAction {
    /// The dashboard for a period.
    Dashboard(Period),
    /// A page of owners.
    Owners(i64),
    /// Search owners by @username, name or Telegram id.
    SearchOwners,
    /// One owner's card.
    Owner(i64),
    /// Ban (`true`) or unban an owner.
    BanOwner(i64, bool),
    /// Grant a plan by hand: choose the length.
    GrantChoose(i64),
    /// Grant a plan of 1, 6 or 12 months by hand, once per token (drawn with the screen).
    Grant(i64, i32, String),
    /// A page of payments, optionally of one status.
    Payments(Ledger, Option<&'static str>, i64),
    /// Approve a plan payment at the revision the copy showed.
    PlanApprove(i64, i32),
    /// Ask for the reason to reject a plan payment (at a revision).
    PlanReject(i64, i32),
    /// Reject a plan payment (at a revision) with a preset reason (1-based).
    PlanRejectPreset(i64, i32, u8),
    /// Reject a plan payment (at a revision) with a typed reason.
    PlanRejectTyped(i64, i32),
    /// Back from the reasons to Approve / Reject (at a revision).
    PlanReview(i64, i32),
    /// A Telegram Stars payment (`payments.id`) with its refund and renewal buttons.
    StarsPayment(i64),
    /// Refund that Stars payment.
    StarsRefund(i64),
    /// Stop the renewal of the Stars subscription that payment belongs to.
    StarsStop(i64),
    /// Charts and exports.
    Reports,
    /// The chart of new owners and plan revenue over 30 days.
    ReportChart,
    /// Every owner as CSV.
    ExportOwners,
    /// Every plan payment as CSV.
    ExportPlanPayments,
}

impl PanelAction {
    /// The callback data.
    pub fn data(&self) -> String {
        match self {
            PanelAction::Dashboard(period) => format!("mp:d:{}", period.code()),
            PanelAction::Owners(page) => format!("mp:o:{page}"),
            PanelAction::SearchOwners => "mp:os".into(),
            PanelAction::Owner(id) => format!("mp:w:{id}"),
            PanelAction::BanOwner(id, true) => format!("mp:w:{id}:ban"),
            PanelAction::BanOwner(id, false) => format!("mp:w:{id}:unban"),
            PanelAction::GrantChoose(id) => format!("mp:w:{id}:g"),
            PanelAction::Grant(id, months, token) => format!("mp:w:{id}:g:{months}:{token}"),
            PanelAction::Payments(ledger, status, page) => {
                let which = if *ledger == Ledger::EndUsers { "e" } else { "p" };
                format!("mp:p:{which}:{}:{page}", status.unwrap_or("all"))
            }
            PanelAction::PlanApprove(id, rev) => format!("pp:{}:ok", seen(*id, *rev)),
            PanelAction::PlanReject(id, rev) => format!("pp:{}:no", seen(*id, *rev)),
            PanelAction::PlanRejectPreset(id, rev, n) => format!("pp:{}:r:{n}", seen(*id, *rev)),
            PanelAction::PlanRejectTyped(id, rev) => format!("pp:{}:r:x", seen(*id, *rev)),
            PanelAction::PlanReview(id, rev) => format!("pp:{}", seen(*id, *rev)),
            PanelAction::StarsPayment(id) => format!("mp:s:{id}"),
            PanelAction::StarsRefund(id) => format!("mp:s:{id}:refund"),
            PanelAction::StarsStop(id) => format!("mp:s:{id}:stop"),
            PanelAction::Reports => "mp:r".into(),
            PanelAction::ReportChart => "mp:r:chart".into(),
            PanelAction::ExportOwners => "mp:r:owners".into(),
            PanelAction::ExportPlanPayments => "mp:r:plans".into(),
        }
    }

    /// Reads callback data; `None` for anything this grammar does not produce.
    pub fn parse(data: &str) -> Option<PanelAction> {
        let parts: Vec<&str> = data.split(':').collect();
        let page = |p: &str| p.parse::<i64>().ok().filter(|p| *p >= 0);
        Some(match parts.as_slice() {
            ["mp", "d", period] => PanelAction::Dashboard(Period::parse(period)?),
            ["mp", "o", p] => PanelAction::Owners(page(p)?),
            ["mp", "os"] => PanelAction::SearchOwners,
            ["mp", "w", id] => PanelAction::Owner(id.parse().ok()?),
            ["mp", "w", id, "ban"] => PanelAction::BanOwner(id.parse().ok()?, true),
            ["mp", "w", id, "unban"] => PanelAction::BanOwner(id.parse().ok()?, false),
            ["mp", "w", id, "g"] => PanelAction::GrantChoose(id.parse().ok()?),
            ["mp", "w", id, "g", months, token] if is_grant_token(token) => {
                let months: i32 = months.parse().ok()?;
                [1, 6, 12].contains(&months).then_some(PanelAction::Grant(id.parse().ok()?, months, (*token).into()))?
            }
            ["mp", "p", which, status, p] => {
                let ledger = match *which {
                    "e" => Ledger::EndUsers,
                    "p" => Ledger::Plans,
                    _ => return None,
                };
                let status = match *status {
                    "all" => None,
                    s => Some(STATUSES.into_iter().find(|k| *k == s)?),
                };
                PanelAction::Payments(ledger, status, page(p)?)
            }
            ["mp", "s", id] => PanelAction::StarsPayment(id.parse().ok()?),
            ["mp", "s", id, "refund"] => PanelAction::StarsRefund(id.parse().ok()?),
            ["mp", "s", id, "stop"] => PanelAction::StarsStop(id.parse().ok()?),
            ["mp", "r"] => PanelAction::Reports,
            ["mp", "r", "chart"] => PanelAction::ReportChart,
            ["mp", "r", "owners"] => PanelAction::ExportOwners,
            ["mp", "r", "plans"] => PanelAction::ExportPlanPayments,
            ["pp", id] => {
                let (id, rev) = parse_seen(id)?;
                PanelAction::PlanReview(id, rev)
            }
            ["pp", id, "ok"] => {
                let (id, rev) = parse_seen(id)?;
                PanelAction::PlanApprove(id, rev)
            }
            ["pp", id, "no"] => {
                let (id, rev) = parse_seen(id)?;
                PanelAction::PlanReject(id, rev)
            }
            ["pp", id, "r", "x"] => {
                let (id, rev) = parse_seen(id)?;
                PanelAction::PlanRejectTyped(id, rev)
            }
            ["pp", id, "r", n] => {
                let n: u8 = n.parse().ok()?;
                let known = (1..=PLAN_REJECT_REASONS.len() as u8).contains(&n);
                let (id, rev) = parse_seen(id)?;
                known.then_some(PanelAction::PlanRejectPreset(id, rev, n))?
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_panel_action_round_trips_and_fits_telegram() {
        let big = i64::MAX;
        let mut all = vec![
            PanelAction::Owners(big),
            PanelAction::SearchOwners,
            PanelAction::Owner(big),
            PanelAction::BanOwner(big, true),
            PanelAction::BanOwner(big, false),
            PanelAction::GrantChoose(big),
            PanelAction::Grant(big, 12, "AbCdE12345".into()),
            PanelAction::Payments(Ledger::EndUsers, None, big),
            PanelAction::Payments(Ledger::Plans, Some("rejected"), big),
            PanelAction::PlanApprove(big, 1),
            PanelAction::PlanApprove(big, i32::MAX),
            PanelAction::PlanReject(big, i32::MAX),
            PanelAction::PlanRejectPreset(big, i32::MAX, 3),
            PanelAction::PlanRejectTyped(big, i32::MAX),
            PanelAction::PlanReview(big, i32::MAX),
            PanelAction::StarsPayment(big),
            PanelAction::StarsRefund(big),
            PanelAction::StarsStop(big),
            PanelAction::Reports,
            PanelAction::ReportChart,
            PanelAction::ExportOwners,
            PanelAction::ExportPlanPayments,
        ];
        all.extend(Period::ALL.map(PanelAction::Dashboard));
        for action in all {
            let data = action.data();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(PanelAction::parse(&data), Some(action), "{data}");
        }
        for junk in [
            "mp",
            "mp:d:9",
            "mp:w:x",
            "mp:w:1:g:3",
            "mp:w:1:g:1",
            "mp:w:1:g:1:short",
            "mp:p:x:all:0",
            "mp:p:e:paid:0",
            "pp:1:r:4",
            "pp:1.1:ok",
            "mp:o:-1",
            "mp:s:x",
            "mp:s:1:undo",
        ] {
            assert_eq!(PanelAction::parse(junk), None, "{junk}");
        }
    }
}
