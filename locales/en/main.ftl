# Shared
language-prompt = 🌐 Tilni tanlang · Choose your language · Выберите язык
language-saved = ✅ Language set to English.
error-generic = ⚠️ Something went wrong on our side. Please try again in a minute.
stale-button = This button is no longer active. Send /start to begin again.
unknown-command = I don't know that command. Send /start to open the menu.
banned-notice = ⛔ Your access to this bot has been restricted.
rate-limited = ⏳ Too many messages at once. Please slow down a little.

# Owner, in the main Getolog bot
owner-welcome = 👋 Welcome to Getolog, { $name }!
    Getolog sells paid access to your private channel or group through your own bot: customers pay, get a personal invite, and are removed when their period ends.
    Next step: connect your bot (create one with @BotFather and send me its token).

cancelled = ↩️ Cancelled.
nothing-to-cancel = There was nothing to cancel.
input-text-expected = Please send this as a text message, or press Cancel.
value-not-set = not set
input-not-a-command = ⚠️ I am waiting for your answer to the question above. Send it, or /cancel.
welcome-has-token = ⚠️ That text contains a bot token, which must stay secret. Send a welcome message without it.

# Buttons
button-back = ⬅️ Back
button-cancel = ✖️ Cancel
button-no = No
button-language = 🌐 Language
button-connect-bot = 🤖 Connect a bot
button-channels = 📢 Channel and group
button-settings = ⚙️ Selling settings
button-replace-token = 🔑 Replace token
button-disconnect = 🔌 Disconnect bot
button-yes-disconnect = Yes, disconnect
button-link = ✅ Link
button-ignore = ✖️ Ignore
button-price = 💰 Price
button-period = 📅 Period
button-currency = 💱 Currency
button-unlink = ❌ Unlink
button-yes-unlink = Yes, unlink
button-card = 💳 Card number
button-holder = 👤 Card holder
button-methods = 💸 Payment methods
button-welcome = 👋 Welcome message

# Owner's menu and bot
menu-no-bot = 🏠 Main menu
    You have no bot connected yet. Press "Connect a bot" to start.
menu-title = 🏠 Main menu
    Your bot: { $bot } — { $status }
health-alive = live ✅
health-dead = not answering ⚠️
health-revoked = token refused ⛔ (send a new token)
health-failed = stopped after errors 🛑
connect-first = Connect your bot first.
token-ask = 🤖 Connect your bot
    1. Open @BotFather and send /newbot (or /mybots to pick an existing bot).
    2. Copy the token it gives you: it looks like 123456789:AAH...
    3. Send the token here.
    Your token is stored encrypted and is never shown again.
token-ask-replace = 🔑 Send the new token of { $bot }.
    In @BotFather: /mybots → { $bot } → API Token → Revoke current token, then copy the new one here.
token-malformed = ⚠️ That does not look like a bot token. A token looks like 123456789:AAH... (digits, a colon, then letters). Send it again, or press Cancel.
token-platform = ⚠️ That is Getolog's own token. Send the token of your bot, created with @BotFather.
token-refused = ⚠️ Telegram refused this token: it is wrong or was revoked. Copy the current token from @BotFather and send it again.
token-telegram-unavailable = ⚠️ Telegram did not answer just now. Please send the token again in a minute.
token-taken = ⚠️ This bot is already registered on Getolog by someone else. Create your own bot with @BotFather.
token-second-bot = ⚠️ You already have { $bot } connected, and one owner has one bot. Disconnect it first (menu → { $bot } → Disconnect) to connect another.
bot-connected = ✅ { $bot } is live! Next: add it as an administrator of your channel and group (menu → Channel and group).
bot-renewed = ✅ { $bot } is live again with its new token.
bot-screen = 🤖 { $bot }
    Status: { $status }
disconnect-confirm = Disconnect { $bot }? It stops answering at once. Its channel, group, customers and payments are kept, and you can connect it again later.
bot-disconnected = 🔌 { $bot } is disconnected. Its data is kept; send its token again to reconnect.

# Channel and group
channels-howto = 📢 Channel and group
    Add { $bot } as an administrator of your private channel and/or group, with these rights: "Invite users via link" and "Ban users". I will ask you here to confirm each one.
channels-none = Nothing linked yet.
kind-channel = 📢 Channel
kind-group = 👥 Group
link-status-linked = linked ✅
link-status-pending = awaiting your confirmation ⏳
link-status-broken = link broken ⚠️ (the bot lost its rights)
link-status-unlinked = not linked
price-not-set = price not set (period: { $period })
period-lifetime = lifetime
period-months = { $count ->
    [one] { $count } month
   *[other] { $count } months
}
link-ask-channel = { $bot } is now an administrator of the channel «{ $title }». Sell access to this channel?
link-ask-group = { $bot } is now an administrator of the group «{ $title }». Sell access to this group?
link-done = ✅ «{ $title }» is linked. Now set its price and period.
link-ignored = «{ $title }» was not linked.
link-already = ⚠️ You already sell «{ $title }» of this kind. Unlink it first to link another.
link-missing-rights = ⚠️ The bot is an administrator of «{ $title }» but is missing these rights:
    { $details }
    Give them in the chat's administrator settings; I will ask again.
link-broken-rights = ⚠️ { $bot } lost rights in «{ $title }», so nobody can be let in or removed there:
    { $details }
    Give the rights back and the link is restored.
link-broken-removed = ⚠️ { $bot } was removed from «{ $title }» or is no longer an administrator there. Selling it is paused until you make the bot an administrator again.
link-restored = ✅ { $bot } has its rights in «{ $title }» again: the link is restored.
link-not-admin = { $bot } was added to «{ $title }» as a plain member. To sell access there, make it an administrator with the rights "Invite users via link" and "Ban users".
right-invite-users = Invite users via link
right-restrict-members = Ban users
unlink-confirm = Unlink «{ $title }»? New customers can no longer buy it; current subscriptions run until they end.
unlinked = «{ $title }» is unlinked.
price-ask = 💰 Send the price of one period of «{ $title }» in { $currency }, for example: 50 000
price-saved = ✅ Saved: { $terms }.
terms-saved = ✅ Saved.
period-choose = 📅 How long does one payment give access to «{ $title }»?
currency-choose = 💱 Currency of «{ $title }»:
price-error-empty = ⚠️ Send a number, for example: 50 000
price-error-not-a-number = ⚠️ That is not a price I can read. Write digits only, for example 50 000 or 50000.50.
price-error-decimals = ⚠️ A price has at most 2 digits after the decimal point.
price-error-not-positive = ⚠️ The price must be more than zero.
price-error-too-large = ⚠️ That price is too large (at most 9 999 999 999.99).

# Selling settings
settings-screen = ⚙️ Selling settings
    Card number: { $card }
    Card holder: { $holder }
    Payment methods: { $methods }
    Own welcome message: { $welcome }
welcome-all-default = none (standard text)
method-card = Card transfer
methods-screen = 💸 Payment methods your customers can use. More methods are coming.
methods-keep-one = At least one payment method must stay on.
card-ask = 💳 Send the card number customers should pay to (16 or 19 digits).
card-saved = ✅ Card number saved.
card-error-not-digits = ⚠️ A card number has digits only (spaces are fine).
card-error-length = ⚠️ A card number has 16 or 19 digits.
card-error-checksum = ⚠️ This card number is not valid: please check for a typo.
holder-ask = 👤 Send the card holder's name, as on the card.
holder-saved = ✅ Card holder saved.
holder-error-length = ⚠️ The name must be 2 to 64 characters long.
holder-error-characters = ⚠️ The name may contain letters, spaces, dots, hyphens and apostrophes only.
welcome-screen = 👋 The message customers see after choosing their language.
welcome-default-marker = (standard text)
welcome-ask = ✏️ Send the welcome message in { $language }. The standard one is:
    { $details }
welcome-saved = ✅ Welcome message saved.
welcome-reset = ↩️ Back to the standard welcome message.
welcome-too-long = ⚠️ That is too long: at most { $count } characters.

# Owner: payments, customers, notifications
button-approve = ✅ Approve
button-reject = ❌ Reject
button-reject-typed = ✍️ Another reason
button-notice-new = New customers
button-notice-joins = Customers joining
review-caption = 🧾 Payment #{ $id } awaits your review
    Customer: { $name }
    For: { $title }
    Bot: { $bot }
    Check that the money arrived, then approve or reject.
review-caption-again = 🧾 Receipt { $count } for payment #{ $id } (the customer sent another one)
    Customer: { $name }
    For: { $title }
    Bot: { $bot }
review-approved = ✅ Approved
review-rejected = ❌ Rejected: { $details }
review-rejected-short = ❌ Rejected
review-rejected-typed = ❌ Payment #{ $id } rejected; the customer has been told.
review-already-approved = This payment was already approved.
review-already-rejected = This payment was already rejected.
review-link-failed = ⚠️ The payment is approved, but the bot could not create an invite link for «{ $title }». Check that it is still an administrator with the "Invite users via link" right; the customer can then get a link with the "Get my link" button.
reject-reason-amount = The amount does not match the price
reject-reason-unreadable = The receipt cannot be read
reject-reason-not-received = The payment has not arrived
reject-reason-ask = ✍️ Type the reason for rejecting payment #{ $id }; the customer will read it.
owner-new-customer = 👤 New customer in { $bot }: { $name }
owner-joined = 🎉 { $name } joined { $title }.
owner-foreign-join = ⚠️ { $name } tried to join { $title } with the personal link of { $owner }. The request was declined.
owner-not-ready = ⚠️ A customer opened { $bot }, but it cannot sell yet:
    { $details }
    Fix this in the menu of this bot; customers are told to come back later.
missing-linked = no channel or group is linked
missing-price = «{ $title }» has no price
missing-card = no card number for payments
missing-holder = no card holder name
button-reply = ↩️ Reply
support-to-owner = 💬 Message from { $name } in { $bot }:
support-reply-ask = ↩️ Type your answer to { $name } (text or a photo).
support-reply-sent = ✅ Your answer was sent to { $name }.
button-customers = 👥 Customers
button-search = 🔍 Search
button-ban = 🚫 Ban
button-unban = ✅ Unban
button-grant = 🎁 Grant access
customers-title = 👥 Customers of { $bot }: { $count }
customers-found = 🔍 Found among the customers of { $bot }: { $count }
customers-search-ask = 🔍 Send a name, @username or Telegram id to search for.
customer-card = 👤 { $name }
    Language: { $language }
customer-banned-mark = 🚫 Banned
customer-subscriptions = Access:
customer-payments = Recent payments:
customer-none = —
customer-banned = 🚫 Banned: removed from your channel and group.
customer-unbanned = ✅ Unbanned.
customer-is-banned = Unban this customer first.
grant-choose-chat = 🎁 Grant { $name } access to:
grant-choose-period = 🎁 For how long should { $name } get { $title }?
grant-done = 🎁 Access granted; the customer got their invite link.

# End user, in a seller bot
seller-command-start = Start and choose language
seller-welcome-default = 👋 Hello, { $name }! This is { $bot }. Here you can buy access to our private channel and group.

platform-advert = 🤖 This shop runs on Getolog: sell access to your own channel with { $bot }
shop-offer = 🛒 Access you can buy:
shop-access-until = you have access until { $details }
shop-access-lifetime = you have lifetime access
shop-not-ready = 🙏 Sales are not open yet. Please come back a little later.
button-buy = Buy { $title }
button-renew = Renew { $title }
button-fresh-link = 🔗 Get my invite link
button-buy-again = 🛒 Buy again
shop-choose-method = How would you like to pay for { $title }?
shop-card-details = 💳 { $title }
    Transfer exactly { $details } to this card:
    { $card }
    Holder: { $holder }
    Then send the receipt here as a photo or a file.
shop-receipt-expected = 🧾 Please send the receipt as a photo or a file (a screenshot of the transfer), or press Cancel.
shop-receipt-received = 🧾 Receipt received. Payment #{ $id } is being checked; you will get a message here as soon as it is.
shop-receipt-again = 🧾 We have this receipt already: payment #{ $id } is being checked; you will get a message here as soon as it is.
shop-choose-first = To pay, first choose what you are buying.
payment-approved-link = ✅ Payment #{ $id } approved! { $title }: { $details }.
    Your personal invite link: { $link }
    Open it and press "Request to join": you are let in at once. The link works only for you.
payment-approved-renewal = ✅ Payment #{ $id } approved! { $title } is extended: { $details }.
payment-approved-no-link = ✅ Payment #{ $id } approved! { $title }: { $details }. Your invite link will come shortly; you can also press "Get my invite link" later.
payment-rejected = ❌ Payment #{ $id } was not accepted. Reason: { $details }
    If you think this is a mistake, send a new receipt or contact the seller.
access-until = access until { $details }
access-lifetime = lifetime access
access-fresh-link = 🔗 { $title }: your new personal link { $link }
access-already-in = ✅ You are already in { $title }.
access-link-failed = ⚠️ A link for { $title } cannot be made right now; the seller has been told. Please try again later.
access-none = You have no active access yet.
button-support = 💬 Write to the seller
support-ask = 💬 Write your message to the seller (text or a photo). The answer will come here.
support-sent = ✉️ Sent to the seller. The answer will come here.
support-from-seller = 💬 Answer from the seller:

# Alerts to moderators
alert-owner-registered = 🆕 New owner registered: { $name } (id { $id }).
alert-bot-failed = 🛑 Bot { $bot } crashed { $restarts } times within { $window } and was stopped (state: failed). It is tried again in { $retry }, then less and less often while it keeps failing.
alert-update-dropped = ⚠️ Bot { $bot } crashed 3 times on update { $id }; the update was dropped so the bot can go on. Details are in the logs and Sentry.
alert-digest = 📣 { $count } platform alerts:
    { $details }

# Scheduler: end of access, warnings, plans, bot health
access-ending = ⏳ Your access to { $chat } ends on { $date } ({ $days ->
    [one] in { $days } day
   *[other] in { $days } days
}). Renew now: the new period starts where the current one ends.
access-ended = ⌛ Your access to { $chat } ended on { $date }. Renew whenever you like to come back.
owner-access-removed = ⌛ { $user } was removed from { $chat }: the paid period ended.
owner-access-ended = ⌛ { $user }'s access to { $chat } ended (they were no longer there).
owner-removal-needs-rights = ⚠️ Your bot cannot remove members whose period ended from { $chat } ({ $count } waiting, first: { $user }): it needs the "Ban users" right there. Give it back; removals resume on the next run.
owner-removal-no-access = ⚠️ Your bot cannot reach { $chat } to remove members whose period ended ({ $count } waiting, first: { $user }): it is no longer an administrator there. Add it back as an administrator; removals resume on the next run.
owner-removal-stuck = ⚠️ { $user } could not be removed from { $chat } yet: Telegram keeps failing ({ $failures } attempts). Getolog keeps trying, less often; nothing for you to do unless it persists.
owner-removal-token-revoked = ⚠️ Customers whose paid period ended are still in { $chat }: { $count }. Your bot cannot remove them while Telegram refuses its token. Send the new token (🤖 → 🔑 Replace token) and removals resume on the next run.
access-renewed-rejoin = ✅ Your renewal of { $chat } arrived just as your previous period ended, so you were let out for a moment. Your access runs on; come back with your personal link: { $link }
plan-ending = ⏳ Your Getolog plan ({ $plan }) ends on { $date } ({ $days ->
    [one] in { $days } day
   *[other] in { $days } days
}). After that your seller bot shows the Getolog advert again.
plan-expired = ℹ️ Your Getolog plan ({ $plan }) has ended: you are on the Free plan now, and your seller bot shows the Getolog advert again.
owner-bot-revoked = 🔑 Telegram no longer accepts the token of { $bot }, so it has stopped. Open @BotFather, take the bot's current token (or /revoke to make a new one) and send it here: the bot comes back with all its data.
owner-bot-failed = ⚠️ Your bot { $bot } ran into repeated errors and is paused. Getolog starts it again in { $retry } by itself, and customers whose period ended are still removed meanwhile. Our team has been told. If it keeps happening, check in @BotFather that the bot still exists, and send its token again (🤖 → 🔑 Replace token).
alert-bot-revoked = 🔑 Bot { $bot }: token revoked; stopped until its owner sends a new one.
alert-bot-dead = 💀 Bot { $bot } did not answer { $failures } health checks in a row (state: dead).
alert-bot-recovered = 💚 Bot { $bot } answers again (state: alive).
alert-removals-blocked = 🚫 Bot { $bot } cannot remove customers whose period ended from { $chat }: { $cause }. Its owner has been told; removals resume by themselves once it is fixed.
removal-cause-rights = it lacks the "Ban users" right
removal-cause-no_access = it is not an administrator there (or the chat is gone)
removal-cause-token = Telegram refuses its token
removal-cause-failing = Telegram keeps failing
alert-plan-ending = ⏳ Owner { $name } (id { $id }): plan ends on { $date } ({ $days ->
    [one] { $days } day left
   *[other] { $days } days left
}).
alert-plan-expired = ℹ️ Owner { $name } (id { $id }): plan ended; back on Free.

# Platform plans (owner)
button-plan = ⭐ Plan
plan-current-paid = ⭐ Your plan: { $plan }, until { $date }.
plan-current-free = ⭐ Your plan: Free.
plan-explained = On Free everything works, and your seller bot shows a short Getolog advert on its language screen. A paid plan removes the advert. Choose a plan:
plan-unavailable = ⚠️ Plans cannot be bought right now: the platform's card is not set. Please try again later.
plan-pay = 💳 { $plan } costs { $amount }.
    Transfer exactly { $amount } to the card
    { $card }
    { $holder }
    and send the receipt here as a photo or a file. A moderator checks it.
plan-receipt-expected = 🧾 Please send the receipt as a photo or a file (or /cancel).
plan-receipt-received = ✅ Receipt received (plan payment #{ $id }). A moderator will check it soon; you will get a message here.
plan-approved = 🎉 Your plan { $plan } is active until { $date }. The Getolog advert is gone from your seller bot.
plan-rejected = ❌ Your plan payment #{ $id } was not accepted: { $details }
plan-granted = 🎁 A moderator gave you the plan { $plan }: it runs until { $date }.
plan-paid = 🎉 { $provider } payment #{ $id } received: your plan { $plan } is active until { $date }. The Getolog advert is gone from your seller bot.
plan-paid-moderator = 💳 Plan payment #{ $id }: { $name } paid { $amount } for { $plan } through { $provider }. Nothing to review.
plan-refunded = ↩️ Plan payment #{ $id } ({ $provider }) was refunded. { $details }
plan-refund-shortened = Your paid plan now ends on { $date }.
plan-refund-ended = Your paid plan has ended: the expiry puts you back on Free shortly.
plan-refunded-moderator = ↩️ Plan payment #{ $id } ({ $provider }) from { $name } was refunded: { $amount } for { $plan }.
plan-pay-through = Or pay in one tap, with no receipt to send:
plan-pay-open = 💳 Pay { $amount } with { $provider }
plan-order-failed = ⚠️ That payment could not be prepared. Please try again in a moment.
plan-price = 💳 { $plan } costs { $amount }.
plan-pay-tap = Pay in one tap; the plan starts as soon as the payment is confirmed.
plan-checkout = 💳 { $plan } — { $amount }, plan order #{ $id }. Press the button to pay with { $provider }: the plan starts as soon as { $provider } confirms the payment, and you get a message here.
shop-closed = ⛔ This shop is closed for now. Please come back later.

# Moderator panel
command-start = Start and choose language
command-menu = Main menu
command-plan = Your Getolog plan
command-cancel = Leave the current question
command-panel = Moderator panel
button-dashboard = 📊 Dashboard
button-owners = 👥 Owners
button-payments = 💳 Payments
button-grant-plan = 🎁 Grant a plan
button-plan-payments = ⭐ Plan payments
button-end-user-payments = 💳 Customer payments
period-today = Today
period-week = 7 days
period-month = 30 days
period-all = All time
status-all = All
status-pending = Pending
status-approved = Approved
status-rejected = Rejected
status-refunded = Refunded
dashboard = 📊 Dashboard — { $period }
    Owners: { $owners } (new: { $new_owners })
    Bots: { $bots }
    Customers: { $end_users } (new: { $new_end_users })
    Customer payments: { $payments }
    Approved: { $approved }
    Approved by method: { $methods }
    Plan revenue: { $plan_revenue } ({ $plan_methods })
    Owners per plan: { $plans }
owners-title = 👥 Owners: { $count } (page { $page })
owners-found = 🔍 Owners found: { $count }
owners-search-ask = 🔍 Type an @username, a name or a Telegram id.
owner-card = 👤 { $name }
    Bot: { $bot }
    { $plan }
    Customers: { $count }
    Approved revenue: { $amount }
    Recent payments:
    { $details }
owner-card-no-bot = no bot connected
owner-ban-done = Owner banned
owner-unban-done = Owner unbanned
owner-banned-by-moderator = ⛔ Your Getolog account was suspended by a moderator: your seller bot no longer sells. Existing subscriptions run to their end.
owner-unbanned-by-moderator = ✅ Your Getolog account is active again: your seller bot sells again.
grant-plan-ask = 🎁 Which plan to grant? It starts now or extends the running one.
grant-plan-done = Plan granted
plan-review-caption = 🧾 Plan payment #{ $id }
    Owner: { $name }
    Plan: { $plan }
    Amount: { $amount }
plan-review-approved = Approved
plan-review-rejected = Rejected
plan-decided-approved = ✅ Approved by { $name }
plan-decided-rejected = ❌ Rejected by { $name }
plan-reject-reason-ask = ✍️ Type the reason for rejecting plan payment #{ $id }; the owner will read it.
review-already-decided = Another moderator has already decided this payment
payments-end-users-title = 💳 Customer payments: { $count }
    { $details }
payments-plans-title = ⭐ Plan payments: { $count }
    { $details }
payments-none = none

# Owner statistics
command-stats = Your statistics
button-stats = 📈 Statistics
button-stats-chart = 📊 Chart, 30 days
button-export-payments = ⬇️ Payments CSV
button-export-subscribers = ⬇️ Subscribers CSV
stats-no-bot = Connect a bot first: statistics are about its sales.
stats-title = 📈 Statistics — { $period }
stats-chat = { $chat }
    Payments: { $payments }
    Revenue: { $revenue }
    New subscribers: { $new } · renewals: { $renewals } · active now: { $active }
stats-total = Σ Total
    Payments: { $payments }
    Revenue: { $revenue }
    New subscribers: { $new } · renewals: { $renewals } · active now: { $active }
    New customers in the bot: { $customers }
    By method: { $methods }
chart-owner-title = Revenue and new subscribers per day
chart-revenue = Revenue, { $currency }
chart-new-subscribers = New subscribers
chart-caption = 📊 { $details }
export-caption = ⬇️ CSV (UTF-8, comma-separated)
stats-report-failed = ⚠️ The report could not be made. We have been told; please try again later.
button-reports = 📈 Reports
button-export-owners = ⬇️ Owners CSV
button-export-plan-payments = ⬇️ Plan payments CSV
reports-title = 📈 Reports: the last 30 days as a chart, and everything as CSV.
chart-platform-title = New owners and plan revenue per day
chart-new-owners = New owners

# A review copy acts only on the version of the payment it showed.
review-changed = This payment changed after this copy was sent; nothing was done. Review the newest copy.
review-outdated = Payment #{ $id }: the customer sent a newer receipt, shown in a newer message. This copy can no longer be approved or rejected.
plan-review-outdated = Plan payment #{ $id }: the owner sent a newer receipt, shown in a newer message. This copy can no longer be approved or rejected.
# A grant button grants once.
grant-already-done = Already granted by this button; nothing more was done.

## Automatic payments (Payme, Click, Uzum)
owner-paid = 💳 { $provider } payment #{ $id } in { $bot }: { $amount } from { $name } for { $title }. Access is granted.
customer-refunded = ↩️ Payment #{ $id } ({ $provider }) was refunded. { $details }
owner-refunded = ↩️ { $provider } payment #{ $id } in { $bot } was refunded: { $amount } from { $name } for { $title }. { $details }
refund-shortened = Access to { $title } now ends on { $date }.
refund-ended = Access to { $title } has ended.
method-payme = 💳 Payme
button-pay-payme = 💳 Pay with Payme
shop-payme = { $title }
    Order #{ $id }. Press the button to pay in Payme; your personal invite link comes here within seconds of paying.
payme-bad-merchant-id = ❌ That is not a Payme cashbox id: it is 24 characters, letters a–f and digits, as shown in the Payme Business cabinet.
payme-bad-key = ❌ That is not a Payme key: copy it whole from the cashbox's settings in Payme Business (no spaces).
value-set = set
button-payme = 💳 Payme
payme-screen = 💳 Payme: customers pay in one tap, straight into your Payme Business cashbox.
    Cashbox id: { $id }
    Production key: { $key }
    Test key: { $test }
    In use: { $mode }
payme-endpoint = In Payme Business → your cashbox → Settings, paste this as the Endpoint URL:
    { $url }
payme-mode-test = test key (sandbox checkout)
payme-mode-live = production key
payme-ask-cashbox = Send your Payme cashbox id (24 characters, from Payme Business → your cashbox → Developers).
payme-ask-key = Send the cashbox's production key. The message is deleted at once and the key is stored encrypted.
payme-ask-test-key = Send the cashbox's test key (for the sandbox). The message is deleted at once and the key is stored encrypted.
button-payme-cashbox = 🆔 Cashbox id
button-payme-key = 🔑 Production key
button-payme-test-key = 🧪 Test key
button-payme-use-test = 🧪 Use the test key
button-payme-use-live = 🔑 Use the production key
method-click = 💠 Click
button-pay-click = 💠 Pay with Click
shop-click = { $title }
    Order #{ $id }. Press the button to pay in Click; your personal invite link comes here within seconds of paying.
click-bad-id = ❌ That is not a Click id: it is a whole number, as shown in the Click merchant cabinet.
click-bad-secret = ❌ That is not a Click secret key: copy it whole from the Click merchant cabinet (no spaces).
provider-status = Status: { $status }
provider-status-on = ✅ offered to customers
provider-status-off = ⬜ not offered
provider-saved = ✅ Saved.
provider-incomplete = Set every value first.
provider-disconnect-confirm = Disconnect { $provider }? Every value, keys included, is erased; customers will no longer be offered { $provider }.
button-provider-on = ✅ Offer to customers
button-provider-off = ⬜ Stop offering
button-provider-disconnect = 🗑 Disconnect
button-provider-disconnect-yes = 🗑 Yes, disconnect
button-click = 💠 Click
click-screen = 💠 Click: customers pay in one tap, straight into your Click merchant account.
    service_id: { $service }
    merchant_id: { $merchant }
    merchant_user_id: { $user }
    Secret key: { $key }
click-endpoints = In the Click merchant cabinet, set these as the service's URLs:
    Prepare: { $prepare }
    Complete: { $complete }
click-ask-service = Send your Click service_id (a number, from the Click merchant cabinet).
click-ask-merchant = Send your Click merchant_id (a number).
click-ask-merchant-user = Send your Click merchant_user_id (a number).
click-ask-secret = Send the service's secret key. The message is deleted at once and the key is stored encrypted.
button-click-service = service_id
button-click-merchant = merchant_id
button-click-user = merchant_user_id
button-click-secret = 🔑 Secret key
method-manual = Granted by hand
method-uzum = 🟣 Uzum Bank
button-pay-uzum = 🟣 Pay in Uzum Bank
shop-uzum = { $title }
    Order #{ $id }. Press the button to pay in the Uzum Bank app; your personal invite link comes here within seconds of paying.
button-uzum = 🟣 Uzum Bank
uzum-screen = 🟣 Uzum Bank: customers pay in the Uzum Bank app, straight into your merchant account.
    serviceId: { $service }
    Login: { $login }
    Password: { $key }
uzum-endpoint = Give your Uzum manager this webhook address (Uzum calls …/check, …/create, …/confirm, …/reverse and …/status under it) with the login and password above:
    { $url }
uzum-ask-service = Send your Uzum serviceId (a number, from your agreement with Uzum Bank).
uzum-ask-login = Send the login agreed with Uzum for its calls.
uzum-ask-password = Send the password agreed with Uzum. The message is deleted at once and the password is stored encrypted.
button-uzum-service = serviceId
button-uzum-login = 👤 Login
button-uzum-password = 🔑 Password
uzum-bad-login = ❌ That is not a login: up to 128 characters, without spaces or colons.
uzum-bad-password = ❌ That is not a password: 8 to 128 characters, without spaces.

## One-tap shop bots (managed bots)
button-create-bot = 🤖 Create my shop bot
button-reissue-token = 🔑 Issue a new token
create-bot-offer = 🤖 Tap «Create my shop bot» below. Telegram opens a short form with a name and a username already filled in: change them if you like, then confirm. Your new bot connects to Getolog by itself, with no token to copy.
managed-bot-stranger = 👋 Your bot { $bot } was created, but only Getolog owners can connect one here. Send /start and choose your language, then press «Connect a bot» and send the token of { $bot } (@BotFather → /mybots → { $bot } → API Token).
reissue-not-managed = ⚠️ This bot was not created through Getolog, so Getolog cannot issue its token. Take its current token from @BotFather and send it here.
owner-bot-revoked-managed = 🔑 Telegram no longer accepts the token of { $bot }, so it has stopped. Press «Issue a new token»: Getolog gets a new one from Telegram and the bot comes back with all its data.

# Telegram Stars
method-stars = ⭐ Telegram Stars
button-stars-price = ⭐ Price in Stars
button-stars-clear = ✖️ Not for Stars
stars-price-ask = ⭐ Send the price of { $title } in Telegram Stars: a whole number from 1 to 10 000. A 1-month chat is sold as a subscription Telegram renews every 30 days; longer periods are paid once. Switch Stars on in ⚙️ Selling settings → 💸 Payment methods.
stars-price-not-whole = The price in Stars must be a whole number, for example 250.
stars-price-range = Telegram takes 1 to 10 000 Stars per payment.
stars-invoice-description = Access to { $title }: { $terms }
shop-stars-subscribe = { $title }
    Order #{ $id }. Subscribe with the button: Telegram charges the Stars every 30 days until you cancel, and your personal invite link comes here after the first payment.
button-stars-subscribe = ⭐ Subscribe: { $stars } Stars a month
stars-declined-stale = This invoice is no longer valid. Open the shop again with /start.
stars-declined-not-sold = This chat is no longer sold for Stars.
stars-declined-price = The price has changed since this invoice. Open the shop again with /start.
stars-sub-canceled = Your Stars subscription to { $title } will not renew. Your access runs until { $date }.
stars-sub-active = Your Stars subscription to { $title } renews again. It is paid until { $date }.
stars-sub-failed = Telegram could not renew your Stars subscription to { $title }. Your access runs until { $date }; subscribe again with /start to keep it.
button-stars-refund = ↩️ Refund #{ $id } ({ $stars } ⭐)
button-stars-stop = ⏹ Stop the Stars subscription renewing
button-yes-refund = Yes, refund
button-yes-stop = Yes, stop renewal
stars-refund-confirm = Refund Stars payment #{ $id } ({ $stars } ⭐)? The Stars go back to the customer and what this payment gave is withdrawn.
stars-stop-confirm = Stop this Stars subscription from renewing? The customer keeps access until the end of what was paid.
stars-refunded = ↩️ Payment #{ $id } refunded.
stars-stopped = ⏹ The subscription will not renew.
stars-call-failed = Telegram did not accept this right now. Please try again in a minute.
access-renews = 🔄 Your Stars subscription to { $chat } renews on { $date }: Telegram charges it by itself, nothing to do. To stop it, cancel it in Telegram's settings → My Stars.
owner-stars-mismatch = ⚠️ Telegram Stars of { $bot } do not match Getolog's records. Charged by Telegram but not granted: { $unrecorded }. Granted but not charged: { $unknown }. Refunded on one side only: { $refunds }. The moderators were told and will look into it.
alert-stars-mismatch = ⚠️ Stars mismatch in { $bot }: { $unrecorded } charged but not granted, { $unknown } granted but not charged, { $refunds } refunds on one side only.
panel-stars-payment = ⭐ Stars payment #{ $id }: { $stars } XTR, { $status }
    { $name } in { $bot }, { $title }, { $date }
    { $renewal }
stars-renews-until = 🔄 Renews monthly; paid until { $date }.
stars-ends-on = Not renewing; access runs until { $date }.
stars-one-off = Paid once (no subscription).
button-stars-panel-refund = ↩️ Refund these Stars
stats-stars-subscriptions = ⭐ Stars subscriptions: { $canceled } cancelled, { $failed } failed renewals, { $active } re-enabled
stars-sub-stopped = The seller stopped your Stars subscription to { $title } renewing. Your access runs until { $date }, and nothing more will be charged.
