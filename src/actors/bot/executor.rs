//! Carries out handler effects through the bot's Telegram client.
//!
//! Replies into the chat the update came from go out at once: there is one per incoming
//! update, so the user's own pace (and per-user rate limiting) bounds them, and teloxide's
//! throttle would hold each for up to its 250 ms tick. Messages to any other chat (owner
//! and moderator notifications, later broadcasts) go through the throttled client.
//! A dead token stops everything; a closed chat or a refused request is logged and
//! skipped; network trouble, 5xx and 429 fail the update so Telegram redelivers it later.

use std::time::Duration;

use teloxide_core::{
    payloads::{AnswerCallbackQuerySetters, EditMessageTextSetters, SendMessageSetters},
    requests::Requester,
    types::{CallbackQueryId, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, MessageId},
    RequestError,
};

use crate::{
    handlers::{Effect, Keyboard},
    telegram::{
        errors::{classify, TelegramFailure},
        BotClient,
    },
};

/// Longest `retry_after` waited for inline before retrying once; longer waits fail the
/// update and leave the retry to Telegram's redelivery.
const MAX_INLINE_RETRY_AFTER: Duration = Duration::from_secs(5);

/// Runs the effects in order; `reply_chat` is the chat the update came from, `main` the
/// main Getolog bot's client (for [`Effect::Notify`]).
pub async fn execute(
    client: &BotClient,
    main: &BotClient,
    reply_chat: i64,
    effects: Vec<Effect>,
) -> Result<(), TelegramFailure> {
    for effect in effects {
        let via_main = matches!(effect, Effect::Notify { .. });
        let mut result = run(client, main, reply_chat, effect.clone()).await;
        if let Err(RequestError::RetryAfter(wait)) = &result {
            if wait.duration() <= MAX_INLINE_RETRY_AFTER {
                tracing::info!(wait = ?wait.duration(), "Telegram asked to retry later; waiting once");
                tokio::time::sleep(wait.duration()).await;
                result = run(client, main, reply_chat, effect).await;
            }
        }
        match result {
            Err(err) if via_main => settle_main(&err)?,
            Err(err) => settle(&err)?,
            Ok(()) => {}
        }
    }
    Ok(())
}

/// One effect, one Bot API call.
async fn run(client: &BotClient, main: &BotClient, reply_chat: i64, effect: Effect) -> Result<(), RequestError> {
    match effect {
        Effect::Notify { chat_id, text, keyboard } => send_text(main.throttled(), chat_id, text, keyboard).await,
        Effect::Send { chat_id, text, keyboard } if chat_id == reply_chat => {
            send_text(client.raw(), chat_id, text, keyboard).await
        }
        Effect::Send { chat_id, text, keyboard } => send_text(client.throttled(), chat_id, text, keyboard).await,
        Effect::Edit { chat_id, message_id, text, keyboard } => {
            let request = client.raw().edit_message_text(ChatId(chat_id), MessageId(message_id), text);
            match keyboard {
                Some(kb) => request.reply_markup(markup(kb)).await.map(drop),
                None => request.await.map(drop),
            }
        }
        Effect::Delete { chat_id, message_id } => {
            client.raw().delete_message(ChatId(chat_id), MessageId(message_id)).await.map(drop)
        }
        Effect::AnswerCallback { query_id, text } => {
            let request = client.raw().answer_callback_query(CallbackQueryId(query_id));
            match text {
                Some(text) => request.text(text).await.map(drop),
                None => request.await.map(drop),
            }
        }
    }
}

async fn send_text<R>(bot: &R, chat_id: i64, text: String, keyboard: Option<Keyboard>) -> Result<(), RequestError>
where
    R: Requester<Err = RequestError>,
{
    let request = bot.send_message(ChatId(chat_id), text);
    match keyboard {
        Some(kb) => request.reply_markup(markup(kb)).await.map(drop),
        None => request.await.map(drop),
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

/// Like [`settle`] for a message sent through the main bot: its token being refused says
/// nothing about the bot handling the update, so it must not stop that bot.
fn settle_main(err: &RequestError) -> Result<(), TelegramFailure> {
    match settle(err) {
        Err(TelegramFailure::TokenRevoked) => {
            tracing::error!("the main bot's token was refused; notification skipped");
            Ok(())
        }
        other => other,
    }
}

fn markup(keyboard: Keyboard) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(
        keyboard
            .0
            .into_iter()
            .map(|row| row.into_iter().map(|b| InlineKeyboardButton::callback(b.text, b.data)).collect::<Vec<_>>()),
    )
}
