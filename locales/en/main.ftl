# Shared
language-prompt = 🌐 Tilni tanlang · Choose your language · Выберите язык
language-saved = ✅ Language set to English.
error-generic = ⚠️ Something went wrong on our side. Please try again in a minute.
stale-button = This button is no longer active. Send /start to begin again.
unknown-command = I don't know that command. Send /start to open the menu.
banned-notice = ⛔ Your access to this bot has been restricted.

# Owner, in the main Getolog bot
owner-welcome = 👋 Welcome to Getolog, { $name }!
    Getolog sells paid access to your private channel or group through your own bot: customers pay, get a personal invite, and are removed when their period ends.
    Next step: connect your bot (create one with @BotFather and send me its token).

# End user, in a seller bot
seller-welcome-default = 👋 Hello, { $name }! This is { $bot }. Here you can buy access to our private channel and group.

# Alerts to moderators
alert-owner-registered = 🆕 New owner registered: { $name } (id { $id }).
alert-bot-failed = 🛑 Bot { $bot } crashed { $restarts } times within { $window } and was stopped (state: failed).
alert-update-dropped = ⚠️ Bot { $bot } crashed 3 times on update { $id }; the update was dropped so the bot can go on. Details are in the logs and Sentry.
alert-digest = 📣 { $count } platform alerts:
    { $details }
