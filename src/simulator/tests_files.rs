//! File ownership and uploads through teloxide-core.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use teloxide_core::prelude::*;
use teloxide_core::types::{ChatId, FileId, InputFile, UpdateKind};

use crate::simulator::tests::parse_update;
use crate::simulator::tests_teloxide::{tg_bot, with_hook};
use crate::simulator::*;

#[actix_web::test]
async fn files_belong_to_their_bot() {
    let sim = Simulator::start().await.unwrap();
    let (sa, sb2) = (sim.create_bot("a_bot"), sim.create_bot("b_bot"));
    let (a, b) = (tg_bot(&sim, &sa.token), tg_bot(&sim, &sb2.token));
    let hook = with_hook(&sim, &a, vec![]).await;
    let _hook_b = with_hook(&sim, &b, vec![]).await;
    let user = sim.user(5_100_000_002, "Bo", None);
    sim.send_photo(sa.id, &user, Some("receipt")).await.unwrap();
    let up = parse_update(&hook.last());
    let UpdateKind::Message(m) = up.kind else { panic!() };
    let photo = m.photo().unwrap().last().unwrap().file.id.clone();
    assert_eq!(m.caption(), Some("receipt"));
    let f = a.get_file(photo.clone()).await.unwrap();
    assert!(!f.path.is_empty());
    assert!(b.get_file(photo.clone()).await.is_err());
    sim.send_text(sb2.id, &user, "hi").await.unwrap();
    assert!(b.send_photo(ChatId(user.id), InputFile::file_id(photo.clone())).await.is_err());
    // Uploading bytes (multipart) works and yields a file of the uploader.
    let sent =
        b.send_photo(ChatId(user.id), InputFile::memory(&b"png"[..]).file_name("r.png")).caption("copy").await.unwrap();
    let new_id = sent.photo().unwrap()[0].file.id.clone();
    assert_eq!(sim.file(&new_id.0).unwrap(), (sb2.id, bytes::Bytes::from_static(b"png")));
    let doc = b.send_document(ChatId(user.id), InputFile::memory(&b"pdf"[..]).file_name("r.pdf")).await.unwrap();
    assert!(doc.document().is_some());
    assert!(b.get_file(FileId("nope".into())).await.is_err());
    sim.send_document(sa.id, &user, "check.pdf", None).await.unwrap();
    parse_update(&hook.last());
    let copied = a.copy_message(ChatId(user.id), ChatId(user.id), m.id).await.unwrap();
    assert!(sim.message(sa.id, user.id, copied.0.into()).unwrap().photo.is_some());
    let calls = sim.calls_to(sb2.id, "sendPhoto");
    assert_eq!(calls.len(), 2);
    assert!(!calls[1].params["photo"].as_str().unwrap().starts_with("attach://"));
}
