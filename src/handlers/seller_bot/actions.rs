//! The callback-data grammar of a seller bot's buttons (besides `lang:xx`). Like the main
//! bot's, data only names a record; handlers check it belongs to this bot and user.

/// What a button in a seller bot asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Show what is for sale.
    Offer,
    /// Choose a chat to buy: shows the payment methods.
    Buy(i64),
    /// Pay for a chat by card: shows the card and waits for the receipt.
    PayByCard(i64),
    /// Pay for a chat through Payme: makes the order and gives the checkout link.
    PayByPayme(i64),
    /// Pay for a chat through Click: makes the order and gives the checkout link.
    PayByClick(i64),
    /// Pay for a chat through Uzum Bank: makes the order and gives the service link.
    PayByUzum(i64),
    /// Pay for a chat in Telegram Stars: makes the order and sends the invoice (a monthly
    /// chat: a subscription link).
    PayByStars(i64),
    /// A fresh personal invite link for the user's active subscriptions.
    FreshLink,
    /// Write to the seller.
    Support,
    /// Leave the current step.
    Cancel,
}

impl Action {
    /// The callback data.
    pub fn data(self) -> String {
        match self {
            Action::Offer => "offer".into(),
            Action::Buy(id) => format!("buy:{id}"),
            Action::PayByCard(id) => format!("pay:{id}:card"),
            Action::PayByPayme(id) => format!("pay:{id}:payme"),
            Action::PayByClick(id) => format!("pay:{id}:click"),
            Action::PayByUzum(id) => format!("pay:{id}:uzum"),
            Action::PayByStars(id) => format!("pay:{id}:stars"),
            Action::FreshLink => "link".into(),
            Action::Support => "support".into(),
            Action::Cancel => "x".into(),
        }
    }

    /// Reads callback data.
    pub fn parse(data: &str) -> Option<Action> {
        let parts: Vec<&str> = data.split(':').collect();
        Some(match parts.as_slice() {
            ["offer"] => Action::Offer,
            ["buy", id] => Action::Buy(id.parse().ok()?),
            ["pay", id, "card"] => Action::PayByCard(id.parse().ok()?),
            ["pay", id, "payme"] => Action::PayByPayme(id.parse().ok()?),
            ["pay", id, "click"] => Action::PayByClick(id.parse().ok()?),
            ["pay", id, "uzum"] => Action::PayByUzum(id.parse().ok()?),
            ["pay", id, "stars"] => Action::PayByStars(id.parse().ok()?),
            ["link"] => Action::FreshLink,
            ["support"] => Action::Support,
            ["x"] => Action::Cancel,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn actions_round_trip_and_junk_is_refused() {
        for action in [
            Action::Offer,
            Action::Buy(i64::MAX),
            Action::PayByCard(7),
            Action::PayByPayme(7),
            Action::PayByClick(7),
            Action::PayByUzum(7),
            Action::PayByStars(7),
            Action::FreshLink,
            Action::Support,
            Action::Cancel,
        ] {
            assert_eq!(Action::parse(&action.data()), Some(action));
        }
        for junk in ["", "buy", "buy:x", "pay:1:cash", "lang:uz", "c:1"] {
            assert_eq!(Action::parse(junk), None, "{junk}");
        }
    }
}
