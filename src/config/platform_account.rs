//! The platform's own merchant accounts, where owners pay for plans: Payme, Click and Uzum,
//! each from its own variables (`PLATFORM_PAYME_*`, `PLATFORM_CLICK_*`, `PLATFORM_UZUM_*`).
//! A provider is offered only when all of its values are set; a provider half set stops
//! start-up, naming the first variable missing. Values are checked like an owner's, and the
//! keys are kept encrypted with the token vault, as an owner's are.

use super::{ConfigError, Env};
use crate::{
    crypto::TokenVault,
    db::payment_accounts::{Merchant, PaymentAccount, PLATFORM_ROUTE},
    services::payment_accounts::{self as check, CredentialError},
};

/// Payme's variables, in the order they are asked for.
const PAYME: [&str; 2] = ["PLATFORM_PAYME_MERCHANT_ID", "PLATFORM_PAYME_KEY"];
/// Click's variables.
const CLICK: [&str; 4] = [
    "PLATFORM_CLICK_SERVICE_ID",
    "PLATFORM_CLICK_MERCHANT_ID",
    "PLATFORM_CLICK_MERCHANT_USER_ID",
    "PLATFORM_CLICK_SECRET_KEY",
];
/// Uzum's variables.
const UZUM: [&str; 3] = ["PLATFORM_UZUM_SERVICE_ID", "PLATFORM_UZUM_LOGIN", "PLATFORM_UZUM_PASSWORD"];

/// The platform's account, or `None` when no provider is configured.
pub(super) fn from_env(env: &Env<'_>, vault: &TokenVault) -> Result<Option<PaymentAccount>, ConfigError> {
    let mut account = PaymentAccount {
        id: 0,
        merchant: Merchant::Platform,
        route_key: PLATFORM_ROUTE.to_owned(),
        payme_merchant_id: None,
        payme_key: None,
        payme_test_key: None,
        payme_test_mode: false,
        payme_enabled: false,
        click_service_id: None,
        click_merchant_id: None,
        click_merchant_user_id: None,
        click_secret: None,
        click_enabled: false,
        uzum_service_id: None,
        uzum_login: None,
        uzum_password: None,
        uzum_enabled: false,
    };
    if all_or_none(env, &PAYME)? {
        account.payme_merchant_id = Some(value(env, PAYME[0], check::payme_merchant_id)?);
        let key = value(env, PAYME[1], check::payme_key)?;
        // The sandbox checkout while the platform's cashbox is in test mode.
        account.payme_test_mode = env.parse_or("PLATFORM_PAYME_TEST_MODE", "false", parse_bool)?;
        if account.payme_test_mode {
            account.payme_test_key = Some(vault.encrypt_secret(&key));
        } else {
            account.payme_key = Some(vault.encrypt_secret(&key));
        }
        account.payme_enabled = true;
    }
    if all_or_none(env, &CLICK)? {
        account.click_service_id = Some(value(env, CLICK[0], check::click_id)?);
        account.click_merchant_id = Some(value(env, CLICK[1], check::click_id)?);
        account.click_merchant_user_id = Some(value(env, CLICK[2], check::click_id)?);
        account.click_secret = Some(vault.encrypt_secret(&value(env, CLICK[3], check::click_secret)?));
        account.click_enabled = true;
    }
    if all_or_none(env, &UZUM)? {
        account.uzum_service_id = Some(value(env, UZUM[0], check::click_id)?);
        account.uzum_login = Some(value(env, UZUM[1], check::uzum_login)?);
        account.uzum_password = Some(vault.encrypt_secret(&value(env, UZUM[2], check::uzum_password)?));
        account.uzum_enabled = true;
    }
    let any = account.payme_enabled || account.click_enabled || account.uzum_enabled;
    Ok(any.then_some(account))
}

/// Whether a provider's variables are all set; some but not all is an error naming the first
/// one missing.
fn all_or_none(env: &Env<'_>, vars: &[&'static str]) -> Result<bool, ConfigError> {
    let missing = vars.iter().find(|var| env.optional(var).is_none());
    match missing {
        None => Ok(true),
        Some(_) if vars.iter().all(|var| env.optional(var).is_none()) => Ok(false),
        Some(var) => Err(ConfigError { var, problem: "is missing (the provider's other values are set)".into() }),
    }
}

/// A value checked like an owner's.
fn value<T>(
    env: &Env<'_>,
    var: &'static str,
    check: impl FnOnce(&str) -> Result<T, CredentialError>,
) -> Result<T, ConfigError> {
    env.parse(var, |raw| check(raw).map_err(|e| e.to_string()))
}

fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}
