//! Round trips of the main bot's callback data.

use super::*;

#[test]
fn every_action_round_trips_and_fits_telegram() {
    let big = i64::MAX;
    let all = [
        Action::Menu,
        Action::Cancel,
        Action::Language,
        Action::Bot,
        Action::AskToken,
        Action::CreateBot,
        Action::ReissueToken,
        Action::Disconnect,
        Action::DisconnectConfirmed,
        Action::Channels,
        Action::Channel(big),
        Action::Link(big),
        Action::Unlink(big),
        Action::UnlinkConfirmed(big),
        Action::AskPrice(big),
        Action::Periods(big),
        Action::SetPeriod(big, 0),
        Action::SetPeriod(big, 12),
        Action::Currencies(big),
        Action::SetCurrency(big, "USD"),
        Action::AskStarsPrice(big),
        Action::ClearStarsPrice(big),
        Action::RefundStars(big, false),
        Action::RefundStars(big, true),
        Action::StopRenewal(big, false),
        Action::StopRenewal(big, true),
        Action::SetMethod("stars", true),
        Action::Settings,
        Action::AskCard,
        Action::AskHolder,
        Action::Methods,
        Action::Provider(crate::handlers::main_bot::providers::ProviderAction {
            provider: crate::handlers::main_bot::providers::Provider::Click,
            op: crate::handlers::main_bot::providers::Op::Switch(true),
        }),
        Action::SetMethod("card", false),
        Action::SetMethod("card", true),
        Action::Welcome,
        Action::AskWelcome(Lang::Ru),
        Action::ResetWelcome(Lang::Uz),
        Action::SetNotice(Notice::Joins, false),
        Action::SetNotice(Notice::NewCustomers, true),
        Action::Approve(big, 1),
        Action::Approve(big, i32::MAX),
        Action::Reject(big, i32::MAX),
        Action::RejectPreset(big, i32::MAX, 3),
        Action::RejectTyped(big, i32::MAX),
        Action::Review(big, i32::MAX),
        Action::SupportReply(big),
        Action::Customers(big),
        Action::SearchCustomers,
        Action::Customer(big),
        Action::BanCustomer(big, true),
        Action::BanCustomer(big, false),
        Action::GrantChoose(big),
        Action::GrantChat(big, big),
        Action::Grant(big, big, 12, "AbCdE12345".into()),
        Action::Plan,
        Action::BuyPlan(6),
        Action::PayPlan(12, crate::handlers::main_bot::providers::Provider::Uzum),
        Action::Stats(Period::All),
        Action::StatsChart,
        Action::ExportPayments(Period::Week),
        Action::ExportSubscribers,
    ];
    for action in all {
        let data = action.data();
        assert!(data.len() <= 64, "{data} is too long for callback data");
        assert_eq!(Action::parse(&data), Some(action), "{data}");
    }
}

#[test]
fn foreign_or_malformed_data_is_refused() {
    for data in [
        "",
        "lang:uz",
        "c:abc",
        "c:1:period:3",
        "c:1:cur:BTC",
        "s:method:paypal",
        "s:welcome:de",
        "m:x",
        "p:1:r:0",
        "p:1:r:9",
        "s:notice:x:on",
        "pl:3",
        "st:9",
        "st:t:pdf",
        "p:1.1:ok",
        "p:1.x:ok",
        "u:1:g:2:1",
        "u:1:g:2:1:bad",
    ] {
        assert_eq!(Action::parse(data), None, "{data}");
    }
}
