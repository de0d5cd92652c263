//! Turns at an HTTP worker's database connections for the provider endpoints, where a call
//! that settles money (Payme's perform and cancel, Click's complete, Uzum's confirm and
//! reverse) goes before the questions (check, create, prepare, status) waiting with it.
//!
//! Under load every call waits for one of the worker's few connections. Served in arrival
//! order, a perform waits behind the checks of customers who have only just opened the
//! checkout; served first, the payments already under way finish (and their invites go
//! out) before new ones start. The total work is the same; what waits is the beginning of
//! a payment rather than its end. Turns are as many as the worker's pool has connections,
//! so a call holding a turn finds a connection at once.

use std::{collections::VecDeque, sync::Mutex};

use tokio::sync::oneshot;

/// What a call does, for its place in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// Settles money: a perform, a refund, a confirm or a complete.
    Settles,
    /// Asks or prepares: served after any waiting call that settles.
    Asks,
}

/// One worker's turns (see the module's doc).
pub struct GrantsFirst {
    state: Mutex<Queue>,
}

struct Queue {
    free: usize,
    settling: VecDeque<oneshot::Sender<Turn>>,
    asking: VecDeque<oneshot::Sender<Turn>>,
}

/// A turn at the worker's connections, given back (to the next waiting call) when dropped.
pub struct Turn {
    gate: std::sync::Arc<GrantsFirst>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.gate.give_back();
    }
}

impl GrantsFirst {
    /// `turns` turns, one per connection of the worker's pool.
    pub fn new(turns: usize) -> std::sync::Arc<Self> {
        let queue = Queue { free: turns.max(1), settling: VecDeque::new(), asking: VecDeque::new() };
        std::sync::Arc::new(Self { state: Mutex::new(queue) })
    }

    /// Waits for a turn: at once when one is free, else after every call that settles and
    /// was waiting, then in arrival order.
    pub async fn enter(self: &std::sync::Arc<Self>, call: Call) -> Turn {
        let waiting = {
            let mut queue = self.lock();
            if queue.free > 0 {
                queue.free -= 1;
                None
            } else {
                let (tx, rx) = oneshot::channel();
                match call {
                    Call::Settles => queue.settling.push_back(tx),
                    Call::Asks => queue.asking.push_back(tx),
                }
                Some(rx)
            }
        };
        match waiting {
            None => Turn { gate: self.clone() },
            // The sender is only dropped by handing a turn over, so this cannot fail; if it
            // ever did, entering again is the safe answer.
            Some(rx) => match rx.await {
                Ok(turn) => turn,
                Err(_) => Box::pin(self.enter(call)).await,
            },
        }
    }

    /// Hands a given-back turn to the next waiting call, or keeps it free. A waiter that
    /// gave up (its request was dropped) hands it on in turn: the unsent turn drops.
    fn give_back(self: &std::sync::Arc<Self>) {
        let next = {
            let mut queue = self.lock();
            match queue.settling.pop_front().or_else(|| queue.asking.pop_front()) {
                Some(next) => next,
                None => {
                    queue.free += 1;
                    return;
                }
            }
        };
        // On failure the returned turn is dropped here, outside the lock: it is given back again.
        let _ = next.send(Turn { gate: self.clone() });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Turns free right now.
    #[cfg(test)]
    fn free(&self) -> usize {
        self.lock().free
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_waiting_settlement_goes_before_questions_that_came_first() {
        let gate = GrantsFirst::new(1);
        let held = gate.enter(Call::Asks).await;
        let order = std::sync::Arc::new(Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for (name, call) in [("ask-1", Call::Asks), ("ask-2", Call::Asks), ("settle", Call::Settles)] {
            let (gate, order) = (gate.clone(), order.clone());
            waiting.push(tokio::spawn(async move {
                let _turn = gate.enter(call).await;
                order.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(name);
            }));
            tokio::task::yield_now().await;
        }
        drop(held);
        for task in waiting {
            task.await.unwrap_or_else(|e| panic!("waiter failed: {e}"));
        }
        let order = order.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        assert_eq!(order, ["settle", "ask-1", "ask-2"]);
        assert_eq!(gate.free(), 1, "every turn came back");
    }

    #[tokio::test]
    async fn a_caller_that_gives_up_waiting_loses_no_turn() {
        let gate = GrantsFirst::new(1);
        let held = gate.enter(Call::Asks).await;
        let gave_up = tokio::spawn({
            let gate = gate.clone();
            async move { gate.enter(Call::Settles).await }
        });
        tokio::task::yield_now().await;
        gave_up.abort();
        let _ = gave_up.await;
        drop(held);
        assert_eq!(gate.free(), 1, "the abandoned waiter's turn came back");
        let _again = gate.enter(Call::Asks).await;
        assert_eq!(gate.free(), 0);
    }
}
