//! OTP-style restart policy as a pure state machine: at most N restarts within a window,
//! exponential backoff between them, then give up for a while: a failed bot is tried again
//! after a pause that doubles with each give-up in a row, so a bot broken by something
//! passing (a bad deploy of its owner's chat, an outage) comes back on its own.

use std::{
    collections::VecDeque,
    time::{Duration, Instant},
};

use crate::config::RestartSettings;

/// What to do after a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestartDecision {
    /// Restart after this delay.
    RestartAfter(Duration),
    /// Too many restarts within the window: mark the bot failed, and revive it later.
    GiveUp {
        /// Restarts counted inside the window.
        restarts: u32,
        /// When to try the bot again.
        revive_after: Duration,
        /// Whether this starts a failure episode (the first give-up since the bot last ran
        /// well for a whole window): who must hear about it hears it then, once.
        first: bool,
    },
}

/// The recent restarts of one bot.
#[derive(Debug, Default, Clone)]
pub struct RestartHistory {
    recent: VecDeque<Instant>,
    give_ups: u32,
    revived_at: Option<Instant>,
}

impl RestartHistory {
    /// The bot was started again after a give-up: its restarts count afresh, its give-ups
    /// keep counting until it runs well for a whole window.
    pub fn revived(&mut self, now: Instant) {
        self.recent.clear();
        self.revived_at = Some(now);
    }
}

/// Intensity and backoff.
#[derive(Debug, Clone)]
pub struct RestartPolicy {
    settings: RestartSettings,
}

impl RestartPolicy {
    /// A policy from settings.
    pub fn new(settings: RestartSettings) -> Self {
        Self { settings }
    }

    /// Records a crash at `now` and decides.
    pub fn on_crash(&self, history: &mut RestartHistory, now: Instant) -> RestartDecision {
        let within = self.settings.within;
        while history.recent.front().is_some_and(|t| now.duration_since(*t) > within) {
            history.recent.pop_front();
        }
        if history.revived_at.is_some_and(|t| now.duration_since(t) > within) {
            history.give_ups = 0; // it ran well for a window after its last revival
        }
        let restarts = history.recent.len() as u32;
        if restarts >= self.settings.max_restarts {
            history.give_ups += 1;
            let factor = 1u32.checked_shl(history.give_ups - 1).unwrap_or(u32::MAX);
            let revive_after = self.settings.revive_after.saturating_mul(factor).min(self.settings.max_revive_after);
            return RestartDecision::GiveUp { restarts, revive_after, first: history.give_ups == 1 };
        }
        history.recent.push_back(now);
        let factor = 1u32.checked_shl(restarts).unwrap_or(u32::MAX);
        let delay = self.settings.backoff.saturating_mul(factor).min(self.settings.max_backoff);
        RestartDecision::RestartAfter(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RestartPolicy {
        RestartPolicy::new(RestartSettings {
            max_restarts: 3,
            within: Duration::from_secs(60),
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(3),
            revive_after: Duration::from_secs(100),
            max_revive_after: Duration::from_secs(300),
        })
    }

    fn give_up(p: &RestartPolicy, h: &mut RestartHistory, t0: Instant) -> RestartDecision {
        for i in 0..3 {
            assert!(matches!(p.on_crash(h, t0 + Duration::from_millis(i)), RestartDecision::RestartAfter(_)));
        }
        p.on_crash(h, t0 + Duration::from_millis(3))
    }

    #[test]
    fn backs_off_then_gives_up_within_the_window() {
        let (p, mut h, t0) = (policy(), RestartHistory::default(), Instant::now());
        assert_eq!(p.on_crash(&mut h, t0), RestartDecision::RestartAfter(Duration::from_secs(1)));
        assert_eq!(
            p.on_crash(&mut h, t0 + Duration::from_secs(1)),
            RestartDecision::RestartAfter(Duration::from_secs(2))
        );
        assert_eq!(
            p.on_crash(&mut h, t0 + Duration::from_secs(2)),
            RestartDecision::RestartAfter(Duration::from_secs(3))
        );
        let up = RestartDecision::GiveUp { restarts: 3, revive_after: Duration::from_secs(100), first: true };
        assert_eq!(p.on_crash(&mut h, t0 + Duration::from_secs(3)), up);
    }

    #[test]
    fn a_failed_bot_is_revived_later_each_time_it_fails_again_and_the_episode_is_announced_once() {
        let (p, mut h, t0) = (policy(), RestartHistory::default(), Instant::now());
        let secs = Duration::from_secs;
        assert_eq!(
            give_up(&p, &mut h, t0),
            RestartDecision::GiveUp { restarts: 3, revive_after: secs(100), first: true }
        );
        h.revived(t0 + secs(100));
        let again = give_up(&p, &mut h, t0 + secs(110));
        assert_eq!(again, RestartDecision::GiveUp { restarts: 3, revive_after: secs(200), first: false });
        h.revived(t0 + secs(310));
        let capped = give_up(&p, &mut h, t0 + secs(320));
        assert_eq!(capped, RestartDecision::GiveUp { restarts: 3, revive_after: secs(300), first: false });
    }

    #[test]
    fn a_revived_bot_that_runs_well_for_a_window_starts_a_new_episode_when_it_fails_again() {
        let (p, mut h, t0) = (policy(), RestartHistory::default(), Instant::now());
        assert!(matches!(give_up(&p, &mut h, t0), RestartDecision::GiveUp { first: true, .. }));
        h.revived(t0 + Duration::from_secs(100));
        let later = t0 + Duration::from_secs(1_000);
        let decision = give_up(&p, &mut h, later);
        assert_eq!(
            decision,
            RestartDecision::GiveUp { restarts: 3, revive_after: Duration::from_secs(100), first: true }
        );
    }

    #[test]
    fn old_crashes_leave_the_window() {
        let (p, mut h, t0) = (policy(), RestartHistory::default(), Instant::now());
        for i in 0..3 {
            assert!(matches!(p.on_crash(&mut h, t0 + Duration::from_secs(i)), RestartDecision::RestartAfter(_)));
        }
        let later = t0 + Duration::from_secs(200);
        assert_eq!(p.on_crash(&mut h, later), RestartDecision::RestartAfter(Duration::from_secs(1)));
    }
}
