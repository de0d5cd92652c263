//! Managed bots (Bot API 9.6): a bot with bot management switched on in @BotFather asks a
//! user to create a bot (a reply-keyboard button with `request_managed_bot`, or a
//! `t.me/newbot/...` link); the user confirms Telegram's form; the manager gets a
//! `managed_bot` update and a `managed_bot_created` service message, and may fetch
//! (`getManagedBotToken`) or replace (`replaceManagedBotToken`) the new bot's token.

use serde_json::{json, Value};

use crate::simulator::api::ApiError;
use crate::simulator::methods::Ctx;
use crate::simulator::state::{user_json, State};
use crate::simulator::types::{Delivery, SimBot, SimError, SimUser};
use crate::simulator::Simulator;

/// What a manager's `request_managed_bot` button pre-fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateBotRequest {
    /// The button's `request_id`.
    pub request_id: i64,
    /// `suggested_name`, if any.
    pub suggested_name: Option<String>,
    /// `suggested_username`, if any.
    pub suggested_username: Option<String>,
}

impl Simulator {
    /// Switches bot management on or off for a bot in @BotFather (`can_manage_bots`).
    pub fn allow_bot_management(&self, bot_id: i64, allowed: bool) {
        if let Some(b) = self.inner.lock().bots.get_mut(&bot_id) {
            b.can_manage_bots = allowed;
        }
    }

    /// The `request_managed_bot` button under a message the manager sent the user, if any.
    pub fn create_bot_request(&self, manager_id: i64, user_id: i64, message_id: i64) -> Option<CreateBotRequest> {
        let mut st = self.inner.lock();
        let msg = st.message_mut(manager_id, user_id, message_id)?;
        let rows = msg.reply_markup.as_ref()?.get("keyboard")?.as_array()?;
        let request =
            rows.iter().flat_map(|r| r.as_array().into_iter().flatten()).find_map(|b| b.get("request_managed_bot"))?;
        let text = |key: &str| request.get(key).and_then(Value::as_str).map(str::to_owned);
        Some(CreateBotRequest {
            request_id: request.get("request_id").and_then(Value::as_i64)?,
            suggested_name: text("suggested_name"),
            suggested_username: text("suggested_username"),
        })
    }

    /// The user taps the manager's "create a bot" button under `message_id` and confirms
    /// Telegram's form as pre-filled: the bot is created and the manager told.
    pub async fn press_create_bot_button(
        &self,
        manager_id: i64,
        user: &SimUser,
        message_id: i64,
    ) -> Result<(SimBot, Vec<Delivery>), SimError> {
        let request = self
            .create_bot_request(manager_id, user.id, message_id)
            .ok_or_else(|| SimError::NoButton("request_managed_bot".into()))?;
        let username = request.suggested_username.ok_or_else(|| SimError::Invalid("no suggested username".into()))?;
        let name = request.suggested_name.unwrap_or_else(|| username.clone());
        self.create_managed_bot(manager_id, user, &name, &username).await
    }

    /// The user creates a bot managed by `manager_id` (through its button or a
    /// `t.me/newbot/<manager>/<username>` link), named `name` and `@username`: Telegram
    /// refuses a taken or malformed username, and a manager without bot management.
    pub async fn create_managed_bot(
        &self,
        manager_id: i64,
        user: &SimUser,
        name: &str,
        username: &str,
    ) -> Result<(SimBot, Vec<Delivery>), SimError> {
        if !valid_bot_username(username) {
            return Err(SimError::Invalid(format!("USERNAME_INVALID: {username}")));
        }
        {
            let st = self.inner.lock();
            let manager = st.bots.get(&manager_id).ok_or(SimError::UnknownBot(manager_id))?;
            if !manager.can_manage_bots {
                return Err(SimError::Invalid("BOT_MANAGEMENT_DISABLED".into()));
            }
            if st.bots.values().any(|b| b.sim.username.eq_ignore_ascii_case(username)) {
                return Err(SimError::Invalid(format!("USERNAME_OCCUPIED: {username}")));
            }
        }
        let bot = self.create_bot(username);
        let out = {
            let mut st = self.inner.lock();
            st.users.entry(user.id).or_insert_with(|| user.clone());
            if let Some(b) = st.bots.get_mut(&bot.id) {
                b.manager = Some(manager_id);
                b.creator = Some(user.id);
                b.first_name = name.to_owned();
            }
            let bot_user = st.bot_user_json(bot.id);
            let updated = json!({"user": user_json(user), "bot": bot_user});
            let mut out = vec![st.make_update(manager_id, "managed_bot", updated)?];
            let created = service_message(&mut st, manager_id, user, bot_user);
            out.extend(st.make_update(manager_id, "message", created).ok());
            out
        };
        Ok((bot, self.post_all(out).await))
    }

    /// The bot that manages `bot_id`, if any.
    pub fn manager_of(&self, bot_id: i64) -> Option<i64> {
        self.inner.lock().bots.get(&bot_id)?.manager
    }
}

/// The `managed_bot_created` message in the user's chat with the manager.
fn service_message(st: &mut State, manager_id: i64, user: &SimUser, bot_user: Value) -> Value {
    let mut payload = st.user_service_message(manager_id, user);
    payload["managed_bot_created"] = json!({"bot": bot_user});
    payload
}

/// Whether Telegram accepts `username` for a bot: 5–32 of `A-Za-z0-9_`, starting with a
/// letter, ending in `bot`.
fn valid_bot_username(username: &str) -> bool {
    (5..=32).contains(&username.len())
        && username.starts_with(|c: char| c.is_ascii_alphabetic())
        && username.to_ascii_lowercase().ends_with("bot")
        && username.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// `getManagedBotToken` and `replaceManagedBotToken`: only the managing bot may call them. A
/// replacement is announced to the manager with a `managed_bot` update, as a creation is.
pub(crate) fn token(cx: &mut Ctx<'_, '_>, replace: bool) -> Result<Value, ApiError> {
    let user_id = cx.p.i64("user_id")?.ok_or_else(|| ApiError::bad("parameter \"user_id\" is required"))?;
    let managed = cx.st.bots.get(&user_id).filter(|b| b.manager == Some(cx.bot_id));
    if managed.is_none() {
        return Err(ApiError::bad("BOT_INVALID"));
    }
    if !replace {
        return Ok(json!(cx.st.bots[&user_id].sim.token));
    }
    let fresh = format!("{user_id}:{}", crate::simulator::state::random_string(35));
    let b = cx.st.bots.get_mut(&user_id).ok_or_else(|| ApiError::bad("BOT_INVALID"))?;
    let old = std::mem::replace(&mut b.sim.token, fresh.clone());
    b.revoked = false;
    cx.st.tokens.remove(&old);
    cx.st.tokens.insert(fresh.clone(), user_id);
    cx.out.extend(token_changed(cx.st, user_id));
    Ok(json!(fresh))
}

/// The `managed_bot` update telling a managed bot's manager that its token changed.
pub(crate) fn token_changed(st: &mut State, bot_id: i64) -> Option<crate::simulator::delivery::Outgoing> {
    let b = st.bots.get(&bot_id)?;
    let (manager, creator) = (b.manager?, b.creator?);
    let changed = json!({"user": st.user_json(creator), "bot": st.bot_user_json(bot_id)});
    st.make_update(manager, "managed_bot", changed).ok()
}

/// Checks a reply keyboard's `request_managed_bot` buttons: private chats only, a 32-bit
/// `request_id`, and a sender allowed to manage bots.
pub(crate) fn check_keyboard(st: &State, bot_id: i64, chat_id: i64, markup: &Value) -> Result<(), ApiError> {
    let Some(rows) = markup.get("keyboard").and_then(Value::as_array) else { return Ok(()) };
    for button in rows.iter().flat_map(|r| r.as_array().into_iter().flatten()) {
        let Some(request) = button.get("request_managed_bot") else { continue };
        if chat_id <= 0 {
            return Err(ApiError::bad("BUTTON_TYPE_INVALID"));
        }
        let id = request.get("request_id").and_then(Value::as_i64);
        if id.is_none_or(|id| i32::try_from(id).is_err()) {
            return Err(ApiError::bad("can't parse keyboard button: request_id must be a 32-bit integer"));
        }
        if !st.bots.get(&bot_id).is_some_and(|b| b.can_manage_bots) {
            return Err(ApiError::bad("BOT_MANAGEMENT_DISABLED"));
        }
    }
    Ok(())
}
