//! Button presses in the main bot. Each returns an optional toast (the callback answer)
//! and the effects. A button naming something the presser does not own, or something that
//! has moved on since the button was drawn, only gets the polite "no longer active" toast.

use super::{
    actions::{Action, Notice},
    screens::{Screen, Target},
    typing::{save_setting, Step},
    Session,
};
use crate::{
    db::{
        bot_settings::SettingChange,
        channels::{self, Channel, Terms},
        owners::{self, OwnerNotice},
    },
    handlers::{keyboards, Button, Effect, HandlerError},
    services::{
        self,
        channels::{LinkError, Right},
    },
};

type Pressed = (Option<String>, Vec<Effect>);

/// Carries out one pressed button.
pub async fn on_action(session: &Session<'_>, action: Action, target: Target) -> Result<Pressed, HandlerError> {
    let shown = |screen: Screen| Ok((None, vec![screen.show(target)]));
    match action {
        Action::Menu => {
            session.clear_step().await?;
            shown(session.menu_screen().await?)
        }
        Action::Cancel => {
            session.clear_step().await?;
            shown(session.menu_screen().await?.with_notice(session.t("cancelled")))
        }
        Action::Language => {
            let rows = keyboards::language_keyboard().0;
            shown(Screen { text: session.t("language-prompt"), rows })
        }
        Action::Bot | Action::AskToken => {
            let bot = session.bot().await?;
            match (&action, &bot) {
                (Action::Bot, Some(bot)) => shown(session.bot_screen(bot)),
                _ => {
                    session.set_step(&Step::Token).await?;
                    shown(session.ask_token(bot.as_ref()))
                }
            }
        }
        Action::Disconnect => match session.bot().await? {
            Some(bot) => shown(session.confirm_disconnect(&bot)),
            None => Ok(stale(session)),
        },
        Action::DisconnectConfirmed => {
            let (ctx, owner_id) = (session.ctx, session.owner.id);
            match ctx.platform.disconnect_bot(owner_id).await? {
                Some(username) => {
                    let notice = session.ta("bot-disconnected", &[("bot", &format!("@{username}"))]);
                    shown(session.menu_screen().await?.with_notice(notice))
                }
                None => Ok(stale(session)),
            }
        }
        Action::Channels => channels_screen(session, None, target).await,
        Action::Settings => match session.bot().await? {
            Some(bot) => shown(session.settings_screen(&bot)),
            None => shown(session.menu_screen().await?.with_notice(session.t("connect-first"))),
        },
        Action::AskCard => ask(session, Step::Card, session.t("card-ask"), target).await,
        Action::AskHolder => ask(session, Step::Holder, session.t("holder-ask"), target).await,
        Action::Welcome => match session.bot().await? {
            Some(bot) => shown(session.welcome_screen(&bot)),
            None => Ok(stale(session)),
        },
        Action::AskWelcome(lang) => {
            let default = session.ctx.app.i18n.tr(lang, "seller-welcome-default", &[]);
            let text = session.ta("welcome-ask", &[("language", lang.label()), ("details", &default)]);
            ask(session, Step::Welcome { lang }, text, target).await
        }
        Action::ResetWelcome(lang) => {
            let Some(bot) = session.bot().await? else { return Ok(stale(session)) };
            let mut texts = bot.welcome_message.clone();
            if let Some(map) = texts.as_object_mut() {
                map.remove(lang.code());
            }
            let saved = save_setting(session, SettingChange::Welcome(texts), "welcome-reset").await?;
            Ok((None, saved.into_iter().map(|e| retarget(e, target)).collect()))
        }
        Action::Methods => match session.bot().await? {
            Some(bot) => shown(session.methods_screen(&bot)),
            None => Ok(stale(session)),
        },
        Action::Provider(action) => super::providers::on_action(session, action, target).await,
        Action::SetMethod(method, on) => {
            let Some(bot) = session.bot().await? else { return Ok(stale(session)) };
            let mut methods: Vec<String> = bot.methods().filter(|m| *m != method).map(str::to_owned).collect();
            if on {
                methods.push(method.to_owned());
            }
            if methods.is_empty() {
                return Ok((Some(session.t("methods-keep-one")), Vec::new()));
            }
            let mut conn = session.conn().await?;
            match crate::db::bot_settings::change(&mut conn, session.owner.id, SettingChange::Methods(methods)).await? {
                Some(bot) => shown(session.methods_screen(&bot)),
                None => Ok(stale(session)),
            }
        }
        Action::SetNotice(notice, on) => {
            let which = match notice {
                Notice::NewCustomers => OwnerNotice::NewEndUsers,
                Notice::Joins => OwnerNotice::Joins,
            };
            let owner = {
                let mut conn = session.conn().await?;
                owners::set_notice(&mut conn, session.owner.id, which, on).await?
            };
            let session = Session { ctx: session.ctx, owner, lang: session.lang, chat_id: session.chat_id };
            match session.bot().await? {
                Some(bot) => shown(session.settings_screen(&bot)),
                None => Ok(stale(&session)),
            }
        }
        chat_action => on_chat_action(session, chat_action, target).await,
    }
}

/// Buttons about one chat (channel or group) of the owner's bot.
async fn on_chat_action(session: &Session<'_>, action: Action, target: Target) -> Result<Pressed, HandlerError> {
    let shown = |screen: Screen| Ok((None, vec![screen.show(target)]));
    let id = match action {
        Action::Channel(id)
        | Action::Link(id)
        | Action::Unlink(id)
        | Action::UnlinkConfirmed(id)
        | Action::AskPrice(id)
        | Action::Periods(id)
        | Action::SetPeriod(id, _)
        | Action::Currencies(id)
        | Action::SetCurrency(id, _)
        | Action::AskStarsPrice(id)
        | Action::ClearStarsPrice(id) => id,
        _ => return Ok(stale(session)),
    };
    let mut conn = session.conn().await?;
    let Some(chat) = channels::find_for_owner(&mut conn, session.owner.id, id).await? else {
        return Ok(stale(session));
    };
    let sellable = matches!(chat.link_status.as_str(), "linked" | "broken");
    match action {
        Action::Link(id) => match services::channels::confirm_link(&mut conn, session.owner.id, id).await {
            Ok(chat) => {
                let notice = session.ta("link-done", &[("title", &chat.title)]);
                shown(session.channel_screen(&chat).with_notice(notice))
            }
            Err(LinkError::Stale) => Ok(stale(session)),
            Err(LinkError::MissingRights(missing)) => {
                let text = session
                    .ta("link-missing-rights", &[("title", &chat.title), ("details", &rights(session, &missing))]);
                shown(Screen { text, rows: vec![vec![back(session, Action::Channels)]] })
            }
            Err(LinkError::AlreadyLinked(other)) => {
                let text = session.ta("link-already", &[("title", &other)]);
                shown(session.channel_screen(&chat).with_notice(text))
            }
            Err(LinkError::Storage(e)) => Err(e.into()),
        },
        Action::Unlink(_) if chat.link_status == "pending" => {
            services::channels::unlink(&mut conn, session.owner.id, chat.id).await?;
            drop(conn);
            let notice = session.ta("link-ignored", &[("title", &chat.title)]);
            channels_screen(session, Some(notice), target).await
        }
        Action::Unlink(_) if sellable => {
            let text = session.ta("unlink-confirm", &[("title", &chat.title)]);
            let rows = vec![vec![
                session.button("button-yes-unlink", Action::UnlinkConfirmed(chat.id)),
                session.button("button-no", Action::Channel(chat.id)),
            ]];
            shown(Screen { text, rows })
        }
        Action::UnlinkConfirmed(_) if sellable => {
            services::channels::unlink(&mut conn, session.owner.id, chat.id).await?;
            drop(conn);
            let notice = session.ta("unlinked", &[("title", &chat.title)]);
            channels_screen(session, Some(notice), target).await
        }
        Action::Channel(_) if chat.link_status == "pending" => {
            let username = session.bot().await?.map(|b| b.bot_username).unwrap_or_default();
            shown(session.link_request(&chat, &username))
        }
        Action::Channel(_) if sellable => shown(session.channel_screen(&chat)),
        Action::AskPrice(_) if sellable => {
            drop(conn);
            let text = session.ta("price-ask", &[("title", &chat.title), ("currency", &chat.currency)]);
            ask(session, Step::Price { channel_id: chat.id }, text, target).await
        }
        Action::AskStarsPrice(_) if sellable => {
            drop(conn);
            let text = session.ta("stars-price-ask", &[("title", &chat.title)]);
            ask(session, Step::StarsPrice { channel_id: chat.id }, text, target).await
        }
        Action::ClearStarsPrice(_) if sellable => {
            let chat = channels::set_terms(&mut conn, chat.id, Terms::Stars(None)).await?;
            shown(session.channel_screen(&chat).with_notice(session.t("terms-saved")))
        }
        Action::Periods(_) if sellable => shown(session.periods_screen(&chat)),
        Action::Currencies(_) if sellable => shown(session.currencies_screen(&chat)),
        Action::SetPeriod(_, months) if sellable => {
            let chat = channels::set_terms(&mut conn, chat.id, Terms::Period(months)).await?;
            shown(session.channel_screen(&chat).with_notice(session.t("terms-saved")))
        }
        Action::SetCurrency(_, code) if sellable => {
            let chat = channels::set_terms(&mut conn, chat.id, Terms::Currency(code.to_owned())).await?;
            shown(session.channel_screen(&chat).with_notice(session.t("terms-saved")))
        }
        _ => Ok(stale(session)),
    }
}

async fn channels_screen(
    session: &Session<'_>,
    notice: Option<String>,
    target: Target,
) -> Result<Pressed, HandlerError> {
    let Some(bot) = session.bot().await? else {
        let screen = session.menu_screen().await?.with_notice(session.t("connect-first"));
        return Ok((None, vec![screen.show(target)]));
    };
    let chats: Vec<Channel> = {
        let mut conn = session.conn().await?;
        channels::list_for_bot(&mut conn, bot.id).await?
    };
    let screen = session.channels_screen(&bot, &chats);
    let screen = match notice {
        Some(notice) => screen.with_notice(notice),
        None => screen,
    };
    Ok((None, vec![screen.show(target)]))
}

/// Enters an input step and shows its prompt.
async fn ask(session: &Session<'_>, step: Step, text: String, target: Target) -> Result<Pressed, HandlerError> {
    if session.bot().await?.is_none() {
        return Ok(stale(session));
    }
    session.set_step(&step).await?;
    Ok((None, vec![session.prompt(text).show(target)]))
}

fn stale(session: &Session<'_>) -> Pressed {
    (Some(session.t("stale-button")), Vec::new())
}

fn back(session: &Session<'_>, to: Action) -> Button {
    session.button("button-back", to)
}

/// The names of missing rights, one per line.
pub fn rights(session: &Session<'_>, missing: &[Right]) -> String {
    missing.iter().map(|r| format!("• {}", session.t(r.message_key()))).collect::<Vec<_>>().join("\n")
}

/// A "new message" screen shown in place of the pressed message instead.
fn retarget(effect: Effect, target: Target) -> Effect {
    match (effect, target) {
        (Effect::Send { text, keyboard, .. }, Target::Edit { chat_id, message_id }) => {
            Effect::Edit { chat_id, message_id, text, keyboard }
        }
        (effect, _) => effect,
    }
}
