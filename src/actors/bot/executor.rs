//! Carries out handler effects through the bot's Telegram client.
//!
//! Replies into the chat the update came from go out at once: there is one per incoming
//! update, so the user's own pace (and per-user rate limiting) bounds them, and teloxide's
//! throttle would hold each for up to its 250 ms tick. Messages to any other chat (owner
//! and moderator notifications, later broadcasts) go through the throttled client.
//! A dead token stops everything; a closed chat or a refused request is logged and
//! skipped; network trouble, 5xx and 429 fail the update so Telegram redelivers it later.
//! Effects for the main bot, or for another bot ([`Effect::AsBot`]), never stop this bot:
//! only this bot's own token being refused does.

use std::time::Duration;

use futures_util::future::BoxFuture;
use teloxide_core::{
    net::Download,
    payloads::{
        AnswerCallbackQuerySetters, EditMessageCaptionSetters, EditMessageTextSetters, SendDocumentSetters,
        SendMessageSetters, SendPhotoSetters, UnbanChatMemberSetters,
    },
    requests::Requester,
    types::{
        CallbackQueryId, ChatId, FileId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId, UserId,
    },
    RequestError,
};

use crate::{
    handlers::{Effect, Keyboard, Media, MediaKind, Sender},
    platform::Platform,
    telegram::{
        errors::{classify, TelegramFailure},
        managed::{self, SendWithReplyKeyboard},
        stars, BotClient,
    },
};

/// Longest `retry_after` waited for inline before retrying once; longer waits fail the
/// update and leave the retry to Telegram's redelivery.
const MAX_INLINE_RETRY_AFTER: Duration = Duration::from_secs(5);

/// Telegram's limits, in UTF-16 code units: message text and media caption.
pub(super) const MAX_TEXT: usize = crate::handlers::effects::TEXT_LIMIT;
const MAX_CAPTION: usize = 1024;

/// Cuts a text to Telegram's limit (an over-long text would be refused whole), marking the
/// cut with "…".
pub(super) fn fit(text: String, limit: usize) -> String {
    if text.encode_utf16().count() <= limit {
        return text;
    }
    let mut units = 0;
    let mut cut = String::new();
    for ch in text.chars() {
        units += ch.len_utf16();
        if units > limit - 1 {
            break;
        }
        cut.push(ch);
    }
    cut.push('…');
    cut
}

/// The clients an effect may go through.
struct Clients<'a> {
    this: &'a BotClient,
    main: &'a BotClient,
}

impl Clients<'_> {
    fn of(&self, sender: Sender) -> &BotClient {
        match sender {
            Sender::This => self.this,
            Sender::Main => self.main,
        }
    }
}

/// Runs the effects in order; `reply_chat` is the chat the update came from.
pub fn execute<'a>(
    client: &'a BotClient,
    platform: &'a Platform,
    reply_chat: i64,
    effects: Vec<Effect>,
) -> BoxFuture<'a, Result<(), TelegramFailure>> {
    Box::pin(async move {
        for effect in effects {
            run_one(client, platform, reply_chat, effect).await?;
        }
        Ok(())
    })
}

/// Runs one effect: done (or skipped for good, e.g. a closed chat) is `Ok`; a failure a
/// redelivery may fix is `Err`.
pub async fn run_one(
    client: &BotClient,
    platform: &Platform,
    reply_chat: i64,
    effect: Effect,
) -> Result<(), TelegramFailure> {
    let clients = Clients { this: client, main: &platform.main };
    if let Effect::AsBot { telegram_bot_id, effects } = effect {
        return as_bot(platform, telegram_bot_id, effects).await;
    }
    if let Effect::Later(effect) | Effect::FollowUp { effect, .. } = effect {
        // Queued by the update pipeline; nested (inside `AsBot`), it is carried out inline.
        return Box::pin(run_one(client, platform, reply_chat, *effect)).await;
    }
    if let Effect::Invite(invite) = &effect {
        return super::invite::deliver(client, platform, invite).await;
    }
    if let Effect::Inform { chat_id, text } = effect {
        platform.inform(chat_id, text);
        return Ok(());
    }
    let (effect, remember) = match effect {
        Effect::Remember { key, effect } => (*effect, Some(key)),
        effect => (effect, None),
    };
    let chat = effect.target_chat();
    let on_this_bot = !matches!(effect, Effect::Notify { .. } | Effect::SendMedia { via: Sender::Main, .. });
    let mut result = run(&clients, reply_chat, effect.clone()).await;
    if let Err(RequestError::RetryAfter(wait)) = &result {
        if wait.duration() <= MAX_INLINE_RETRY_AFTER {
            tracing::info!(wait = ?wait.duration(), "Telegram asked to retry later; waiting once");
            tokio::time::sleep(wait.duration()).await;
            result = run(&clients, reply_chat, effect).await;
        }
    }
    match result {
        Err(err) if on_this_bot => settle(&err),
        Err(err) => settle_other(&err, "main"),
        Ok(sent) => {
            if let (Some(key), Some(chat), Some(message)) = (remember, chat, sent) {
                platform.remember_message(&key, chat, message).await;
            }
            Ok(())
        }
    }
}

/// Effects for another bot, through its running client, or one made from its stored token
/// when no actor serves it (failed, disconnected): an owner's ban must reach the chat, and a
/// transient failure fails the update so Telegram redelivers the press. Only a bot without
/// a usable token (revoked) skips them.
async fn as_bot(platform: &Platform, telegram_bot_id: i64, effects: Vec<Effect>) -> Result<(), TelegramFailure> {
    let Some(client) = platform.stored_client(telegram_bot_id).await else {
        tracing::warn!(bot_id = telegram_bot_id, "effects for a bot without a usable token were skipped");
        return Ok(());
    };
    match execute(&client, platform, 0, effects).await {
        Err(TelegramFailure::TokenRevoked) => {
            tracing::warn!(bot_id = telegram_bot_id, "the other bot's token was refused; effects skipped");
            Ok(())
        }
        other => other,
    }
}

/// One effect, one Bot API call (two or three for a file sent through another bot).
async fn run(clients: &Clients<'_>, reply_chat: i64, effect: Effect) -> Result<Option<i32>, RequestError> {
    let this = clients.this;
    match effect {
        Effect::Notify { chat_id, text, keyboard } => {
            send_text(clients.main.throttled(), chat_id, text, keyboard).await.map(Some)
        }
        Effect::Send { chat_id, text, keyboard } | Effect::Prompt { chat_id, text, keyboard }
            if chat_id == reply_chat =>
        {
            send_text(this.raw(), chat_id, text, keyboard).await.map(Some)
        }
        Effect::Send { chat_id, text, keyboard } | Effect::Prompt { chat_id, text, keyboard } => {
            send_text(this.throttled(), chat_id, text, keyboard).await.map(Some)
        }
        // A reply into the update's own chat goes out at once; a receipt or support photo
        // forwarded to an owner keeps to that bot's limits like any other message.
        Effect::SendMedia { via: Sender::This, chat_id, media, caption, keyboard } if chat_id == reply_chat => {
            let file = input_file(clients, Sender::This, &media).await?;
            send_media(this.raw(), chat_id, media.kind, file, caption, keyboard).await.map(Some)
        }
        Effect::SendMedia { via, chat_id, media, caption, keyboard } => {
            let file = input_file(clients, via, &media).await?;
            send_media(clients.of(via).throttled(), chat_id, media.kind, file, caption, keyboard).await.map(Some)
        }
        Effect::SendFile { chat_id, kind, bytes, file_name, caption } => {
            let file = InputFile::memory(bytes).file_name(file_name);
            send_media(this.raw(), chat_id, kind, file, caption, None).await.map(Some)
        }
        Effect::Edit { chat_id, message_id, text, keyboard } => {
            let request = this.raw().edit_message_text(ChatId(chat_id), MessageId(message_id), fit(text, MAX_TEXT));
            match keyboard {
                Some(kb) => request.reply_markup(markup(kb)).await.map(|_| None),
                None => request.await.map(|_| None),
            }
        }
        Effect::EditCaption { chat_id, message_id, caption, keyboard } => {
            let request = this
                .raw()
                .edit_message_caption(ChatId(chat_id), MessageId(message_id))
                .caption(fit(caption, MAX_CAPTION));
            match keyboard {
                Some(kb) => request.reply_markup(markup(kb)).await.map(|_| None),
                None => request.await.map(|_| None),
            }
        }
        Effect::JoinRequest { chat_id, user_id, approve } => {
            let user = UserId(user_id as u64);
            if approve {
                this.raw().approve_chat_join_request(ChatId(chat_id), user).await.map(|_| None)
            } else {
                this.raw().decline_chat_join_request(ChatId(chat_id), user).await.map(|_| None)
            }
        }
        Effect::RemoveMember { chat_id, user_id } => {
            let (chat, user) = (ChatId(chat_id), UserId(user_id as u64));
            this.raw().ban_chat_member(chat, user).await?;
            this.raw().unban_chat_member(chat, user).only_if_banned(true).await.map(|_| None)
        }
        Effect::RevokeLink { chat_id, link } => {
            this.raw().revoke_chat_invite_link(ChatId(chat_id), link).await.map(|_| None)
        }
        Effect::Delete { chat_id, message_id } => {
            this.raw().delete_message(ChatId(chat_id), MessageId(message_id)).await.map(|_| None)
        }
        Effect::SendReplyKeyboard { chat_id, text, keyboard } => {
            let payload = SendWithReplyKeyboard { chat_id, text: fit(text, MAX_TEXT), reply_markup: keyboard.markup() };
            managed::call(this.raw(), payload).await.map(|sent| Some(sent.id.0))
        }
        Effect::StarsInvoice(invoice) => stars::send_invoice(this.raw(), *invoice).await.map(Some),
        Effect::AnswerPreCheckout { query_id, error } => {
            stars::answer_pre_checkout(this.raw(), query_id, error).await.map(|_| None)
        }
        Effect::AnswerCallback { query_id, text } => {
            let request = this.raw().answer_callback_query(CallbackQueryId(query_id));
            match text {
                Some(text) => request.text(text).await.map(|_| None),
                None => request.await.map(|_| None),
            }
        }
        Effect::AsBot { .. }
        | Effect::Inform { .. }
        | Effect::Remember { .. }
        | Effect::Later(_)
        | Effect::FollowUp { .. }
        | Effect::Invite(_) => {
            Ok(None) // by `run_one`
        }
    }
}

/// The file to send: its id when the sender received it, else its bytes downloaded through
/// the bot that did (file ids belong to one bot).
async fn input_file(clients: &Clients<'_>, via: Sender, media: &Media) -> Result<InputFile, RequestError> {
    if via == media.owner {
        return Ok(InputFile::file_id(FileId(media.file_id.clone())));
    }
    let owner = clients.of(media.owner).raw();
    let file = owner.get_file(FileId(media.file_id.clone())).await?;
    let mut bytes: Vec<u8> = Vec::new();
    owner.download_file(&file.path, &mut bytes).await?;
    let name = file.path.rsplit('/').next().unwrap_or("receipt").to_owned();
    Ok(InputFile::memory(bytes).file_name(name))
}

async fn send_media<R>(
    bot: &R,
    chat_id: i64,
    kind: MediaKind,
    file: InputFile,
    caption: String,
    keyboard: Option<Keyboard>,
) -> Result<i32, RequestError>
where
    R: Requester<Err = RequestError>,
{
    let caption = fit(caption, MAX_CAPTION);
    match kind {
        MediaKind::Photo => {
            let request = bot.send_photo(ChatId(chat_id), file).caption(caption);
            match keyboard {
                Some(kb) => request.reply_markup(markup(kb)).await.map(|m| m.id.0),
                None => request.await.map(|m| m.id.0),
            }
        }
        MediaKind::Document => {
            let request = bot.send_document(ChatId(chat_id), file).caption(caption);
            match keyboard {
                Some(kb) => request.reply_markup(markup(kb)).await.map(|m| m.id.0),
                None => request.await.map(|m| m.id.0),
            }
        }
    }
}

async fn send_text<R>(bot: &R, chat_id: i64, text: String, keyboard: Option<Keyboard>) -> Result<i32, RequestError>
where
    R: Requester<Err = RequestError>,
{
    let request = bot.send_message(ChatId(chat_id), fit(text, MAX_TEXT));
    match keyboard {
        Some(kb) => request.reply_markup(markup(kb)).await.map(|m| m.id.0),
        None => request.await.map(|m| m.id.0),
    }
}

/// Decides whether a failed call stops the update (returns the failure) or is skipped.
fn settle(err: &RequestError) -> Result<(), TelegramFailure> {
    let failure = classify(err);
    metrics::counter!("getolog_telegram_errors_total", "kind" => failure.label()).increment(1);
    match failure {
        TelegramFailure::ChatClosed(reason) => {
            tracing::info!(%reason, "chat closed to the bot; effect skipped");
            Ok(())
        }
        TelegramFailure::Rejected(reason) => {
            tracing::warn!(%reason, "Telegram refused a request; effect skipped");
            Ok(())
        }
        other => Err(other),
    }
}

/// Like [`settle`] for a message sent through another bot: its token being refused says
/// nothing about the bot handling the update, so it must not stop that bot.
fn settle_other(err: &RequestError, which: &str) -> Result<(), TelegramFailure> {
    match settle(err) {
        Err(TelegramFailure::TokenRevoked) => {
            tracing::error!(which, "another bot's token was refused; effect skipped");
            Ok(())
        }
        other => other,
    }
}

pub(super) fn markup(keyboard: Keyboard) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(keyboard.0.into_iter().map(|row| row.into_iter().map(button).collect::<Vec<_>>()))
}

/// A callback button, or a URL button for a [`crate::handlers::Button::link`].
fn button(b: crate::handlers::Button) -> InlineKeyboardButton {
    match b.url().and_then(|u| url::Url::parse(u).ok()) {
        Some(url) => InlineKeyboardButton::url(b.text, url),
        None => InlineKeyboardButton::callback(b.text, b.data),
    }
}

#[cfg(test)]
mod tests {
    use super::fit;

    #[test]
    fn texts_are_cut_to_telegrams_limit_in_utf16_units() {
        assert_eq!(fit("short".into(), 10), "short");
        let long = "😀".repeat(10); // 20 UTF-16 units
        let cut = fit(long, 9);
        assert!(cut.encode_utf16().count() <= 9, "{cut}");
        assert!(cut.ends_with('…'));
        assert_eq!(fit("abcdef".into(), 4), "abc…");
    }
}
