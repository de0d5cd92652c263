//! Per-chat lanes: updates of one chat are handled one at a time, in arrival order, while
//! different chats proceed concurrently. A lane exists only while someone is in it.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// The lanes of one bot.
#[derive(Default)]
pub struct ChatLanes {
    lanes: Mutex<HashMap<i64, Arc<AsyncMutex<()>>>>,
}

/// Being inside a chat's lane; leaving (drop) lets the next update of that chat in.
pub struct LaneGuard {
    lanes: Arc<ChatLanes>,
    chat_id: i64,
    guard: Option<OwnedMutexGuard<()>>,
}

impl ChatLanes {
    /// Waits for the chat's lane (FIFO: tokio's mutex is fair) and enters it.
    pub async fn enter(self: &Arc<Self>, chat_id: i64) -> LaneGuard {
        let lane = {
            let mut lanes = self.lanes.lock().unwrap_or_else(|e| e.into_inner());
            lanes.entry(chat_id).or_default().clone()
        };
        let guard = lane.lock_owned().await;
        LaneGuard { lanes: self.clone(), chat_id, guard: Some(guard) }
    }

    /// Number of chats with someone in or waiting for their lane.
    pub fn busy_chats(&self) -> usize {
        self.lanes.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Drop for LaneGuard {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut lanes = self.lanes.lanes.lock().unwrap_or_else(|e| e.into_inner());
        if lanes.get(&self.chat_id).is_some_and(|lane| Arc::strong_count(lane) == 1) {
            lanes.remove(&self.chat_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn one_chat_is_sequential_and_lanes_are_cleaned_up() {
        let lanes = Arc::new(ChatLanes::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = lanes.enter(1).await;
        let (l2, o2) = (lanes.clone(), order.clone());
        let second = tokio::spawn(async move {
            let _g = l2.enter(1).await;
            o2.lock().unwrap().push("second");
        });
        let other_chat = lanes.enter(2).await;
        drop(other_chat);
        tokio::time::sleep(Duration::from_millis(20)).await;
        order.lock().unwrap().push("first");
        drop(first);
        second.await.unwrap();
        assert_eq!(*order.lock().unwrap(), vec!["first", "second"]);
        assert_eq!(lanes.busy_chats(), 0);
    }
}
