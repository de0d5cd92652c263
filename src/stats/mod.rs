//! Owner statistics exports: pure, Telegram-free building blocks that turn already
//! aggregated numbers into files the bot can send.
//!
//! - [`csv_export`]: RFC 4180 CSV (UTF-8, header row, CRLF) with every cell made inert
//!   against spreadsheet formula injection.
//! - [`chart`]: a fixed-size PNG chart of a daily series (bars on the left axis, a line on
//!   the right axis), drawn in process with a shipped font so labels may be uz/en/ru.
//!
//! Neither module touches the database, the clock or the network; callers pass in the
//! rows and localized labels.

pub mod chart;
pub mod csv_export;
