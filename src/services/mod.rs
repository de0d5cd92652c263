//! Business rules with no Telegram in them, reusable by a future web panel or API.

pub mod access;
pub mod bots;
pub mod channels;
pub mod checkout;
pub mod click;
pub mod input;
pub mod owners;
pub mod paid_orders;
pub mod payme;
pub mod payment_accounts;
pub mod plans;
pub mod purchases;
pub mod shops;
pub mod stars;
pub mod uzum;
