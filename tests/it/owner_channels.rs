//! Linking the seller bot's channel and group: the owner makes the bot an administrator,
//! Getolog checks its rights and asks the owner to confirm in the main bot; lost rights or
//! removal break the link; one channel and one group at most; unlinking.

use crate::support::{spawn_app, TestApp};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::channels,
    simulator::{ChatKind, Rights},
};

async fn status_of(app: &TestApp, chat_id: i64) -> String {
    channels::table
        .filter(channels::telegram_chat_id.eq(chat_id))
        .select(channels::link_status)
        .first(&mut app.db().await)
        .await
        .unwrap()
}

fn link_data(message: &getolog::simulator::SentMessage) -> String {
    message.buttons().concat().into_iter().map(|(_, d)| d).find(|d| d.ends_with(":link")).expect("a Link button")
}

#[actix_web::test]
async fn a_channel_and_a_group_are_linked_after_the_owner_confirms() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_201, "Kamola", "en").await;
    let shop = app.connect_bot(&owner, "kamola_shop_bot").await;

    let channel = app.sim().create_chat(ChatKind::Channel, "VIP club");
    app.sim().set_bot_rights(channel, shop.id, Some(Rights::getolog())).await.unwrap();
    let ask = app.wait_for_owner_message(&owner, "administrator of the channel «VIP club»").await;
    assert_eq!(status_of(&app, channel).await, "pending");
    let linked = app.press(app.main_id(), &owner, &link_data(&ask)).await;
    assert!(linked.text.unwrap().starts_with("✅ «VIP club» is linked."));
    assert_eq!(status_of(&app, channel).await, "linked");

    let group = app.sim().create_chat(ChatKind::Supergroup, "VIP chat");
    app.sim().set_bot_rights(group, shop.id, Some(Rights::getolog())).await.unwrap();
    let ask = app.wait_for_owner_message(&owner, "administrator of the group «VIP chat»").await;
    app.press(app.main_id(), &owner, &link_data(&ask)).await;
    assert_eq!(status_of(&app, group).await, "linked");

    app.say(app.main_id(), &owner, "/menu").await;
    let screen = app.press(app.main_id(), &owner, "c").await;
    let text = screen.text.unwrap();
    assert!(text.contains("📢 Channel «VIP club» — linked ✅"), "{text}");
    assert!(text.contains("👥 Group «VIP chat» — linked ✅"), "{text}");
}

#[actix_web::test]
async fn missing_rights_are_named_and_the_link_waits_for_them() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_202, "Dilshod", "en").await;
    let shop = app.connect_bot(&owner, "dilshod_bot").await;
    let channel = app.sim().create_chat(ChatKind::Channel, "Signals");
    app.sim().add_bot_member(channel, shop.id).await.unwrap();
    app.wait_for_owner_message(&owner, "was added to «Signals» as a plain member").await;
    let partial = Rights { can_restrict_members: false, ..Rights::getolog() };
    app.sim().set_bot_rights(channel, shop.id, Some(partial)).await.unwrap();
    let told = app.wait_for_owner_message(&owner, "missing these rights").await;
    let text = told.text.unwrap();
    assert!(text.contains("• Ban users") && !text.contains("Invite users"), "{text}");
    assert!(told.reply_markup.is_none(), "no Link button while rights are missing");
    assert_eq!(status_of(&app, channel).await, "unlinked");

    app.sim().set_bot_rights(channel, shop.id, Some(Rights::getolog())).await.unwrap();
    let ask = app.wait_for_owner_message(&owner, "administrator of the channel «Signals»").await;
    app.press(app.main_id(), &owner, &link_data(&ask)).await;
    assert_eq!(status_of(&app, channel).await, "linked");
}

#[actix_web::test]
async fn a_demoted_or_removed_bot_breaks_the_link_until_its_rights_return() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_203, "Malika", "en").await;
    let shop = app.connect_bot(&owner, "malika_bot").await;
    let channel = app.sim().create_chat(ChatKind::Channel, "Courses");
    app.sim().set_bot_rights(channel, shop.id, Some(Rights::getolog())).await.unwrap();
    let ask = app.wait_for_owner_message(&owner, "«Courses»").await;
    app.press(app.main_id(), &owner, &link_data(&ask)).await;

    let demoted = Rights { can_invite_users: false, ..Rights::getolog() };
    app.sim().set_bot_rights(channel, shop.id, Some(demoted)).await.unwrap();
    let told = app.wait_for_owner_message(&owner, "lost rights in «Courses»").await;
    assert!(told.text.unwrap().contains("• Invite users via link"));
    assert_eq!(status_of(&app, channel).await, "broken");

    app.sim().set_bot_rights(channel, shop.id, Some(Rights::getolog())).await.unwrap();
    app.wait_for_owner_message(&owner, "the link is restored").await;
    assert_eq!(status_of(&app, channel).await, "linked");

    app.sim().set_bot_rights(channel, shop.id, None).await.unwrap();
    app.wait_for_owner_message(&owner, "was removed from «Courses»").await;
    assert_eq!(status_of(&app, channel).await, "broken");
}

#[actix_web::test]
async fn one_channel_at_most_and_unlinking_frees_the_place() {
    let app = spawn_app().await;
    let owner = app.register_owner(7_000_000_204, "Bekzod", "en").await;
    let shop = app.connect_bot(&owner, "bekzod_bot").await;
    let first = app.sim().create_chat(ChatKind::Channel, "First");
    let second = app.sim().create_chat(ChatKind::Channel, "Second");
    app.sim().set_bot_rights(first, shop.id, Some(Rights::getolog())).await.unwrap();
    let ask = app.wait_for_owner_message(&owner, "«First»").await;
    app.press(app.main_id(), &owner, &link_data(&ask)).await;

    app.sim().set_bot_rights(second, shop.id, Some(Rights::getolog())).await.unwrap();
    let ask = app.wait_for_owner_message(&owner, "«Second»").await;
    let refused = app.press(app.main_id(), &owner, &link_data(&ask)).await;
    assert!(refused.text.unwrap().contains("You already sell «First»"));
    assert_eq!(status_of(&app, second).await, "pending");

    let first_id: i64 = channels::table
        .filter(channels::telegram_chat_id.eq(first))
        .select(channels::id)
        .first(&mut app.db().await)
        .await
        .unwrap();
    app.say(app.main_id(), &owner, "/menu").await;
    app.press(app.main_id(), &owner, "c").await;
    app.press(app.main_id(), &owner, &format!("c:{first_id}")).await;
    let confirm = app.press(app.main_id(), &owner, &format!("c:{first_id}:unlink")).await;
    assert!(confirm.text.unwrap().starts_with("Unlink «First»?"));
    let done = app.press(app.main_id(), &owner, &format!("c:{first_id}:unlink!")).await;
    assert!(done.text.unwrap().starts_with("«First» is unlinked."));
    assert_eq!(status_of(&app, first).await, "unlinked");

    // The place is free: the second channel's old Link button now works.
    let linked = app.press(app.main_id(), &owner, &link_data(&ask)).await;
    assert!(linked.text.unwrap().starts_with("✅ «Second» is linked."));
}
