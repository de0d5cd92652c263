//! The actors: a `Supervisor` owning one `BotActor` per bot, and the singletons
//! `SchedulerActor` and `ModeratorActor`. Each actor's messages live beside it.

pub mod bot;
pub mod courier;
pub mod inbox;
pub mod moderator;
pub mod scheduler;
pub mod supervisor;
