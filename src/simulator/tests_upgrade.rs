//! A basic group upgraded to a supergroup, seen through teloxide-core: the migrate service
//! messages parse, and a call on the old id fails with `RequestError::MigrateToChatId`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use teloxide_core::prelude::*;
use teloxide_core::types::{AllowedUpdate, ChatId, UpdateKind, UserId};
use teloxide_core::RequestError;

use crate::simulator::tests::parse_update;
use crate::simulator::tests_teloxide::{tg_bot, with_hook};
use crate::simulator::*;

#[actix_web::test]
async fn an_upgraded_group_moves_everything_and_answers_the_old_id_with_its_new_one() {
    let sim = Simulator::start().await.unwrap();
    let sb = sim.create_bot("group_bot");
    let bot = tg_bot(&sim, &sb.token);
    let hook = with_hook(&sim, &bot, vec![AllowedUpdate::Message, AllowedUpdate::MyChatMember]).await;
    let group = sim.create_chat(ChatKind::Group, "Study group");
    sim.set_bot_rights(group, sb.id, Some(Rights::getolog())).await.unwrap();
    let member = sim.user(5_200_000_001, "Nilufar", None);
    sim.add_member(group, &member).unwrap();
    let link = bot.create_chat_invite_link(ChatId(group)).await.unwrap().invite_link;
    let before = hook.updates().len();

    let supergroup = sim.upgrade_to_supergroup(group).await.unwrap();
    assert!(supergroup <= -1_000_000_000_000, "{supergroup}");
    assert_eq!(sim.member_status(supergroup, member.id), Some("member"));
    assert_eq!(sim.member_status(group, member.id), None, "the old group is gone");

    let updates = hook.updates();
    assert_eq!(updates.len(), before + 2, "two service messages");
    let UpdateKind::Message(to) = parse_update(&updates[before]).kind else { panic!("not a message") };
    assert_eq!((to.chat.id, to.migrate_to_chat_id()), (ChatId(group), Some(&ChatId(supergroup))));
    let UpdateKind::Message(from) = parse_update(&updates[before + 1]).kind else { panic!("not a message") };
    assert_eq!((from.chat.id, from.migrate_from_chat_id()), (ChatId(supergroup), Some(&ChatId(group))));

    let err = bot.get_chat_member(ChatId(group), UserId(member.id as u64)).await.unwrap_err();
    assert!(matches!(err, RequestError::MigrateToChatId(to) if to == ChatId(supergroup)), "{err:?}");
    let err = bot.send_message(ChatId(group), "hi").await.unwrap_err();
    assert!(matches!(err, RequestError::MigrateToChatId(_)), "{err:?}");
    bot.ban_chat_member(ChatId(supergroup), UserId(member.id as u64)).await.unwrap(); // rights moved too
    assert_eq!(sim.invite_link(&link).map(|l| l.chat_id), Some(supergroup), "links lead to the supergroup");
    assert!(sim.upgrade_to_supergroup(supergroup).await.is_err(), "only a basic group can be upgraded");
}
