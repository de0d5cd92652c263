//! Telegram Stars on a customer's card: the owner refunds a Stars payment
//! (`refundStarPayment`) or stops a customer's subscription from renewing
//! (`editUserStarSubscription`), each after a confirmation. Every press acts only on a payment
//! or subscription of the presser's own bot (the calls are in `handlers::paid::stars`).

use super::{
    actions::Action,
    screens::{Screen, Target},
    Session,
};
use crate::{
    db::{payments::Payment, star_subscriptions as star_subs},
    handlers::{paid, Button, Effect, HandlerError},
    platform::StarsCallError,
    services::{input::format_amount, stars::METHOD},
};

type Pressed = (Option<String>, Vec<Effect>);

/// The Stars buttons of a customer's card: a refund for each approved Stars payment shown,
/// and "stop renewal" for each subscription that renews.
pub fn card_rows(
    session: &Session<'_>,
    payments: &[Payment],
    renewing: &[star_subs::StarSubscription],
) -> Vec<Vec<Button>> {
    let refunds = payments.iter().filter(|p| p.payment_method == METHOD && p.status == "approved").map(|p| {
        let label =
            session.ta("button-stars-refund", &[("id", &p.id.to_string()), ("stars", &format_amount(&p.amount))]);
        vec![Button { text: label, data: Action::RefundStars(p.id, false).data() }]
    });
    let stops = renewing
        .iter()
        .filter(|s| s.renews())
        .map(|s| vec![Button { text: session.t("button-stars-stop"), data: Action::StopRenewal(s.id, false).data() }]);
    refunds.chain(stops).collect()
}

/// A press on a Stars refund or renewal button.
pub async fn on_action(session: &Session<'_>, action: Action, target: Target) -> Result<Pressed, HandlerError> {
    let stale = || Ok((Some(session.t("stale-button")), Vec::new()));
    let Some(bot) = session.bot().await? else { return stale() };
    match action {
        Action::RefundStars(id, sure) => {
            let payment = {
                let mut conn = session.conn().await?;
                crate::db::payments::find(&mut conn, id).await?
            };
            let Some(payment) = payment.filter(|p| p.user_bot_id == bot.id && p.payment_method == METHOD) else {
                return stale();
            };
            let (Some(_), "approved") = (payment.provider_transaction.as_deref(), payment.status.as_str()) else {
                return stale();
            };
            if !sure {
                return Ok((
                    None,
                    vec![confirm(session, "stars-refund-confirm", &payment, Action::RefundStars(id, true)).show(target)],
                ));
            }
            if let Err(e) = paid::stars::refund(session.ctx, &payment).await? {
                return Ok(refused(session, &e));
            }
            Ok((Some(session.ta("stars-refunded", &[("id", &id.to_string())])), Vec::new()))
        }
        Action::StopRenewal(id, sure) => {
            let sub = {
                let mut conn = session.conn().await?;
                star_subs::find(&mut conn, id).await?
            };
            let Some(sub) = sub.filter(|s| s.user_bot_id == bot.id && s.renews()) else { return stale() };
            if !sure {
                let text = session.t("stars-stop-confirm");
                let rows = vec![vec![
                    session.button("button-yes-stop", Action::StopRenewal(id, true)),
                    session.button("button-no", Action::Customer(sub.end_user_id)),
                ]];
                return Ok((None, vec![Screen { text, rows }.show(target)]));
            }
            if let Err(e) = paid::stars::stop_renewal(session.ctx, &sub).await? {
                return Ok(refused(session, &e));
            }
            Ok((Some(session.t("stars-stopped")), Vec::new()))
        }
        _ => stale(),
    }
}

fn confirm(session: &Session<'_>, key: &str, payment: &Payment, yes: Action) -> Screen {
    let text = session.ta(key, &[("id", &payment.id.to_string()), ("stars", &format_amount(&payment.amount))]);
    let rows = vec![vec![
        session.button("button-yes-refund", yes),
        session.button("button-no", Action::Customer(payment.end_user_id)),
    ]];
    Screen { text, rows }
}

fn refused(session: &Session<'_>, e: &StarsCallError) -> Pressed {
    tracing::warn!(error = %e, "a Stars call was refused");
    (Some(session.t("stars-call-failed")), Vec::new())
}
