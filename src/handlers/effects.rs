//! What handlers ask the bot actor to do. Plain data, so handlers are testable without
//! Telegram. (Moderator alerts are not effects: services store them in the outbox in the
//! same transaction as the change they announce.) Serializable, so an update's planned effects
//! can be journaled and a redelivery continue where the first attempt stopped.

use serde::{Deserialize, Serialize};

/// One inline button carrying callback data (≤ 64 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// Label.
    pub text: String,
    /// Callback data.
    pub data: String,
}

/// Marks a [`Button`] whose `data` is a URL to open, not callback data.
const LINK_MARK: &str = "\u{1}url:";

impl Button {
    /// A button that opens `url` (a provider's checkout) instead of sending a press.
    pub fn link(text: String, url: &str) -> Self {
        Self { text, data: format!("{LINK_MARK}{url}") }
    }

    /// The URL a [`link`](Self::link) button opens.
    pub fn url(&self) -> Option<&str> {
        self.data.strip_prefix(LINK_MARK)
    }
}

/// Rows of inline buttons.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Keyboard(pub Vec<Vec<Button>>);

/// Which bot sends (or received) something: the bot handling the update, or the main bot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sender {
    /// The bot whose update is being handled (or, inside [`Effect::AsBot`], that bot).
    This,
    /// The main Getolog bot.
    Main,
}

/// A photo or document a bot received, to send on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    /// Photo or document.
    pub kind: MediaKind,
    /// The file id, valid only for the bot that received it.
    pub file_id: String,
    /// The bot that received it. Sending through another bot re-uploads the file, because
    /// file ids belong to one bot.
    pub owner: Sender,
}

/// What kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaKind {
    /// A photo.
    Photo,
    /// A document (e.g. a PDF receipt).
    Document,
}

impl MediaKind {
    /// `photo` or `document`, as stored.
    pub fn label(self) -> &'static str {
        match self {
            MediaKind::Photo => "photo",
            MediaKind::Document => "document",
        }
    }

    /// From the stored label.
    pub fn from_label(label: &str) -> Option<Self> {
        match label {
            "photo" => Some(MediaKind::Photo),
            "document" => Some(MediaKind::Document),
            _ => None,
        }
    }
}

/// Where a personal link goes in an [`Invite`]'s message: the message is rendered with this in
/// the link's place, then split around it.
pub const LINK_SLOT: &str = "\u{2063}link\u{2063}";

/// A personal invite link to a sold chat, handed over by its seller bot (see
/// `actors::bot::invite`): made, stored on the subscription under `delivery`, then sent inside
/// the message. A retry of the same delivery sends the same link again, never a second one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    /// The subscription the link lets in.
    pub subscription_id: i64,
    /// Who gets it (their private chat with the seller bot).
    pub user_id: i64,
    /// The link's name in the chat's list of links (cut to 32 characters).
    pub name: String,
    /// The message before the link and after it.
    pub text: (String, String),
    /// Sent instead when the user is in the chat already (then no link is made).
    pub if_member: Option<String>,
    /// Carried out instead when no link can be made (the bot lost its rights in the chat).
    pub otherwise: Vec<Effect>,
    /// Names this delivery: a decision's follow-up key, or the press that asked.
    pub delivery: String,
}

impl Invite {
    /// Splits a message rendered with [`LINK_SLOT`] as the link (the link goes last when the
    /// message has no slot).
    pub fn around_link(rendered: &str) -> (String, String) {
        match rendered.split_once(LINK_SLOT) {
            Some((before, after)) => (before.to_owned(), after.to_owned()),
            None => (format!("{rendered}\n"), String::new()),
        }
    }
}

/// Telegram's limit on a message's text, in UTF-16 code units.
pub const TEXT_LIMIT: usize = 4096;

/// An action resulting from an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Send a plain-text message.
    Send {
        /// Target chat.
        chat_id: i64,
        /// Text (sent without parse mode, so user input needs no escaping).
        text: String,
        /// Optional inline keyboard.
        keyboard: Option<Keyboard>,
    },
    /// A menu or a question into the update's own chat whose loss costs the user no more
    /// than repeating their command (the language prompt after `/start`). Sent like
    /// [`Effect::Send`]; as a plan's last effect it rides on the webhook's reply instead of
    /// a Bot API call of its own (see `actors::bot::pipeline`).
    Prompt {
        /// The update's chat.
        chat_id: i64,
        /// Text (plain).
        text: String,
        /// Optional inline keyboard.
        keyboard: Option<Keyboard>,
    },
    /// Replace the text (and keyboard) of a message the bot sent.
    Edit {
        /// Chat of the message.
        chat_id: i64,
        /// The message.
        message_id: i32,
        /// New text.
        text: String,
        /// New keyboard, or none to remove it.
        keyboard: Option<Keyboard>,
    },
    /// Send a plain-text message from the main Getolog bot (owners' notifications from a
    /// seller bot's update: the owner talks to the platform in the main bot).
    Notify {
        /// Target chat (the owner's private chat with the main bot).
        chat_id: i64,
        /// Text.
        text: String,
        /// Optional inline keyboard (its buttons reach the main bot).
        keyboard: Option<Keyboard>,
    },
    /// An informational line for an owner from the main bot, coalesced with others and sent
    /// without holding up this update (best effort: new customers, joins).
    Inform {
        /// The owner's chat with the main bot.
        chat_id: i64,
        /// The line.
        text: String,
    },
    /// Send a photo or document with a caption.
    SendMedia {
        /// Who sends it.
        via: Sender,
        /// Target chat.
        chat_id: i64,
        /// The file.
        media: Media,
        /// Caption (plain text).
        caption: String,
        /// Optional inline keyboard.
        keyboard: Option<Keyboard>,
    },
    /// Upload a file made here (a chart, an export) as a photo or a document.
    SendFile {
        /// Target chat.
        chat_id: i64,
        /// Photo or document.
        kind: MediaKind,
        /// The file's bytes.
        bytes: Vec<u8>,
        /// Its name (shown for documents).
        file_name: String,
        /// Caption (plain text).
        caption: String,
    },
    /// Replace the caption (and keyboard) of a photo or document the bot sent.
    EditCaption {
        /// Chat of the message.
        chat_id: i64,
        /// The message.
        message_id: i32,
        /// New caption.
        caption: String,
        /// New keyboard, or none to remove it.
        keyboard: Option<Keyboard>,
    },
    /// Carry out effects as another running bot (e.g. the owner's decision in the main bot
    /// reaches the end user through the seller bot).
    AsBot {
        /// The bot's Telegram id.
        telegram_bot_id: i64,
        /// What it should do.
        effects: Vec<Effect>,
    },
    /// Approve or decline a join request in a chat the bot administers.
    JoinRequest {
        /// The channel or group.
        chat_id: i64,
        /// Who asked to join.
        user_id: i64,
        /// Approve (`true`) or decline.
        approve: bool,
    },
    /// Remove a member from a chat without a lasting ban (ban, then unban if banned).
    RemoveMember {
        /// The channel or group.
        chat_id: i64,
        /// The member.
        user_id: i64,
    },
    /// Revoke an invite link the bot created.
    RevokeLink {
        /// The channel or group.
        chat_id: i64,
        /// The link.
        link: String,
    },
    /// Delete a message in a chat of this bot (e.g. the owner's message carrying a token).
    Delete {
        /// Chat of the message.
        chat_id: i64,
        /// The message.
        message_id: i32,
    },
    /// Send as `effect` does and remember where the message went under `key` (to edit every
    /// copy later, e.g. the other moderators' copies of a receipt once one decided).
    Remember {
        /// Name of the set of messages.
        key: String,
        /// A `Send`, `Notify` or `SendMedia`.
        effect: Box<Effect>,
    },
    /// Hand `effect` to the courier: it is carried out outside the update, at the pace
    /// Telegram allows (a message to an owner must not hold up the customer's update while
    /// the owner's chat is at its limit), at least once and once per planned effect.
    Later(Box<Effect>),
    /// Hand `effect` to the courier under `key`, which names what it follows rather than the
    /// update that planned it: a decision and its recipient (`payment:7:rejected:customer`).
    /// The first run, a redelivery after a crash and another device's press of the same
    /// decision all queue the same row, so it is carried out at least once, and once per key.
    FollowUp {
        /// The delivery's key: the decision and who is told.
        key: String,
        /// What to do (often an [`Effect::AsBot`]: the customer hears from the seller bot).
        effect: Box<Effect>,
    },
    /// Hand a user a personal invite link through this bot (see [`Invite`]).
    Invite(Box<Invite>),
    /// Send a plain-text message with a reply keyboard teloxide-core cannot express (the
    /// button that creates a shop bot), or that takes the reply keyboard away.
    SendReplyKeyboard {
        /// Target chat (private).
        chat_id: i64,
        /// Text.
        text: String,
        /// The keyboard.
        keyboard: crate::telegram::managed::ReplyKeyboard,
    },
    /// Send an invoice in Telegram Stars (a monthly subscription's as a link button).
    StarsInvoice(Box<crate::telegram::stars::StarsInvoice>),
    /// Answer a `pre_checkout_query`: accept (`error` is `None`) or decline with the
    /// customer's message. Sent only while Telegram still waits for it.
    AnswerPreCheckout {
        /// The query id.
        query_id: String,
        /// Why it is declined, in the customer's language.
        error: Option<String>,
    },
    /// Answer a callback query (stops the button's spinner).
    AnswerCallback {
        /// The query id.
        query_id: String,
        /// Optional toast text.
        text: Option<String>,
    },
}

impl Effect {
    /// Whether doing this effect a second time changes nothing the user sees (an edit to the
    /// same text, a second answer to a press, a repeated removal or revocation). A message
    /// sent, a file uploaded or a notice queued would be seen twice.
    pub fn is_repeatable(&self) -> bool {
        matches!(
            self,
            Effect::Edit { .. }
                | Effect::EditCaption { .. }
                | Effect::AnswerCallback { .. }
                | Effect::AnswerPreCheckout { .. }
                | Effect::JoinRequest { .. }
                | Effect::RemoveMember { .. }
                | Effect::RevokeLink { .. }
                | Effect::Delete { .. }
                | Effect::Later(_)
                | Effect::FollowUp { .. }
        )
    }

    /// The chat a sending effect writes to (through a [`Effect::Remember`] too, and for an
    /// [`Effect::AsBot`], its first effect's).
    pub fn target_chat(&self) -> Option<i64> {
        match self {
            Effect::Send { chat_id, .. }
            | Effect::Prompt { chat_id, .. }
            | Effect::Notify { chat_id, .. }
            | Effect::SendMedia { chat_id, .. }
            | Effect::SendReplyKeyboard { chat_id, .. } => Some(*chat_id),
            Effect::Remember { effect, .. } => effect.target_chat(),
            Effect::Invite(invite) => Some(invite.user_id),
            Effect::StarsInvoice(invoice) => Some(invoice.chat_id),
            Effect::AsBot { effects, .. } => effects.first().and_then(Effect::target_chat),
            _ => None,
        }
    }

    /// This effect, carried out later by the courier.
    pub fn later(self) -> Effect {
        Effect::Later(Box::new(self))
    }

    /// This effect, carried out later by the courier, once per `key` (see [`Effect::FollowUp`]).
    pub fn follow_up(self, key: impl Into<String>) -> Effect {
        Effect::FollowUp { key: key.into(), effect: Box::new(self) }
    }
}

/// Whether a plan must be journaled before it runs: some effect that must not be repeated is
/// followed by others, so a crash between them must not make the redelivery start over.
pub fn needs_journal(effects: &[Effect]) -> bool {
    effects.iter().rev().skip(1).any(|e| !e.is_repeatable())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(text: &str) -> Effect {
        Effect::Send { chat_id: 1, text: text.into(), keyboard: None }
    }

    #[test]
    fn only_plans_with_an_unrepeatable_effect_before_the_last_are_journaled_ahead() {
        let answer = Effect::AnswerCallback { query_id: "q".into(), text: None };
        assert!(!needs_journal(&[]));
        assert!(!needs_journal(&[send("a")]));
        assert!(!needs_journal(&[answer.clone(), send("a")]));
        assert!(needs_journal(&[send("a"), answer.clone()]));
        assert!(needs_journal(&[answer, send("a"), send("b")]));
    }

    #[test]
    fn a_follow_up_is_queued_again_harmlessly_and_goes_in_its_recipients_lane() {
        let to_customer = Effect::AsBot { telegram_bot_id: 7, effects: vec![send("rejected")] };
        let follow_up = to_customer.follow_up("payment:3:rejected:customer");
        assert!(follow_up.is_repeatable(), "its key makes queuing it again a no-op");
        assert!(!needs_journal(&[follow_up.clone(), send("a")]));
        let Effect::FollowUp { effect, .. } = follow_up else { panic!("a follow-up") };
        assert_eq!(effect.target_chat(), Some(1), "the courier orders it with the customer's chat");
    }

    #[test]
    fn a_plan_survives_a_round_trip_through_json() {
        let plan = vec![
            send("hello"),
            Effect::AsBot { telegram_bot_id: 7, effects: vec![Effect::RemoveMember { chat_id: -100, user_id: 5 }] },
        ];
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Effect>>(&json).unwrap(), plan);
    }
}
