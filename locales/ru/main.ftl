# Shared
language-prompt = 🌐 Tilni tanlang · Choose your language · Выберите язык
language-saved = ✅ Выбран русский язык.
error-generic = ⚠️ У нас что-то пошло не так. Пожалуйста, попробуйте через минуту.
stale-button = Эта кнопка больше не активна. Отправьте /start, чтобы начать заново.
unknown-command = Я не знаю такой команды. Отправьте /start, чтобы открыть меню.
banned-notice = ⛔ Ваш доступ к этому боту ограничен.
rate-limited = ⏳ Слишком много сообщений подряд. Пожалуйста, чуть помедленнее.

# Owner, in the main Getolog bot
owner-welcome = 👋 Добро пожаловать в Getolog, { $name }!
    Getolog продаёт платный доступ к вашему закрытому каналу или группе через вашего собственного бота: клиенты платят, получают личное приглашение и удаляются, когда срок заканчивается.
    Следующий шаг: подключите бота (создайте его в @BotFather и пришлите мне токен).

cancelled = ↩️ Отменено.
nothing-to-cancel = Отменять было нечего.
input-text-expected = Пожалуйста, отправьте это текстовым сообщением или нажмите «Отмена».
value-not-set = не задано
input-not-a-command = ⚠️ Жду ваш ответ на вопрос выше. Отправьте его или /cancel.
welcome-has-token = ⚠️ В этом тексте есть токен бота, а его нужно держать в секрете. Пришлите приветствие без него.

# Buttons
button-back = ⬅️ Назад
button-cancel = ✖️ Отмена
button-no = Нет
button-language = 🌐 Язык
button-connect-bot = 🤖 Подключить бота
button-channels = 📢 Канал и группа
button-settings = ⚙️ Настройки продаж
button-replace-token = 🔑 Заменить токен
button-disconnect = 🔌 Отключить бота
button-yes-disconnect = Да, отключить
button-link = ✅ Привязать
button-ignore = ✖️ Пропустить
button-price = 💰 Цена
button-period = 📅 Срок
button-currency = 💱 Валюта
button-unlink = ❌ Отвязать
button-yes-unlink = Да, отвязать
button-card = 💳 Номер карты
button-holder = 👤 Владелец карты
button-methods = 💸 Способы оплаты
button-welcome = 👋 Приветствие

# Owner's menu and bot
menu-no-bot = 🏠 Главное меню
    У вас ещё нет подключённого бота. Нажмите «Подключить бота», чтобы начать.
menu-title = 🏠 Главное меню
    Ваш бот: { $bot } — { $status }
health-alive = работает ✅
health-dead = не отвечает ⚠️
health-revoked = токен отклонён ⛔ (пришлите новый токен)
health-failed = остановлен из-за ошибок 🛑
connect-first = Сначала подключите бота.
token-ask = 🤖 Подключите бота
    1. Откройте @BotFather и отправьте /newbot (или /mybots, чтобы выбрать существующего бота).
    2. Скопируйте выданный токен — он выглядит так: 123456789:AAH...
    3. Отправьте токен сюда.
    Токен хранится в зашифрованном виде и больше никогда не показывается.
token-ask-replace = 🔑 Пришлите новый токен { $bot }.
    В @BotFather: /mybots → { $bot } → API Token → Revoke current token, затем скопируйте новый токен сюда.
token-malformed = ⚠️ Это не похоже на токен бота. Токен выглядит так: 123456789:AAH... (цифры, двоеточие, затем буквы). Отправьте его ещё раз или нажмите «Отмена».
token-platform = ⚠️ Это токен самого Getolog. Пришлите токен своего бота, созданного в @BotFather.
token-refused = ⚠️ Telegram не принял этот токен: он неверный или был отозван. Скопируйте актуальный токен в @BotFather и отправьте его снова.
token-telegram-unavailable = ⚠️ Telegram сейчас не ответил. Пожалуйста, отправьте токен ещё раз через минуту.
token-taken = ⚠️ Этот бот уже зарегистрирован в Getolog другим пользователем. Создайте собственного бота в @BotFather.
token-second-bot = ⚠️ У вас уже подключён { $bot }, а у одного владельца может быть только один бот. Чтобы подключить другого, сначала отключите этого (меню → { $bot } → Отключить бота).
bot-connected = ✅ { $bot } запущен! Дальше: добавьте его администратором в ваш канал и группу (меню → Канал и группа).
bot-renewed = ✅ { $bot } снова работает с новым токеном.
bot-screen = 🤖 { $bot }
    Статус: { $status }
disconnect-confirm = Отключить { $bot }? Он сразу перестанет отвечать. Канал, группа, клиенты и платежи сохранятся, и позже бота можно будет подключить снова.
bot-disconnected = 🔌 { $bot } отключён. Его данные сохранены; чтобы подключить его снова, пришлите токен ещё раз.

# Channel and group
channels-howto = 📢 Канал и группа
    Добавьте { $bot } администратором в ваш закрытый канал и/или группу с правами «Приглашать пользователей по ссылке» и «Блокировать пользователей». Я попрошу вас подтвердить здесь каждый чат.
channels-none = Пока ничего не привязано.
kind-channel = 📢 Канал
kind-group = 👥 Группа
link-status-linked = привязка активна ✅
link-status-pending = ждёт вашего подтверждения ⏳
link-status-broken = привязка нарушена ⚠️ (бот потерял права)
link-status-unlinked = без привязки
price-not-set = цена не задана (срок: { $period })
period-lifetime = бессрочно
period-months = { $count ->
    [one] { $count } месяц
    [few] { $count } месяца
    [many] { $count } месяцев
   *[other] { $count } мес.
}
link-ask-channel = { $bot } теперь администратор канала «{ $title }». Продавать доступ к этому каналу?
link-ask-group = { $bot } теперь администратор группы «{ $title }». Продавать доступ к этой группе?
link-done = ✅ Чат «{ $title }» привязан. Теперь укажите цену и срок.
link-ignored = Чат «{ $title }» не привязан.
link-already = ⚠️ Чат этого типа у вас уже продаётся: «{ $title }». Чтобы привязать другой, сначала отвяжите его.
link-missing-rights = ⚠️ Бот — администратор «{ $title }», но ему не хватает прав:
    { $details }
    Выдайте их в настройках администраторов чата — я спрошу ещё раз.
link-broken-rights = ⚠️ { $bot } потерял права в «{ $title }», поэтому там теперь никого нельзя ни впустить, ни удалить:
    { $details }
    Верните права — и привязка восстановится.
link-broken-removed = ⚠️ { $bot } удалён из «{ $title }» или больше не администратор там. Продажи приостановлены, пока вы снова не сделаете бота администратором.
link-restored = ✅ У { $bot } снова есть права в «{ $title }»: привязка восстановлена.
link-not-admin = { $bot } добавлен в «{ $title }» как обычный участник. Чтобы продавать туда доступ, сделайте его администратором с правами «Приглашать пользователей по ссылке» и «Блокировать пользователей».
right-invite-users = Приглашать пользователей по ссылке
right-restrict-members = Блокировать пользователей
unlink-confirm = Отвязать «{ $title }»? Новые клиенты больше не смогут купить доступ; текущие подписки действуют до конца срока.
unlinked = Чат «{ $title }» отвязан.
price-ask = 💰 Пришлите цену одного периода доступа к «{ $title }» в { $currency }, например: 50 000
price-saved = ✅ Сохранено: { $terms }.
terms-saved = ✅ Сохранено.
period-choose = 📅 На какой срок один платёж даёт доступ к «{ $title }»?
currency-choose = 💱 Валюта для «{ $title }»:
price-error-empty = ⚠️ Пришлите число, например: 50 000
price-error-not-a-number = ⚠️ Не получается разобрать эту цену. Пишите только цифры, например 50 000 или 50000.50.
price-error-decimals = ⚠️ В цене может быть не больше 2 цифр после десятичной точки.
price-error-not-positive = ⚠️ Цена должна быть больше нуля.
price-error-too-large = ⚠️ Слишком большая цена (максимум 9 999 999 999.99).

# Selling settings
settings-screen = ⚙️ Настройки продаж
    Номер карты: { $card }
    Владелец карты: { $holder }
    Способы оплаты: { $methods }
    Своё приветствие: { $welcome }
welcome-all-default = нет (стандартный текст)
method-card = Перевод на карту
methods-screen = 💸 Способы оплаты, доступные вашим клиентам. Скоро появятся и другие.
methods-keep-one = Хотя бы один способ оплаты должен оставаться включённым.
card-ask = 💳 Пришлите номер карты, на которую клиенты будут переводить оплату (16 или 19 цифр).
card-saved = ✅ Номер карты сохранён.
card-error-not-digits = ⚠️ Номер карты состоит только из цифр (пробелы допустимы).
card-error-length = ⚠️ В номере карты 16 или 19 цифр.
card-error-checksum = ⚠️ Этот номер карты недействителен: проверьте, нет ли опечатки.
holder-ask = 👤 Пришлите имя владельца карты так, как оно написано на карте.
holder-saved = ✅ Владелец карты сохранён.
holder-error-length = ⚠️ Имя должно содержать от 2 до 64 символов.
holder-error-characters = ⚠️ Имя может содержать только буквы, пробелы, точки, дефисы и апострофы.
welcome-screen = 👋 Сообщение, которое клиенты видят после выбора языка.
welcome-default-marker = (стандартный текст)
welcome-ask = ✏️ Пришлите приветствие для языка { $language }. Стандартное приветствие:
    { $details }
welcome-saved = ✅ Приветствие сохранено.
welcome-reset = ↩️ Восстановлено стандартное приветствие.
welcome-too-long = ⚠️ Слишком длинный текст: максимум { $count } символов.

# Owner: payments, customers, notifications
button-approve = ✅ Подтвердить
button-reject = ❌ Отклонить
button-reject-typed = ✍️ Другая причина
button-notice-new = Новые клиенты
button-notice-joins = Вступления клиентов
review-caption = 🧾 Платёж #{ $id } ждёт вашей проверки
    Клиент: { $name }
    Покупка: { $title }
    Бот: { $bot }
    Проверьте, что деньги поступили, затем подтвердите или отклоните платёж.
review-caption-again = 🧾 Чек №{ $count } по платежу #{ $id } (клиент прислал ещё один)
    Клиент: { $name }
    Покупка: { $title }
    Бот: { $bot }
review-approved = ✅ Подтверждено
review-rejected = ❌ Отклонено: { $details }
review-rejected-short = ❌ Отклонено
review-rejected-typed = ❌ Платёж #{ $id } отклонён, клиент уведомлён.
review-already-approved = Этот платёж уже подтверждён.
review-already-rejected = Этот платёж уже отклонён.
review-link-failed = ⚠️ Платёж подтверждён, но бот не смог создать ссылку-приглашение в «{ $title }». Проверьте, что он всё ещё администратор с правом «Приглашать пользователей по ссылке»; после этого клиент сможет получить ссылку кнопкой «Получить ссылку-приглашение».
reject-reason-amount = Сумма не совпадает с ценой
reject-reason-unreadable = Чек не удаётся прочитать
reject-reason-not-received = Оплата не поступила
reject-reason-ask = ✍️ Напишите причину отклонения платежа #{ $id } — клиент её увидит.
owner-new-customer = 👤 Новый клиент в { $bot }: { $name }
owner-joined = 🎉 { $name } теперь в { $title }.
owner-foreign-join = ⚠️ { $name } пытается вступить в { $title } по личной ссылке клиента { $owner }. Заявка отклонена.
owner-not-ready = ⚠️ Клиент открыл { $bot }, но бот пока не может продавать:
    { $details }
    Исправьте это в меню бота; клиентам пока предлагается зайти позже.
missing-linked = не привязан ни канал, ни группа
missing-price = у «{ $title }» не задана цена
missing-card = не указан номер карты для оплаты
missing-holder = не указано имя владельца карты
button-reply = ↩️ Ответить
support-to-owner = 💬 Сообщение от { $name } в { $bot }:
support-reply-ask = ↩️ Напишите ответ для { $name } (текст или фото).
support-reply-sent = ✅ Ваш ответ отправлен: { $name }.
button-customers = 👥 Клиенты
button-search = 🔍 Поиск
button-ban = 🚫 Заблокировать
button-unban = ✅ Разблокировать
button-grant = 🎁 Выдать доступ
customers-title = 👥 Клиенты { $bot }: { $count }
customers-found = 🔍 Найдено среди клиентов { $bot }: { $count }
customers-search-ask = 🔍 Пришлите имя, @username или Telegram id для поиска.
customer-card = 👤 { $name }
    Язык: { $language }
customer-banned-mark = 🚫 Заблокирован
customer-subscriptions = Доступ:
customer-payments = Последние платежи:
customer-none = —
customer-banned = 🚫 Заблокирован: удалён из вашего канала и группы.
customer-unbanned = ✅ Разблокирован.
customer-is-banned = Сначала разблокируйте этого клиента.
grant-choose-chat = 🎁 Выдать { $name } доступ в:
grant-choose-period = 🎁 На какой срок выдать { $name } доступ в { $title }?
grant-done = 🎁 Доступ выдан; клиент получил ссылку-приглашение.

# End user, in a seller bot
seller-command-start = Начать и выбрать язык
seller-welcome-default = 👋 Здравствуйте, { $name }! Это { $bot }. Здесь можно купить доступ к нашему закрытому каналу и группе.

platform-advert = 🤖 Этот магазин работает на Getolog: продавайте доступ к своему каналу с помощью { $bot }
shop-offer = 🛒 Доступ, который можно купить:
shop-access-until = у вас есть доступ до { $details }
shop-access-lifetime = у вас бессрочный доступ
shop-not-ready = 🙏 Продажи ещё не открыты. Загляните, пожалуйста, чуть позже.
button-buy = Купить { $title }
button-renew = Продлить { $title }
button-fresh-link = 🔗 Получить ссылку-приглашение
button-buy-again = 🛒 Купить снова
shop-choose-method = Как вам удобнее оплатить { $title }?
shop-card-details = 💳 { $title }
    Переведите ровно { $details } на эту карту:
    { $card }
    Владелец: { $holder }
    Затем пришлите сюда чек фото или файлом.
shop-receipt-expected = 🧾 Пожалуйста, пришлите чек фото или файлом (скриншот перевода) или нажмите «Отмена».
shop-receipt-received = 🧾 Чек получен. Платёж #{ $id } на проверке — как только она завершится, вы получите сообщение здесь.
shop-receipt-again = 🧾 Этот чек у нас уже есть: платёж #{ $id } на проверке — как только она завершится, вы получите сообщение здесь.
shop-choose-first = Чтобы оплатить, сначала выберите, что вы покупаете.
payment-approved-link = ✅ Платёж #{ $id } подтверждён! { $title }: { $details }.
    Ваша личная ссылка-приглашение: { $link }
    Откройте её и нажмите «Подать заявку на вступление» — вас сразу впустят. Ссылка работает только для вас.
payment-approved-renewal = ✅ Платёж #{ $id } подтверждён! Доступ к { $title } продлён: { $details }.
payment-approved-no-link = ✅ Платёж #{ $id } подтверждён! { $title }: { $details }. Ссылка-приглашение скоро придёт; также её можно получить позже кнопкой «Получить ссылку-приглашение».
payment-rejected = ❌ Платёж #{ $id } не принят. Причина: { $details }
    Если вы считаете, что это ошибка, пришлите новый чек или свяжитесь с продавцом.
access-until = доступ до { $details }
access-lifetime = бессрочный доступ
access-fresh-link = 🔗 { $title }: ваша новая личная ссылка { $link }
access-already-in = ✅ Вы уже в { $title }.
access-link-failed = ⚠️ Сейчас не получается создать ссылку в { $title }; продавец уже в курсе. Пожалуйста, попробуйте позже.
access-none = У вас пока нет активного доступа.
button-support = 💬 Написать продавцу
support-ask = 💬 Напишите сообщение продавцу (текст или фото). Ответ придёт сюда.
support-sent = ✉️ Отправлено продавцу. Ответ придёт сюда.
support-from-seller = 💬 Ответ продавца:

# Alerts to moderators
alert-owner-registered = 🆕 Зарегистрировался новый владелец: { $name } (id { $id }).
alert-bot-failed = 🛑 Бот { $bot } упал { $restarts } раз за { $window } и остановлен (состояние: failed). Новая попытка через { $retry }, дальше всё реже, пока он падает.
alert-update-dropped = ⚠️ Бот { $bot } трижды упал на обновлении { $id }; обновление отброшено, чтобы бот продолжил работу. Подробности в логах и Sentry.
alert-digest = 📣 Оповещений платформы: { $count }
    { $details }

# Scheduler: end of access, warnings, plans, bot health
access-ending = ⏳ Ваш доступ к { $chat } заканчивается { $date } (через { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
}). Продлите сейчас: новый период начнётся с конца текущего.
access-ended = ⌛ Ваш доступ к { $chat } закончился { $date }. Продлите в любой момент, чтобы вернуться.
owner-access-removed = ⌛ { $user } удалён(а) из { $chat }: оплаченный период закончился.
owner-access-ended = ⌛ Доступ { $user } к { $chat } закончился (его/её там уже не было).
owner-removal-needs-rights = ⚠️ Ваш бот не может удалить из { $chat } тех, у кого закончился период (ждут: { $count }, первый: { $user }): ему нужно право «Блокировка пользователей». Верните его — удаления продолжатся при следующем запуске.
owner-removal-no-access = ⚠️ Ваш бот не может попасть в { $chat }, чтобы удалить тех, у кого закончился период (ждут: { $count }, первый: { $user }): он больше не администратор. Добавьте его снова администратором — удаления продолжатся при следующем запуске.
owner-removal-stuck = ⚠️ { $user } пока не удалось удалить из { $chat }: Telegram снова и снова отвечает ошибкой ({ $failures } попыток). Getolog продолжает пытаться, реже; делать ничего не нужно, если это не затянется.
owner-removal-token-revoked = ⚠️ В { $chat } остаются клиенты, у которых закончился оплаченный период: { $count }. Ваш бот не может их удалить, пока Telegram не принимает его токен. Пришлите новый токен (🤖 → 🔑 Заменить токен) — удаления продолжатся при следующем запуске.
access-renewed-rejoin = ✅ Ваше продление { $chat } пришло в тот момент, когда прошлый период закончился, поэтому вас ненадолго вывели. Доступ продолжается; вернитесь по личной ссылке: { $link }
plan-ending = ⏳ Ваш тариф Getolog ({ $plan }) заканчивается { $date } (через { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
}). После этого в вашем боте снова появится реклама Getolog.
plan-expired = ℹ️ Ваш тариф Getolog ({ $plan }) закончился: теперь у вас бесплатный тариф, и в вашем боте снова показывается реклама Getolog.
owner-bot-revoked = 🔑 Telegram больше не принимает токен { $bot }, поэтому бот остановлен. Откройте @BotFather, возьмите текущий токен бота (или сделайте новый через /revoke) и пришлите его сюда: бот вернётся со всеми данными.
owner-bot-failed = ⚠️ Ваш бот { $bot } несколько раз подряд столкнулся с ошибками и приостановлен. Getolog сам запустит его снова через { $retry }; клиенты с закончившимся периодом тем временем всё равно удаляются. Наша команда уже знает. Если это повторяется, проверьте в @BotFather, что бот существует, и пришлите его токен ещё раз (🤖 → 🔑 Заменить токен).
alert-bot-revoked = 🔑 Бот { $bot }: токен отозван; остановлен, пока владелец не пришлёт новый.
alert-bot-dead = 💀 Бот { $bot } не ответил на { $failures } проверки подряд (состояние: dead).
alert-bot-recovered = 💚 Бот { $bot } снова отвечает (состояние: alive).
alert-removals-blocked = 🚫 Бот { $bot } не может удалить из { $chat } клиентов с закончившимся периодом: { $cause }. Владелец уже знает; удаления продолжатся сами, когда это исправят.
removal-cause-rights = у него нет права «Блокировка пользователей»
removal-cause-no_access = он там не администратор (или чата больше нет)
removal-cause-token = Telegram не принимает его токен
removal-cause-failing = Telegram снова и снова отвечает ошибкой
alert-plan-ending = ⏳ Владелец { $name } (id { $id }): тариф заканчивается { $date } (осталось { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
}).
alert-plan-expired = ℹ️ Владелец { $name } (id { $id }): тариф закончился; снова бесплатный.

# Platform plans (owner)
button-plan = ⭐ Тариф
plan-current-paid = ⭐ Ваш тариф: { $plan }, до { $date }.
plan-current-free = ⭐ Ваш тариф: бесплатный.
plan-explained = На бесплатном тарифе всё работает, а ваш бот показывает короткую рекламу Getolog на экране выбора языка. Платный тариф убирает рекламу. Выберите тариф:
plan-unavailable = ⚠️ Сейчас тариф купить нельзя: карта платформы не указана. Попробуйте позже.
plan-pay = 💳 { $plan } стоит { $amount }.
    Переведите ровно { $amount } на карту
    { $card }
    { $holder }
    и пришлите сюда чек фото или файлом. Его проверит модератор.
plan-receipt-expected = 🧾 Пришлите чек фото или файлом (или /cancel).
plan-receipt-received = ✅ Чек получен (оплата тарифа #{ $id }). Модератор скоро его проверит; ответ придёт сюда.
plan-approved = 🎉 Ваш тариф { $plan } действует до { $date }. Реклама Getolog из вашего бота убрана.
plan-rejected = ❌ Оплата тарифа #{ $id } не принята: { $details }
plan-granted = 🎁 Модератор подарил вам тариф { $plan }: он действует до { $date }.
plan-paid = 🎉 Платёж { $provider } #{ $id } получен: тариф { $plan } действует до { $date }. Реклама Getolog убрана из вашего бота-продавца.
plan-paid-moderator = 💳 Оплата тарифа #{ $id }: { $name } оплатил { $amount } за { $plan } через { $provider }. Проверять не нужно.
plan-refunded = ↩️ Оплата тарифа #{ $id } ({ $provider }) возвращена. { $details }
plan-refund-shortened = Ваш платный тариф теперь действует до { $date }.
plan-refund-ended = Ваш платный тариф закончился: скоро вы вернётесь на Free.
plan-refunded-moderator = ↩️ Оплата тарифа #{ $id } ({ $provider }) от { $name } возвращена: { $amount } за { $plan }.
plan-pay-through = Или оплатите в одно касание, без чека:
plan-pay-open = 💳 Оплатить { $amount } через { $provider }
plan-order-failed = ⚠️ Не удалось подготовить оплату. Попробуйте ещё раз через минуту.
plan-price = 💳 { $plan } стоит { $amount }.
plan-pay-tap = Оплатите в одно касание: тариф начнётся, как только платёж будет подтверждён.
plan-checkout = 💳 { $plan } — { $amount }, заказ тарифа #{ $id }. Нажмите кнопку, чтобы оплатить через { $provider }: тариф начнётся, как только { $provider } подтвердит платёж, и вы получите сообщение здесь.
shop-closed = ⛔ Этот магазин временно закрыт. Загляните позже.

# Moderator panel
command-start = Начать и выбрать язык
command-menu = Главное меню
command-plan = Ваш тариф Getolog
command-cancel = Выйти из текущего вопроса
command-panel = Панель модератора
button-dashboard = 📊 Сводка
button-owners = 👥 Владельцы
button-payments = 💳 Платежи
button-grant-plan = 🎁 Выдать тариф
button-plan-payments = ⭐ Оплаты тарифов
button-end-user-payments = 💳 Платежи клиентов
period-today = Сегодня
period-week = 7 дней
period-month = 30 дней
period-all = За всё время
status-all = Все
status-pending = Ожидают
status-approved = Одобрены
status-rejected = Отклонены
status-refunded = Возвращены
dashboard = 📊 Сводка — { $period }
    Владельцы: { $owners } (новых: { $new_owners })
    Боты: { $bots }
    Клиенты: { $end_users } (новых: { $new_end_users })
    Платежи клиентов: { $payments }
    Одобрено: { $approved }
    Одобрено по способам: { $methods }
    Доход от тарифов: { $plan_revenue } ({ $plan_methods })
    Владельцы по тарифам: { $plans }
owners-title = 👥 Владельцы: { $count } (стр. { $page })
owners-found = 🔍 Найдено владельцев: { $count }
owners-search-ask = 🔍 Введите @username, имя или Telegram id.
owner-card = 👤 { $name }
    Бот: { $bot }
    { $plan }
    Клиенты: { $count }
    Одобренная выручка: { $amount }
    Последние платежи:
    { $details }
owner-card-no-bot = бот не подключён
owner-ban-done = Владелец заблокирован
owner-unban-done = Владелец разблокирован
owner-banned-by-moderator = ⛔ Модератор приостановил ваш аккаунт Getolog: ваш бот больше не продаёт. Действующие подписки идут до конца.
owner-unbanned-by-moderator = ✅ Ваш аккаунт Getolog снова активен: бот снова продаёт.
grant-plan-ask = 🎁 Какой тариф выдать? Он начнётся сейчас или продлит текущий.
grant-plan-done = Тариф выдан
plan-review-caption = 🧾 Оплата тарифа #{ $id }
    Владелец: { $name }
    Тариф: { $plan }
    Сумма: { $amount }
plan-review-approved = Одобрено
plan-review-rejected = Отклонено
plan-decided-approved = ✅ Одобрил(а) { $name }
plan-decided-rejected = ❌ Отклонил(а) { $name }
plan-reject-reason-ask = ✍️ Напишите причину отказа для оплаты тарифа #{ $id }; её прочитает владелец.
review-already-decided = Другой модератор уже решил по этому платежу
payments-end-users-title = 💳 Платежи клиентов: { $count }
    { $details }
payments-plans-title = ⭐ Оплаты тарифов: { $count }
    { $details }
payments-none = нет

# Owner statistics
command-stats = Ваша статистика
button-stats = 📈 Статистика
button-stats-chart = 📊 График за 30 дней
button-export-payments = ⬇️ Платежи CSV
button-export-subscribers = ⬇️ Подписчики CSV
stats-no-bot = Сначала подключите бота: статистика — о его продажах.
stats-title = 📈 Статистика — { $period }
stats-chat = { $chat }
    Платежи: { $payments }
    Выручка: { $revenue }
    Новые подписчики: { $new } · продления: { $renewals } · активны сейчас: { $active }
stats-total = Σ Итого
    Платежи: { $payments }
    Выручка: { $revenue }
    Новые подписчики: { $new } · продления: { $renewals } · активны сейчас: { $active }
    Новые клиенты в боте: { $customers }
    По способам: { $methods }
chart-owner-title = Выручка и новые подписчики по дням
chart-revenue = Выручка, { $currency }
chart-new-subscribers = Новые подписчики
chart-caption = 📊 { $details }
export-caption = ⬇️ CSV (UTF-8, через запятую)
stats-report-failed = ⚠️ Не удалось составить отчёт. Мы уже знаем; попробуйте позже.
button-reports = 📈 Отчёты
button-export-owners = ⬇️ Владельцы CSV
button-export-plan-payments = ⬇️ Оплаты тарифов CSV
reports-title = 📈 Отчёты: последние 30 дней графиком и всё в CSV.
chart-platform-title = Новые владельцы и доход от тарифов по дням
chart-new-owners = Новые владельцы

# A review copy acts only on the version of the payment it showed.
review-changed = Платёж изменился после отправки этой копии; ничего не сделано. Проверьте самую новую копию.
review-outdated = Платёж #{ $id }: клиент прислал новый чек, он в более новом сообщении. Эту копию больше нельзя одобрить или отклонить.
plan-review-outdated = Оплата тарифа #{ $id }: владелец прислал новый чек, он в более новом сообщении. Эту копию больше нельзя одобрить или отклонить.
# A grant button grants once.
grant-already-done = Эта кнопка уже выдала доступ; больше ничего не сделано.

## Automatic payments (Payme, Click, Uzum)
owner-paid = 💳 Оплата { $provider } #{ $id } в { $bot }: { $amount } от { $name } за { $title }. Доступ выдан.
customer-refunded = ↩️ Платёж #{ $id } ({ $provider }) возвращён. { $details }
owner-refunded = ↩️ Платёж { $provider } #{ $id } в { $bot } возвращён: { $amount } от { $name } за { $title }. { $details }
refund-shortened = Доступ к { $title } теперь заканчивается { $date }.
refund-ended = Доступ к { $title } закончился.
method-payme = 💳 Payme
button-pay-payme = 💳 Оплатить через Payme
shop-payme = { $title }
    Заказ #{ $id }. Нажмите кнопку, чтобы оплатить в Payme; персональная ссылка придёт сюда через несколько секунд после оплаты.
payme-bad-merchant-id = ❌ Это не ID кассы Payme: он состоит из 24 символов (буквы a–f и цифры), как в кабинете Payme Business.
payme-bad-key = ❌ Это не ключ Payme: скопируйте его целиком из настроек кассы в Payme Business (без пробелов).
value-set = задан
button-payme = 💳 Payme
payme-screen = 💳 Payme: клиенты платят в одно касание, деньги идут прямо в вашу кассу Payme Business.
    ID кассы: { $id }
    Рабочий ключ: { $key }
    Тестовый ключ: { $test }
    Используется: { $mode }
payme-endpoint = В Payme Business → ваша касса → Настройки вставьте это как Endpoint URL:
    { $url }
payme-mode-test = тестовый ключ (песочница)
payme-mode-live = рабочий ключ
payme-ask-cashbox = Отправьте ID кассы Payme (24 символа, Payme Business → ваша касса → Разработчикам).
payme-ask-key = Отправьте рабочий ключ кассы. Сообщение сразу удаляется, ключ хранится в зашифрованном виде.
payme-ask-test-key = Отправьте тестовый ключ кассы (для песочницы). Сообщение сразу удаляется, ключ хранится в зашифрованном виде.
button-payme-cashbox = 🆔 ID кассы
button-payme-key = 🔑 Рабочий ключ
button-payme-test-key = 🧪 Тестовый ключ
button-payme-use-test = 🧪 Использовать тестовый ключ
button-payme-use-live = 🔑 Использовать рабочий ключ
method-click = 💠 Click
button-pay-click = 💠 Оплатить через Click
shop-click = { $title }
    Заказ #{ $id }. Нажмите кнопку, чтобы оплатить в Click; персональная ссылка придёт сюда через несколько секунд после оплаты.
click-bad-id = ❌ Это не ID Click: это целое число, как в кабинете мерчанта Click.
click-bad-secret = ❌ Это не секретный ключ Click: скопируйте его целиком из кабинета мерчанта Click (без пробелов).
provider-status = Статус: { $status }
provider-status-on = ✅ предлагается клиентам
provider-status-off = ⬜ не предлагается
provider-saved = ✅ Сохранено.
provider-incomplete = Сначала заполните все значения.
provider-disconnect-confirm = Отключить { $provider }? Все значения, включая ключи, будут удалены; клиентам больше не будет предлагаться { $provider }.
button-provider-on = ✅ Предлагать клиентам
button-provider-off = ⬜ Не предлагать
button-provider-disconnect = 🗑 Отключить
button-provider-disconnect-yes = 🗑 Да, отключить
button-click = 💠 Click
click-screen = 💠 Click: клиенты платят в одно касание, деньги идут прямо на ваш счёт мерчанта Click.
    service_id: { $service }
    merchant_id: { $merchant }
    merchant_user_id: { $user }
    Секретный ключ: { $key }
click-endpoints = В кабинете мерчанта Click укажите эти адреса сервиса:
    Prepare: { $prepare }
    Complete: { $complete }
click-ask-service = Отправьте service_id Click (число из кабинета мерчанта Click).
click-ask-merchant = Отправьте merchant_id Click (число).
click-ask-merchant-user = Отправьте merchant_user_id Click (число).
click-ask-secret = Отправьте секретный ключ сервиса. Сообщение сразу удаляется, ключ хранится в зашифрованном виде.
button-click-service = service_id
button-click-merchant = merchant_id
button-click-user = merchant_user_id
button-click-secret = 🔑 Секретный ключ
method-manual = Выдано вручную
method-uzum = 🟣 Uzum Bank
button-pay-uzum = 🟣 Оплатить в Uzum Bank
shop-uzum = { $title }
    Заказ #{ $id }. Нажмите кнопку, чтобы оплатить в приложении Uzum Bank; персональная ссылка придёт сюда через несколько секунд после оплаты.
button-uzum = 🟣 Uzum Bank
uzum-screen = 🟣 Uzum Bank: клиенты платят в приложении Uzum Bank, деньги идут прямо на ваш счёт мерчанта.
    serviceId: { $service }
    Логин: { $login }
    Пароль: { $key }
uzum-endpoint = Передайте менеджеру Uzum этот адрес вебхуков (Uzum вызывает …/check, …/create, …/confirm, …/reverse и …/status) вместе с логином и паролем:
    { $url }
uzum-ask-service = Отправьте serviceId Uzum (число из договора с Uzum Bank).
uzum-ask-login = Отправьте логин, согласованный с Uzum для его запросов.
uzum-ask-password = Отправьте пароль, согласованный с Uzum. Сообщение сразу удаляется, пароль хранится в зашифрованном виде.
button-uzum-service = serviceId
button-uzum-login = 👤 Логин
button-uzum-password = 🔑 Пароль
uzum-bad-login = ❌ Это не логин: до 128 символов, без пробелов и двоеточий.
uzum-bad-password = ❌ Это не пароль: от 8 до 128 символов, без пробелов.

## Бот магазина в одно касание (управляемые боты)
button-create-bot = 🤖 Создать бота магазина
button-reissue-token = 🔑 Выпустить новый токен
create-bot-offer = 🤖 Нажмите «Создать бота магазина» внизу. Telegram откроет короткую форму, где имя и username уже заполнены: при желании измените их и подтвердите. Новый бот сам подключится к Getolog, копировать токен не нужно.
managed-bot-stranger = 👋 Ваш бот { $bot } создан, но подключить его здесь могут только владельцы Getolog. Отправьте /start и выберите язык, затем нажмите «Подключить бота» и пришлите токен { $bot } (@BotFather → /mybots → { $bot } → API Token).
reissue-not-managed = ⚠️ Этот бот создан не через Getolog, поэтому Getolog не может выпустить для него токен. Возьмите текущий токен в @BotFather и пришлите его сюда.
owner-bot-revoked-managed = 🔑 Telegram больше не принимает токен { $bot }, поэтому бот остановлен. Нажмите «Выпустить новый токен»: Getolog получит новый токен у Telegram, и бот вернётся со всеми данными.

# Telegram Stars
method-stars = ⭐ Telegram Stars
button-stars-price = ⭐ Цена в Stars
button-stars-clear = ✖️ Не за Stars
stars-price-ask = ⭐ Отправьте цену { $title } в Telegram Stars: целое число от 1 до 10 000. Чат на 1 месяц продаётся как подписка, которую Telegram продлевает каждые 30 дней; более долгие сроки оплачиваются один раз. Включите Stars в ⚙️ Настройки продаж → 💸 Способы оплаты.
stars-price-not-whole = Цена в Stars должна быть целым числом, например 250.
stars-price-range = Telegram принимает от 1 до 10 000 Stars за платёж.
stars-invoice-description = Доступ к { $title }: { $terms }
shop-stars-subscribe = { $title }
    Заказ #{ $id }. Оформите подписку кнопкой: Telegram списывает Stars каждые 30 дней, пока вы не отмените, а личная ссылка-приглашение придёт сюда после первой оплаты.
button-stars-subscribe = ⭐ Подписаться: { $stars } Stars в месяц
stars-declined-stale = Этот счёт больше не действителен. Откройте магазин заново командой /start.
stars-declined-not-sold = Этот чат больше не продаётся за Stars.
stars-declined-price = Цена изменилась после выставления счёта. Откройте магазин заново командой /start.
stars-sub-canceled = Ваша подписка Stars на { $title } не будет продлена. Доступ действует до { $date }.
stars-sub-active = Ваша подписка Stars на { $title } снова продлевается. Оплачено до { $date }.
stars-sub-failed = Telegram не смог продлить вашу подписку Stars на { $title }. Доступ действует до { $date }; оформите подписку снова через /start, чтобы сохранить его.
button-stars-refund = ↩️ Вернуть #{ $id } ({ $stars } ⭐)
button-stars-stop = ⏹ Остановить продление подписки Stars
button-yes-refund = Да, вернуть
button-yes-stop = Да, остановить продление
stars-refund-confirm = Вернуть платёж Stars #{ $id } ({ $stars } ⭐)? Stars вернутся покупателю, а то, что дал этот платёж, будет отозвано.
stars-stop-confirm = Остановить продление этой подписки Stars? Доступ сохранится до конца оплаченного срока.
stars-refunded = ↩️ Платёж #{ $id } возвращён.
stars-stopped = ⏹ Подписка не будет продлена.
stars-call-failed = Telegram сейчас не принял запрос. Попробуйте ещё раз через минуту.
access-renews = 🔄 Ваша подписка Stars на { $chat } продлится { $date }: Telegram спишет оплату сам, ничего делать не нужно. Чтобы остановить её, отмените подписку в настройках Telegram → Мои звёзды.
owner-stars-mismatch = ⚠️ Telegram Stars бота { $bot } не совпадают с записями Getolog. Списано Telegram, но доступ не выдан: { $unrecorded }. Выдано, но не списано: { $unknown }. Возврат только с одной стороны: { $refunds }. Модераторы уведомлены и разберутся.
alert-stars-mismatch = ⚠️ Расхождение Stars в { $bot }: { $unrecorded } списано без выдачи, { $unknown } выдано без списания, { $refunds } возвратов с одной стороны.
panel-stars-payment = ⭐ Платёж Stars #{ $id }: { $stars } XTR, { $status }
    { $name } в { $bot }, { $title }, { $date }
    { $renewal }
stars-renews-until = 🔄 Продлевается ежемесячно; оплачено до { $date }.
stars-ends-on = Не продлевается; доступ до { $date }.
stars-one-off = Оплачено один раз (без подписки).
button-stars-panel-refund = ↩️ Вернуть эти Stars
stats-stars-subscriptions = ⭐ Подписки Stars: отменено { $canceled }, неудачных продлений { $failed }, возобновлено { $active }
stars-sub-stopped = Продавец остановил продление вашей подписки Stars на { $title }. Доступ действует до { $date }, больше ничего списано не будет.
