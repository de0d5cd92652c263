//! Tests through teloxide-core's own `Bot`: every result must deserialize in its types, and
//! every update the simulator generates must parse as `teloxide_core::types::Update`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use serde_json::json;
use teloxide_core::prelude::*;
use teloxide_core::types::{
    AllowedUpdate, BotCommand, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, ParseMode, UpdateKind, UserId,
};
use teloxide_core::{ApiError as TgApiError, RequestError};

use crate::simulator::tests::{parse_update, Hook};
use crate::simulator::*;

pub(crate) fn tg_bot(sim: &Simulator, token: &str) -> Bot {
    let client = teloxide_core::net::default_reqwest_settings().build().unwrap();
    Bot::with_client(token, client).set_api_url(sim.api_url())
}

pub(crate) async fn with_hook(sim: &Simulator, bot: &Bot, allowed: Vec<AllowedUpdate>) -> Hook {
    let hook = Hook::start().await;
    bot.set_webhook(hook.url.parse().unwrap())
        .secret_token("tok_123".to_owned())
        .allowed_updates(allowed)
        .max_connections(10)
        .await
        .unwrap();
    let info = bot.get_webhook_info().await.unwrap();
    assert_eq!(info.url.unwrap().as_str(), hook.url);
    let _ = sim;
    hook
}

#[actix_web::test]
async fn private_chat_flow() {
    let sim = Simulator::start().await.unwrap();
    let sb = sim.create_bot("shop_bot");
    let bot = tg_bot(&sim, &sb.token);
    let me = bot.get_me().await.unwrap();
    assert_eq!(me.username(), "shop_bot");
    assert_eq!(me.id.0 as i64, sb.id);
    let hook = with_hook(&sim, &bot, vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery]).await;
    let w = sim.webhook(sb.id).unwrap();
    assert_eq!((w.secret_token.as_deref(), w.max_connections), (Some("tok_123"), 10));
    assert_eq!(w.allowed_updates, vec!["message", "callback_query"]);

    let user = sim.add_user(
        SimUser { id: 5_100_000_001, first_name: "Ali".into(), username: Some("ali".into()), language_code: None }
            .with_language("uz"),
    );
    let err = bot.send_message(ChatId(user.id), "hi").await.unwrap_err();
    assert!(matches!(err, RequestError::Api(_)), "{err:?}");

    sim.send_text(sb.id, &user, "/start").await.unwrap();
    let up = parse_update(&hook.last());
    let UpdateKind::Message(m) = up.kind else { panic!("not a message") };
    assert_eq!(m.text(), Some("/start"));
    assert_eq!(m.from.unwrap().language_code.as_deref(), Some("uz"));

    let kb = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Buy", "buy")]]);
    let sent = bot
        .send_message(ChatId(user.id), "<b>Welcome</b>, &lt;friend&gt;")
        .parse_mode(ParseMode::Html)
        .reply_markup(kb.clone())
        .await
        .unwrap();
    assert_eq!(sent.text(), Some("Welcome, <friend>"));
    let stored = sim.last_message(sb.id, user.id).unwrap();
    assert_eq!(stored.raw_text.as_deref(), Some("<b>Welcome</b>, &lt;friend&gt;"));
    assert_eq!(stored.buttons(), vec![vec![("Buy".to_owned(), "buy".to_owned())]]);

    let bad = bot.send_message(ChatId(user.id), "1 < 2").parse_mode(ParseMode::Html).await;
    assert!(matches!(bad, Err(RequestError::Api(TgApiError::CantParseEntities(_)))), "{bad:?}");

    sim.press_button(sb.id, &user, sent.id.0.into(), "buy").await.unwrap();
    let up = parse_update(&hook.last());
    let UpdateKind::CallbackQuery(q) = up.kind else { panic!("not a callback") };
    assert_eq!(q.data.as_deref(), Some("buy"));
    bot.answer_callback_query(q.id.clone()).text("ok").await.unwrap();
    assert!(bot.answer_callback_query(q.id).await.is_err());

    let edited = bot.edit_message_text(ChatId(user.id), sent.id, "Paid").reply_markup(kb).await.unwrap();
    assert_eq!(edited.text(), Some("Paid"));
    let same = bot.edit_message_text(ChatId(user.id), sent.id, "Paid").await;
    assert!(same.is_ok(), "dropping the keyboard is a change");
    let same = bot.edit_message_reply_markup(ChatId(user.id), sent.id).await;
    assert!(matches!(same, Err(RequestError::Api(TgApiError::MessageNotModified))), "{same:?}");

    bot.set_my_commands([BotCommand::new("start", "Start")]).await.unwrap();
    assert_eq!(bot.get_my_commands().await.unwrap()[0].command, "start");
    let chat = bot.get_chat(ChatId(user.id)).await.unwrap();
    assert!(chat.is_private());
    bot.delete_message(ChatId(user.id), sent.id).await.unwrap();
    assert!(sim.message(sb.id, user.id, sent.id.0.into()).unwrap().deleted);

    sim.inject_fault(FaultRule {
        bot_id: Some(sb.id),
        method: None,
        times: 1,
        fault: Fault::TooManyRequests { retry_after: 3 },
    });
    let r = bot.get_me().await;
    assert!(matches!(r, Err(RequestError::RetryAfter(s)) if s.seconds() == 3), "{r:?}");
    sim.revoke_token(sb.id);
    assert!(matches!(bot.get_me().await, Err(RequestError::Api(TgApiError::InvalidToken))));
}

#[actix_web::test]
async fn channel_links_requests_and_bans() {
    let sim = Simulator::start().await.unwrap();
    let sb = sim.create_bot("gate_bot");
    let bot = tg_bot(&sim, &sb.token);
    let all = vec![
        AllowedUpdate::Message,
        AllowedUpdate::MyChatMember,
        AllowedUpdate::ChatMember,
        AllowedUpdate::ChatJoinRequest,
    ];
    let hook = with_hook(&sim, &bot, all).await;
    let chan = sim.create_chat(ChatKind::Channel, "VIP");
    assert!(chan <= -1_000_000_000_000);
    assert!(bot.create_chat_invite_link(ChatId(chan)).await.is_err());
    let d = sim.set_bot_rights(chan, sb.id, Some(Rights { can_post_messages: true, ..Rights::default() })).await;
    assert_eq!(d.unwrap().unwrap().status, 200);
    let up = parse_update(&hook.last());
    assert!(matches!(up.kind, UpdateKind::MyChatMember(_)));
    let err = bot.create_chat_invite_link(ChatId(chan)).await.unwrap_err();
    assert!(err.to_string().contains("not enough rights"), "{err}");
    sim.set_bot_rights(chan, sb.id, Some(Rights::getolog())).await.unwrap();
    parse_update(&hook.last());

    let bad = bot.create_chat_invite_link(ChatId(chan)).creates_join_request(true).member_limit(1).await;
    assert!(bad.is_err());
    let link =
        bot.create_chat_invite_link(ChatId(chan)).name("order 1".to_owned()).creates_join_request(true).await.unwrap();
    assert!(link.invite_link.starts_with("https://t.me/+"));
    let user = sim.user(5_100_000_003, "Cy", None);
    let outcome = sim.use_invite_link(&user, &link.invite_link).await.unwrap();
    assert!(matches!(outcome, JoinOutcome::Requested(ref d) if d.len() == 1), "{outcome:?}");
    let up = parse_update(&hook.last());
    let UpdateKind::ChatJoinRequest(req) = up.kind else { panic!() };
    assert_eq!(req.from.id, UserId(user.id as u64));
    // The requester may be messaged while the request is pending.
    bot.send_message(ChatId(user.id), "Pay first").await.unwrap();
    bot.approve_chat_join_request(ChatId(chan), UserId(user.id as u64)).await.unwrap();
    assert_eq!(sim.member_status(chan, user.id), Some("member"));
    let e = bot.decline_chat_join_request(ChatId(chan), UserId(user.id as u64)).await.unwrap_err();
    assert!(e.to_string().contains("HIDE_REQUESTER_MISSING"), "{e}");
    assert!(sim.wait_for(Duration::from_secs(5), |s| !s.background_deliveries().is_empty()).await);
    let bg = sim.background_deliveries();
    assert_eq!((bg[0].kind.as_str(), bg[0].status), ("chat_member", 200));
    assert_eq!(bg[0].update["chat_member"]["via_join_request"], json!(true));
    let up = parse_update(&bg[0].update);
    let UpdateKind::ChatMember(cm) = up.kind else { panic!() };
    assert!(cm.invite_link.is_some() && cm.new_chat_member.is_present());

    let m = bot.get_chat_member(ChatId(chan), UserId(user.id as u64)).await.unwrap();
    assert!(m.is_member());
    let me = bot.get_chat_member(ChatId(chan), UserId(sb.id as u64)).await.unwrap();
    assert!(me.is_administrator());
    let info = bot.get_chat(ChatId(chan)).await.unwrap();
    assert!(info.is_channel());
    let rev = bot.revoke_chat_invite_link(ChatId(chan), link.invite_link.clone()).await.unwrap();
    assert!(rev.is_revoked);
    let late = sim.user(5_100_000_004, "Di", None);
    let o = sim.use_invite_link(&late, &link.invite_link).await.unwrap();
    assert!(matches!(o, JoinOutcome::Refused(_)));

    // unbanChatMember with only_if_banned leaves members alone; without it, removes them.
    bot.unban_chat_member(ChatId(chan), UserId(user.id as u64)).only_if_banned(true).await.unwrap();
    assert_eq!(sim.member_status(chan, user.id), Some("member"));
    bot.ban_chat_member(ChatId(chan), UserId(user.id as u64)).await.unwrap();
    assert_eq!(sim.member_status(chan, user.id), Some("kicked"));
    bot.unban_chat_member(ChatId(chan), UserId(user.id as u64)).only_if_banned(true).await.unwrap();
    assert_eq!(sim.member_status(chan, user.id), Some("left"));
    sim.add_member(chan, &late).unwrap();
    bot.unban_chat_member(ChatId(chan), UserId(late.id as u64)).await.unwrap();
    assert_eq!(sim.member_status(chan, late.id), Some("left"));

    // Direct join through a plain link with a member limit.
    let plain = bot.create_chat_invite_link(ChatId(chan)).member_limit(1).await.unwrap();
    let o = sim.use_invite_link(&late, &plain.invite_link).await.unwrap();
    assert!(matches!(o, JoinOutcome::Joined(ref d) if d.len() == 1 && d[0].status == 200), "{o:?}");
    let up = parse_update(&hook.last());
    assert!(matches!(up.kind, UpdateKind::ChatMember(_)));
    let third = sim.user(5_100_000_005, "Ed", None);
    assert!(matches!(sim.use_invite_link(&third, &plain.invite_link).await.unwrap(), JoinOutcome::Refused(_)));

    let post = bot.send_message(ChatId(chan), "Post").await.unwrap();
    assert_eq!(post.chat.id, ChatId(chan));
    sim.set_bot_rights(chan, sb.id, None).await.unwrap();
    parse_update(&hook.last());
    let kicked = bot.send_message(ChatId(chan), "x").await.unwrap_err();
    assert!(kicked.to_string().contains("kicked"), "{kicked}");
    let group = sim.create_chat(ChatKind::Group, "G");
    assert!(group < 0 && group > -1_000_000_000_000);
    assert!(bot.get_chat(ChatId(group)).await.is_err());
    let sg = sim.create_chat(ChatKind::Supergroup, "SG");
    sim.add_bot_member(sg, sb.id).await.unwrap();
    assert!(bot.get_chat(ChatId(sg)).await.unwrap().is_supergroup());
    assert!(bot.get_chat_member(ChatId(sg), UserId(sb.id as u64)).await.unwrap().is_member());
    assert!(bot.get_updates().await.is_err());
}
