use super::*;

fn base() -> HashMap<String, String> {
    [
        ("BOT_TOKEN", "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"),
        ("DATABASE_URL", "postgres://localhost/getolog"),
        ("REDIS_URL", "redis://127.0.0.1:6379"),
        ("MODERATOR_IDS", "1, 2"),
        ("SERVER_URL", "https://getolog.example"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .chain([("ENCRYPTION_KEY".to_owned(), fernet::Fernet::generate_key())])
    .collect()
}

#[test]
fn defaults_apply_when_optional_variables_are_absent() {
    let s = Settings::from_map(&base()).unwrap();
    assert_eq!(s.listen_addr.to_string(), "127.0.0.1:8443", "loopback: nginx fronts the node");
    assert_eq!(s.scheduler.expiry_every, Duration::from_secs(600));
    assert_eq!(s.scheduler.reminder_every, Duration::from_secs(6 * 3600));
    assert_eq!(s.scheduler.reconcile_every, Duration::from_secs(24 * 3600));
    assert_eq!(s.moderator_ids, vec![1, 2]);
    assert_eq!(s.timezone, chrono_tz::Asia::Tashkent);
    assert_eq!(s.webhook_url(42), "https://getolog.example/webhook/42");
}

#[test]
fn a_missing_variable_is_named() {
    let mut vars = base();
    vars.remove("DATABASE_URL");
    let err = Settings::from_map(&vars).unwrap_err();
    assert_eq!(err.to_string(), "configuration: DATABASE_URL is missing");
}

#[test]
fn a_malformed_variable_is_named_without_its_value() {
    for (var, bad) in [
        ("BOT_TOKEN", "not-a-token"),
        ("ENCRYPTION_KEY", "short"),
        ("MODERATOR_IDS", "12,abc"),
        ("SERVER_URL", "ftp://x"),
        ("LISTEN_ADDR", "localhost"),
        ("SCHEDULER_EXPIRY_EVERY", "10 minutes"),
        ("TIMEZONE", "Mars/Olympus"),
        ("PLAN_PRICE_1M", "-5"),
    ] {
        let mut vars = base();
        vars.insert(var.into(), bad.into());
        let err = Settings::from_map(&vars).unwrap_err();
        assert_eq!(err.var, var);
        let line = err.to_string();
        assert!(line.starts_with(&format!("configuration: {var} is invalid")), "{line}");
        if var == "BOT_TOKEN" || var == "ENCRYPTION_KEY" {
            assert!(!line.contains(bad), "secret echoed: {line}");
        }
    }
}

#[test]
fn durations_parse() {
    assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
    assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
    assert_eq!(parse_duration("6h"), Ok(Duration::from_secs(21_600)));
    assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
    assert!(parse_duration("0s").is_err());
    assert!(parse_duration("m").is_err());
    assert!(parse_duration("5w").is_err());
}

#[test]
fn the_platform_card_is_checked_like_an_owners_card_and_kept_as_digits() {
    for (given, stored) in [
        ("9860 1234 5678 9015", "9860123456789015"),
        (" 9860-1234-5678-9015 ", "9860123456789015"),
        ("6260 0000 0000 0000 004", "6260000000000000004"),
        ("", ""),
        ("   ", ""),
    ] {
        let mut vars = base();
        vars.insert("PLATFORM_CARD_NUMBER".into(), given.into());
        let s = Settings::from_map(&vars).unwrap_or_else(|e| panic!("{given:?}: {e}"));
        assert_eq!(s.platform_card_number, stored, "{given:?}");
    }
    assert_eq!(Settings::from_map(&base()).unwrap().platform_card_number, "", "unset stays allowed");
}

#[test]
fn a_bad_platform_card_stops_start_up_naming_the_variable() {
    for (bad, problem) in [
        ("8600 1234 1234 1234", "checksum"),
        ("8600 1234 1234 123a", "only digits"),
        ("4111 1111 1111 111", "16 or 19 digits"),
        ("41111111111111110", "16 or 19 digits"),
    ] {
        let mut vars = base();
        vars.insert("PLATFORM_CARD_NUMBER".into(), bad.into());
        let err = Settings::from_map(&vars).unwrap_err();
        assert_eq!(err.var, "PLATFORM_CARD_NUMBER");
        let line = err.to_string();
        assert!(line.starts_with("configuration: PLATFORM_CARD_NUMBER is invalid: "), "{line}");
        assert!(line.contains(problem) && !line.contains('\n'), "{bad:?}: {line}");
    }
}

#[test]
fn the_platforms_providers_are_read_checked_and_kept_encrypted() {
    assert!(Settings::from_map(&base()).unwrap().platform_account.is_none(), "none configured: card only");
    let mut vars = base();
    for (var, value) in [
        ("PLATFORM_PAYME_MERCHANT_ID", "5E730E8E0B852A417AA49CEB"),
        ("PLATFORM_PAYME_KEY", "Platform#Key&Production_1"),
        ("PLATFORM_CLICK_SERVICE_ID", "101"),
        ("PLATFORM_CLICK_MERCHANT_ID", "102"),
        ("PLATFORM_CLICK_MERCHANT_USER_ID", "103"),
        ("PLATFORM_CLICK_SECRET_KEY", "click-secret-key"),
    ] {
        vars.insert(var.into(), value.into());
    }
    let s = Settings::from_map(&vars).unwrap();
    let account = s.platform_account.expect("configured");
    assert_eq!(account.merchant, crate::db::payment_accounts::Merchant::Platform);
    assert_eq!(account.route_key, "platform");
    assert!(account.payme_ready() && account.click_ready() && !account.uzum_ready(), "Uzum is not configured");
    assert_eq!(account.payme_merchant_id.as_deref(), Some("5e730e8e0b852a417aa49ceb"));
    let stored = account.payme_key_in_use().unwrap();
    assert_ne!(stored, "Platform#Key&Production_1", "kept encrypted");
    assert_eq!(s.vault.decrypt_secret(stored).unwrap(), "Platform#Key&Production_1");
    assert_eq!(s.vault.decrypt_secret(account.click_secret.as_deref().unwrap()).unwrap(), "click-secret-key");
}

#[test]
fn a_platform_provider_half_set_or_malformed_stops_start_up_naming_the_variable() {
    let mut vars = base();
    vars.insert("PLATFORM_UZUM_SERVICE_ID".into(), "5".into());
    vars.insert("PLATFORM_UZUM_LOGIN".into(), "getolog".into());
    let err = Settings::from_map(&vars).unwrap_err();
    assert_eq!(err.var, "PLATFORM_UZUM_PASSWORD");
    vars.insert("PLATFORM_UZUM_PASSWORD".into(), "short".into());
    let err = Settings::from_map(&vars).unwrap_err();
    assert_eq!(err.var, "PLATFORM_UZUM_PASSWORD");
    assert!(!err.to_string().contains("short"), "the value is never shown: {err}");
    vars.insert("PLATFORM_UZUM_PASSWORD".into(), "long-enough-password".into());
    assert!(Settings::from_map(&vars).unwrap().platform_account.is_some_and(|a| a.uzum_ready()));
}

#[test]
fn the_database_pool_is_four_connections_per_worker_thread_unless_set() {
    let mut vars = base();
    vars.insert("WORKERS".into(), "3".into());
    assert_eq!(Settings::from_map(&vars).unwrap().database_pool_size, 12);
    vars.insert("DATABASE_POOL_SIZE".into(), "5".into());
    assert_eq!(Settings::from_map(&vars).unwrap().database_pool_size, 5);
    vars.insert("DATABASE_POOL_SIZE".into(), "0".into());
    assert!(Settings::from_map(&vars).is_err(), "0 connections is refused, not taken as the default");
}
