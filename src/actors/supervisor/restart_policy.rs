//! OTP-style restart policy as a pure state machine: at most N restarts within a window,
//! exponential backoff between them, then give up.

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
    /// Too many restarts within the window: mark the bot failed.
    GiveUp {
        /// Restarts counted inside the window.
        restarts: u32,
    },
}

/// The recent restarts of one bot.
#[derive(Debug, Default, Clone)]
pub struct RestartHistory {
    recent: VecDeque<Instant>,
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
        while history.recent.front().is_some_and(|t| now.duration_since(*t) > self.settings.within) {
            history.recent.pop_front();
        }
        let restarts = history.recent.len() as u32;
        if restarts >= self.settings.max_restarts {
            return RestartDecision::GiveUp { restarts };
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
        })
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
        assert_eq!(p.on_crash(&mut h, t0 + Duration::from_secs(3)), RestartDecision::GiveUp { restarts: 3 });
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
