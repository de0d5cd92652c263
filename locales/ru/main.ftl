# Shared
language-prompt = 🌐 Tilni tanlang · Choose your language · Выберите язык
language-saved = ✅ Выбран русский язык.
error-generic = ⚠️ У нас что-то пошло не так. Пожалуйста, попробуйте через минуту.
stale-button = Эта кнопка больше не активна. Отправьте /start, чтобы начать заново.
unknown-command = Я не знаю такой команды. Отправьте /start, чтобы открыть меню.
banned-notice = ⛔ Ваш доступ к этому боту ограничен.

# Owner, in the main Getolog bot
owner-welcome = 👋 Добро пожаловать в Getolog, { $name }!
    Getolog продаёт платный доступ к вашему закрытому каналу или группе через вашего собственного бота: клиенты платят, получают личное приглашение и удаляются, когда срок заканчивается.
    Следующий шаг: подключите бота (создайте его в @BotFather и пришлите мне токен).

# End user, in a seller bot
seller-welcome-default = 👋 Здравствуйте, { $name }! Это { $bot }. Здесь можно купить доступ к нашему закрытому каналу и группе.

# Alerts to moderators
alert-owner-registered = 🆕 Зарегистрировался новый владелец: { $name } (id { $id }).
alert-bot-failed = 🛑 Бот { $bot } упал { $restarts } раз за { $window } и остановлен (состояние: failed).
alert-update-dropped = ⚠️ Бот { $bot } трижды упал на обновлении { $id }; обновление отброшено, чтобы бот продолжил работу. Подробности в логах и Sentry.
alert-digest = 📣 Оповещений платформы: { $count }
    { $details }
