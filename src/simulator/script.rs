//! Scripting the world: bots, users, chats, rights, invite links.

use std::collections::{HashMap, HashSet, VecDeque};

use rand::Rng;
use serde_json::{json, Value};

use crate::simulator::chats::{link_json, member_updates};
use crate::simulator::delivery::{self, Outgoing};
use crate::simulator::state::{
    bot_member_json, now, random_string, BotMember, BotState, ChatState, JoinRequest, Status,
};
use crate::simulator::types::{ChatKind, Delivery, JoinOutcome, Rights, SimBot, SimError, SimUser};
use crate::simulator::Simulator;

impl Simulator {
    /// Creates a bot (as BotFather would) with a fresh id and token.
    pub fn create_bot(&self, username: &str) -> SimBot {
        let mut st = self.inner.lock();
        let mut rng = rand::rng();
        let mut id = rng.random_range(6_000_000_000_i64..8_500_000_000);
        while st.bots.contains_key(&id) {
            id += 1;
        }
        let sim = SimBot {
            id,
            token: format!("{id}:{}", random_string(35)),
            username: username.trim_start_matches('@').to_owned(),
        };
        st.tokens.insert(sim.token.clone(), id);
        st.bots.insert(
            id,
            BotState {
                sim: sim.clone(),
                revoked: false,
                webhook: None,
                allowed_updates: Vec::new(),
                next_update_id: rng.random_range(100_000_000..900_000_000),
                started: HashSet::new(),
                blocked: HashSet::new(),
                commands: json!([]),
                updates: VecDeque::new(),
                can_manage_bots: false,
                manager: None,
                creator: None,
                first_name: sim.username.clone(),
            },
        );
        sim
    }

    /// Revokes the bot's token: every call with it answers 401 until [`new_token`](Self::new_token).
    pub fn revoke_token(&self, bot_id: i64) {
        if let Some(b) = self.inner.lock().bots.get_mut(&bot_id) {
            b.revoked = true;
        }
    }

    /// BotFather `/revoke`: same bot, new token; the old token answers 401 from now on. The
    /// manager of a managed bot is told with a `managed_bot` update (in the background).
    pub fn new_token(&self, bot_id: i64) -> Result<String, SimError> {
        let (new, announce) = {
            let mut st = self.inner.lock();
            let b = st.bots.get_mut(&bot_id).ok_or(SimError::UnknownBot(bot_id))?;
            let old = std::mem::replace(&mut b.sim.token, format!("{bot_id}:{}", random_string(35)));
            b.revoked = false;
            let new = b.sim.token.clone();
            st.tokens.remove(&old);
            st.tokens.insert(new.clone(), bot_id);
            (new, crate::simulator::managed::token_changed(&mut st, bot_id))
        };
        if let Some(out) = announce {
            crate::simulator::server::spawn_background(self.inner.clone(), vec![out]);
        }
        Ok(new)
    }

    /// Registers (or replaces) a person.
    pub fn user(&self, id: i64, first_name: &str, username: Option<&str>) -> SimUser {
        self.add_user(SimUser {
            id,
            first_name: first_name.to_owned(),
            username: username.map(|u| u.trim_start_matches('@').to_owned()),
            language_code: None,
        })
    }

    /// Registers (or replaces) a person given in full (e.g. with a language code).
    pub fn add_user(&self, user: SimUser) -> SimUser {
        self.inner.lock().users.insert(user.id, user.clone());
        user
    }

    /// The user blocks the bot: its messages to them fail with 403 until they write again.
    pub fn block_bot(&self, bot_id: i64, user_id: i64) {
        if let Some(b) = self.inner.lock().bots.get_mut(&bot_id) {
            b.blocked.insert(user_id);
        }
    }

    /// Creates a channel, supergroup or group with a synthetic owner; returns its id.
    pub fn create_chat(&self, kind: ChatKind, title: &str) -> i64 {
        let mut st = self.inner.lock();
        let n = st.next();
        let id = match kind {
            ChatKind::Group => -(4_000_000_000 + n),
            ChatKind::Channel | ChatKind::Supergroup => -(1_002_000_000_000 + n),
        };
        let owner = 1_000_000 + n;
        st.users.insert(
            owner,
            SimUser { id: owner, first_name: format!("Owner of {title}"), username: None, language_code: None },
        );
        st.chats.insert(
            id,
            ChatState {
                id,
                kind,
                title: title.to_owned(),
                owner: Some(owner),
                members: HashMap::from([(owner, Status::Owner)]),
                bots: HashMap::new(),
                links: HashMap::new(),
                requests: HashMap::new(),
                next_message_id: 0,
            },
        );
        id
    }

    /// Makes `user` the chat's owner (the previous owner leaves).
    pub fn set_owner(&self, chat_id: i64, user: &SimUser) -> Result<(), SimError> {
        let mut st = self.inner.lock();
        st.users.entry(user.id).or_insert_with(|| user.clone());
        let chat = st.chats.get_mut(&chat_id).ok_or(SimError::UnknownChat(chat_id))?;
        if let Some(old) = chat.owner.replace(user.id) {
            chat.members.remove(&old);
        }
        chat.members.insert(user.id, Status::Owner);
        Ok(())
    }

    /// Adds a person as a plain member, silently (setup; no update is delivered).
    pub fn add_member(&self, chat_id: i64, user: &SimUser) -> Result<(), SimError> {
        let mut st = self.inner.lock();
        st.users.entry(user.id).or_insert_with(|| user.clone());
        let chat = st.chats.get_mut(&chat_id).ok_or(SimError::UnknownChat(chat_id))?;
        chat.members.insert(user.id, Status::Member);
        Ok(())
    }

    /// The owner adds/promotes (`Some`) or removes (`None`) the bot, and the bot gets a
    /// `my_chat_member` update. Returns the delivery, or `None` when the bot has no webhook or
    /// does not accept `my_chat_member`.
    pub async fn set_bot_rights(
        &self,
        chat_id: i64,
        bot_id: i64,
        rights: Option<Rights>,
    ) -> Result<Option<Delivery>, SimError> {
        let new = match rights {
            Some(r) => BotMember::Admin(r),
            None => BotMember::Kicked,
        };
        self.set_bot_status(chat_id, bot_id, new).await
    }

    /// Adds the bot as a plain (non-admin) member, delivering `my_chat_member`.
    pub async fn add_bot_member(&self, chat_id: i64, bot_id: i64) -> Result<Option<Delivery>, SimError> {
        self.set_bot_status(chat_id, bot_id, BotMember::Member).await
    }

    async fn set_bot_status(&self, chat_id: i64, bot_id: i64, new: BotMember) -> Result<Option<Delivery>, SimError> {
        let out = {
            let mut st = self.inner.lock();
            if !st.bots.contains_key(&bot_id) {
                return Err(SimError::UnknownBot(bot_id));
            }
            let chat = st.chats.get_mut(&chat_id).ok_or(SimError::UnknownChat(chat_id))?;
            let old = chat.bots.insert(bot_id, new).unwrap_or(BotMember::Left);
            let owner = chat.owner.unwrap_or_default();
            let bot_user = st.bot_user_json(bot_id);
            let payload = json!({
                "chat": st.chat_json(chat_id), "from": st.user_json(owner), "date": now(),
                "old_chat_member": bot_member_json(bot_user.clone(), old),
                "new_chat_member": bot_member_json(bot_user, new),
            });
            match st.make_update(bot_id, "my_chat_member", payload) {
                Ok(o) => o,
                Err(SimError::NoWebhook(_) | SimError::NotAllowed { .. }) => return Ok(None),
                Err(e) => return Err(e),
            }
        };
        Ok(Some(delivery::post(&self.inner, &out).await))
    }

    /// The user opens an invite link: joins, or files a join request (delivered as
    /// `chat_join_request` to admin bots that may invite users).
    pub async fn use_invite_link(&self, user: &SimUser, link: &str) -> Result<JoinOutcome, SimError> {
        let (requested, out): (bool, Vec<Outgoing>) = {
            let mut st = self.inner.lock();
            st.users.entry(user.id).or_insert_with(|| user.clone());
            let Some(chat_id) = st.link_index.get(link).copied() else {
                return Ok(JoinOutcome::Refused("INVITE_HASH_INVALID".into()));
            };
            let t = now();
            let chat = st.chats.get_mut(&chat_id).ok_or(SimError::UnknownChat(chat_id))?;
            let status = chat.members.get(&user.id).copied().unwrap_or(Status::Left);
            let Some(l) = chat.links.get_mut(link) else {
                return Ok(JoinOutcome::Refused("INVITE_HASH_INVALID".into()));
            };
            let refusal = if l.is_revoked || l.expire_date.is_some_and(|d| d <= t) {
                Some("INVITE_HASH_EXPIRED")
            } else if l.member_limit.is_some_and(|m| l.joined >= m) {
                Some("USERS_TOO_MUCH")
            } else if matches!(status, Status::Kicked { .. }) {
                Some("USER_BANNED_IN_CHANNEL")
            } else if matches!(status, Status::Member | Status::Owner) {
                Some("USER_ALREADY_PARTICIPANT")
            } else {
                None
            };
            if let Some(r) = refusal {
                return Ok(JoinOutcome::Refused(r.into()));
            }
            let request = l.creates_join_request;
            let already_pending = chat.requests.contains_key(&user.id);
            if request && !already_pending {
                l.pending += 1;
            } else if !request {
                l.joined += 1;
            }
            let l = l.clone();
            if request {
                chat.requests.insert(user.id, JoinRequest { link: Some(link.to_owned()), date: t });
                let admins: Vec<i64> = chat
                    .bots
                    .iter()
                    .filter(|(_, m)| matches!(m, BotMember::Admin(r) if r.can_invite_users))
                    .map(|(b, _)| *b)
                    .collect();
                let mut outs = Vec::new();
                for bot in admins {
                    let payload = json!({
                        "chat": st.chat_json(chat_id), "from": st.user_json(user.id),
                        "user_chat_id": user.id, "date": t, "invite_link": link_json(&st, &l),
                    });
                    if let Ok(o) = st.make_update(bot, "chat_join_request", payload) {
                        outs.push(o);
                    }
                }
                (true, outs)
            } else {
                chat.members.insert(user.id, Status::Member);
                let from = st.user_json(user.id);
                let link_v = Some(link_json(&st, &l));
                let outs = member_updates(&mut st, chat_id, user.id, (status, Status::Member), from, link_v, false);
                (false, outs)
            }
        };
        let deliveries = self.post_all(out).await;
        Ok(if requested { JoinOutcome::Requested(deliveries) } else { JoinOutcome::Joined(deliveries) })
    }

    /// The user leaves a chat on their own (`chat_member` to admin bots that asked for it).
    pub async fn leave_chat(&self, chat_id: i64, user: &SimUser) -> Result<Vec<Delivery>, SimError> {
        let out = {
            let mut st = self.inner.lock();
            let chat = st.chats.get_mut(&chat_id).ok_or(SimError::UnknownChat(chat_id))?;
            let old = chat.members.get(&user.id).copied().unwrap_or(Status::Left);
            if old != Status::Member {
                return Ok(Vec::new());
            }
            chat.members.insert(user.id, Status::Left);
            let from = st.user_json(user.id);
            member_updates(&mut st, chat_id, user.id, (old, Status::Left), from, None, false)
        };
        Ok(self.post_all(out).await)
    }

    pub(crate) async fn post_all(&self, out: Vec<Outgoing>) -> Vec<Delivery> {
        let mut res = Vec::with_capacity(out.len());
        for o in &out {
            res.push(delivery::post(&self.inner, o).await);
        }
        res
    }

    /// Builds one update for a bot under the lock.
    pub(crate) fn make_update(&self, bot_id: i64, kind: &str, payload: Value) -> Result<Outgoing, SimError> {
        self.inner.lock().make_update(bot_id, kind, payload)
    }
}
