# Shared
language-prompt = 🌐 Tilni tanlang · Choose your language · Выберите язык
language-saved = ✅ Til o'zbekchaga o'rnatildi.
error-generic = ⚠️ Bizda nimadir xato ketdi. Iltimos, bir daqiqadan so'ng qayta urinib ko'ring.
stale-button = Bu tugma endi faol emas. Qaytadan boshlash uchun /start yuboring.
unknown-command = Bunday buyruqni bilmayman. Menyuni ochish uchun /start yuboring.
banned-notice = ⛔ Bu botdan foydalanishingiz cheklangan.

# Owner, in the main Getolog bot
owner-welcome = 👋 Getolog'ga xush kelibsiz, { $name }!
    Getolog yopiq kanal yoki guruhingizga pullik kirishni o'z botingiz orqali sotadi: mijozlar to'laydi, shaxsiy taklif havolasini oladi va muddati tugaganda chiqariladi.
    Keyingi qadam: botingizni ulang (@BotFather orqali bot yarating va uning tokenini menga yuboring).

# End user, in a seller bot
seller-welcome-default = 👋 Assalomu alaykum, { $name }! Bu { $bot }. Bu yerda yopiq kanal va guruhimizga kirish huquqini sotib olishingiz mumkin.

# Alerts to moderators
alert-owner-registered = 🆕 Yangi egasi ro'yxatdan o'tdi: { $name } (id { $id }).
alert-bot-failed = 🛑 { $bot } boti { $window } ichida { $restarts } marta qulab tushdi va to'xtatildi (holati: failed).
alert-update-dropped = ⚠️ { $bot } boti { $id } yangilanishida 3 marta qulab tushdi; bot ishlashda davom etishi uchun bu yangilanish tashlab yuborildi. Tafsilotlar loglarda va Sentry'da.
alert-digest = 📣 Platformadan { $count } ta ogohlantirish:
    { $details }
