# Shared
language-prompt = 🌐 Tilni tanlang · Choose your language · Выберите язык
language-saved = ✅ Til o'zbekchaga o'rnatildi.
error-generic = ⚠️ Bizda nimadir xato ketdi. Iltimos, bir daqiqadan so'ng qayta urinib ko'ring.
stale-button = Bu tugma endi faol emas. Qaytadan boshlash uchun /start yuboring.
unknown-command = Bunday buyruqni bilmayman. Menyuni ochish uchun /start yuboring.
banned-notice = ⛔ Bu botdan foydalanishingiz cheklangan.
rate-limited = ⏳ Juda ko'p xabar yuborildi. Iltimos, biroz sekinroq.

# Owner, in the main Getolog bot
owner-welcome = 👋 Getolog'ga xush kelibsiz, { $name }!
    Getolog yopiq kanal yoki guruhingizga pullik kirishni o'z botingiz orqali sotadi: mijozlar to'laydi, shaxsiy taklif havolasini oladi va muddati tugaganda chiqariladi.
    Keyingi qadam: botingizni ulang (@BotFather orqali bot yarating va uning tokenini menga yuboring).

cancelled = ↩️ Bekor qilindi.
nothing-to-cancel = Bekor qiladigan hech narsa yo'q edi.
input-text-expected = Iltimos, buni matnli xabar qilib yuboring yoki "Bekor qilish"ni bosing.
value-not-set = belgilanmagan
input-not-a-command = ⚠️ Yuqoridagi savolga javobingizni kutyapman. Javob yuboring yoki /cancel bosing.
welcome-has-token = ⚠️ Bu matnda bot tokeni bor, u sir saqlanishi kerak. Salomlashuv xabarini tokensiz yuboring.

# Buttons
button-back = ⬅️ Orqaga
button-cancel = ✖️ Bekor qilish
button-no = Yo'q
button-language = 🌐 Til
button-connect-bot = 🤖 Bot ulash
button-channels = 📢 Kanal va guruh
button-settings = ⚙️ Sotuv sozlamalari
button-replace-token = 🔑 Tokenni almashtirish
button-disconnect = 🔌 Botni uzish
button-yes-disconnect = Ha, uzilsin
button-link = ✅ Ulash
button-ignore = ✖️ O'tkazib yuborish
button-price = 💰 Narx
button-period = 📅 Muddat
button-currency = 💱 Valyuta
button-unlink = ❌ Ajratish
button-yes-unlink = Ha, ajratilsin
button-card = 💳 Karta raqami
button-holder = 👤 Karta egasi
button-methods = 💸 To'lov usullari
button-welcome = 👋 Salomlashuv xabari

# Owner's menu and bot
menu-no-bot = 🏠 Asosiy menyu
    Sizda hali ulangan bot yo'q. Boshlash uchun "Bot ulash" tugmasini bosing.
menu-title = 🏠 Asosiy menyu
    Botingiz: { $bot } — { $status }
health-alive = ishlayapti ✅
health-dead = javob bermayapti ⚠️
health-revoked = token rad etildi ⛔ (yangi token yuboring)
health-failed = xatolar tufayli to'xtatildi 🛑
connect-first = Avval botingizni ulang.
token-ask = 🤖 Botingizni ulang
    1. @BotFather'ni oching va /newbot yuboring (yoki mavjud botni tanlash uchun /mybots).
    2. U bergan tokenni nusxalang: u 123456789:AAH... ko'rinishida bo'ladi.
    3. Tokenni shu yerga yuboring.
    Tokeningiz shifrlangan holda saqlanadi va boshqa hech qachon ko'rsatilmaydi.
token-ask-replace = 🔑 { $bot } botining yangi tokenini yuboring.
    @BotFather'da: /mybots → { $bot } → API Token → Revoke current token, so'ng yangi tokenni nusxalab shu yerga yuboring.
token-malformed = ⚠️ Bu bot tokeniga o'xshamaydi. Token 123456789:AAH... ko'rinishida bo'ladi (raqamlar, ikki nuqta, so'ng harflar). Qaytadan yuboring yoki "Bekor qilish"ni bosing.
token-platform = ⚠️ Bu Getolog'ning o'z tokeni. @BotFather orqali yaratgan o'z botingiz tokenini yuboring.
token-refused = ⚠️ Telegram bu tokenni qabul qilmadi: u noto'g'ri yoki bekor qilingan. @BotFather'dan joriy tokenni nusxalab, qaytadan yuboring.
token-telegram-unavailable = ⚠️ Telegram hozir javob bermadi. Iltimos, bir daqiqadan so'ng tokenni qayta yuboring.
token-taken = ⚠️ Bu bot Getolog'da boshqa kishi tomonidan allaqachon ro'yxatdan o'tkazilgan. @BotFather orqali o'z botingizni yarating.
token-second-bot = ⚠️ Sizda { $bot } allaqachon ulangan, bitta egaga esa bitta bot beriladi. Boshqasini ulash uchun avval uni uzing (menyu → { $bot } → Botni uzish).
bot-connected = ✅ { $bot } ishga tushdi! Keyingi qadam: uni kanal va guruhingizga administrator qilib qo'shing (menyu → Kanal va guruh).
bot-renewed = ✅ { $bot } yangi tokeni bilan yana ishlayapti.
bot-screen = 🤖 { $bot }
    Holati: { $status }
disconnect-confirm = { $bot } uzilsinmi? U darhol javob berishni to'xtatadi. Uning kanali, guruhi, mijozlari va to'lovlari saqlanib qoladi, keyinroq uni qayta ulashingiz mumkin.
bot-disconnected = 🔌 { $bot } uzildi. Ma'lumotlari saqlanib qoldi; qayta ulash uchun tokenini yana yuboring.

# Channel and group
channels-howto = 📢 Kanal va guruh
    { $bot } botini yopiq kanalingiz va/yoki guruhingizga administrator qilib qo'shing va unga quyidagi huquqlarni bering: "Foydalanuvchilarni havola orqali taklif qilish" va "Foydalanuvchilarni bloklash". Har birini shu yerda tasdiqlashingizni so'rayman.
channels-none = Hozircha hech narsa ulanmagan.
kind-channel = 📢 Kanal
kind-group = 👥 Guruh
link-status-linked = ulangan ✅
link-status-pending = tasdiqlashingiz kutilmoqda ⏳
link-status-broken = aloqa uzilgan ⚠️ (bot huquqlarini yo'qotgan)
link-status-unlinked = ulanmagan
price-not-set = narx belgilanmagan (muddat: { $period })
period-lifetime = umrbod
period-months = { $count } oy
link-ask-channel = { $bot } endi «{ $title }» kanalining administratori. Bu kanalga kirish sotilsinmi?
link-ask-group = { $bot } endi «{ $title }» guruhining administratori. Bu guruhga kirish sotilsinmi?
link-done = ✅ «{ $title }» ulandi. Endi uning narxi va muddatini belgilang.
link-ignored = «{ $title }» ulanmadi.
link-already = ⚠️ Siz bu turdagi chatni allaqachon sotyapsiz: «{ $title }». Boshqasini ulash uchun avval uni ajrating.
link-missing-rights = ⚠️ Bot «{ $title }» administratori, lekin unda quyidagi huquqlar yetishmaydi:
    { $details }
    Ularni chatning administrator sozlamalarida bering, men yana so'rayman.
link-broken-rights = ⚠️ { $bot } «{ $title }»dagi huquqlarini yo'qotdi, shuning uchun u yerga hech kimni kiritib ham, chiqarib ham bo'lmaydi:
    { $details }
    Huquqlarni qaytaring, shunda aloqa tiklanadi.
link-broken-removed = ⚠️ { $bot } «{ $title }»dan chiqarildi yoki endi u yerda administrator emas. Botni qayta administrator qilmaguningizcha sotuv to'xtatib turiladi.
link-restored = ✅ { $bot } «{ $title }»dagi huquqlarini qaytarib oldi: aloqa tiklandi.
link-not-admin = { $bot } «{ $title }» ga oddiy a'zo sifatida qo'shildi. U yerda kirish huquqini sotish uchun uni "Foydalanuvchilarni havola orqali taklif qilish" va "Foydalanuvchilarni bloklash" huquqlari bilan administrator qiling.
right-invite-users = Foydalanuvchilarni havola orqali taklif qilish
right-restrict-members = Foydalanuvchilarni bloklash
unlink-confirm = «{ $title }» ajratilsinmi? Yangi mijozlar uni endi sotib ololmaydi; joriy obunalar muddati tugaguncha amal qiladi.
unlinked = «{ $title }» ajratildi.
price-ask = 💰 «{ $title }» uchun bir muddatlik narxni { $currency } valyutasida yuboring, masalan: 50 000
price-saved = ✅ Saqlandi: { $terms }.
terms-saved = ✅ Saqlandi.
period-choose = 📅 Bir martalik to'lov «{ $title }»ga qancha muddatga kirish beradi?
currency-choose = 💱 «{ $title }» valyutasi:
price-error-empty = ⚠️ Son yuboring, masalan: 50 000
price-error-not-a-number = ⚠️ Bu narxni tushuna olmadim. Faqat raqamlar yozing, masalan: 50 000 yoki 50000.50.
price-error-decimals = ⚠️ Narxda o'nli nuqtadan keyin ko'pi bilan 2 ta raqam bo'lishi mumkin.
price-error-not-positive = ⚠️ Narx noldan katta bo'lishi kerak.
price-error-too-large = ⚠️ Bu narx juda katta (ko'pi bilan 9 999 999 999.99).

# Selling settings
settings-screen = ⚙️ Sotuv sozlamalari
    Karta raqami: { $card }
    Karta egasi: { $holder }
    To'lov usullari: { $methods }
    O'z salomlashuv xabaringiz: { $welcome }
welcome-all-default = yo'q (standart matn)
method-card = Kartaga o'tkazma
methods-screen = 💸 Mijozlaringiz foydalana oladigan to'lov usullari. Tez orada yangi usullar qo'shiladi.
methods-keep-one = Kamida bitta to'lov usuli yoqilgan bo'lishi kerak.
card-ask = 💳 Mijozlar pul o'tkazadigan karta raqamini yuboring (16 yoki 19 ta raqam).
card-saved = ✅ Karta raqami saqlandi.
card-error-not-digits = ⚠️ Karta raqami faqat raqamlardan iborat bo'ladi (bo'sh joylar mumkin).
card-error-length = ⚠️ Karta raqami 16 yoki 19 ta raqamdan iborat bo'ladi.
card-error-checksum = ⚠️ Bu karta raqami yaroqsiz: xato yozilmaganini tekshiring.
holder-ask = 👤 Karta egasining ismini kartada yozilganidek yuboring.
holder-saved = ✅ Karta egasi saqlandi.
holder-error-length = ⚠️ Ism 2 tadan 64 tagacha belgidan iborat bo'lishi kerak.
holder-error-characters = ⚠️ Ismda faqat harflar, bo'sh joylar, nuqtalar, chiziqchalar va apostroflar bo'lishi mumkin.
welcome-screen = 👋 Mijozlar tilni tanlagandan keyin ko'radigan xabar.
welcome-default-marker = (standart matn)
welcome-ask = ✏️ Salomlashuv xabarini yuboring ({ $language }). Standart matn:
    { $details }
welcome-saved = ✅ Salomlashuv xabari saqlandi.
welcome-reset = ↩️ Standart salomlashuv xabari qaytarildi.
welcome-too-long = ⚠️ Bu juda uzun: ko'pi bilan { $count } ta belgi bo'lishi mumkin.

# Owner: payments, customers, notifications
button-approve = ✅ Tasdiqlash
button-reject = ❌ Rad etish
button-reject-typed = ✍️ Boshqa sabab
button-notice-new = Yangi mijozlar
button-notice-joins = Mijozlar qo'shilishi
review-caption = 🧾 To'lov #{ $id } tekshiruvingizni kutmoqda
    Mijoz: { $name }
    Xarid: { $title }
    Bot: { $bot }
    Pul kelib tushganini tekshiring, so'ng tasdiqlang yoki rad eting.
review-caption-again = 🧾 To'lov #{ $id } uchun { $count }-chek (mijoz yana bittasini yubordi)
    Mijoz: { $name }
    Xarid: { $title }
    Bot: { $bot }
review-approved = ✅ Tasdiqlandi
review-rejected = ❌ Rad etildi: { $details }
review-rejected-short = ❌ Rad etildi
review-rejected-typed = ❌ To'lov #{ $id } rad etildi; mijozga xabar berildi.
review-already-approved = Bu to'lov allaqachon tasdiqlangan.
review-already-rejected = Bu to'lov allaqachon rad etilgan.
review-link-failed = ⚠️ To'lov tasdiqlandi, lekin bot «{ $title }» uchun taklif havolasini yarata olmadi. U hali ham "Foydalanuvchilarni havola orqali taklif qilish" huquqiga ega administrator ekanini tekshiring; shundan so'ng mijoz "Taklif havolasini olish" tugmasi orqali havola olishi mumkin.
reject-reason-amount = Summa narxga mos kelmaydi
reject-reason-unreadable = Chekni o'qib bo'lmaydi
reject-reason-not-received = To'lov kelib tushmagan
reject-reason-ask = ✍️ To'lov #{ $id } nima sababdan rad etilayotganini yozing; mijoz buni o'qiydi.
owner-new-customer = 👤 { $bot } botida yangi mijoz: { $name }
owner-joined = 🎉 { $name } qo'shildi: { $title }.
owner-foreign-join = ⚠️ { $title }: { $name } { $owner } mijozining shaxsiy havolasi orqali qo'shilmoqchi bo'ldi. So'rov rad etildi.
owner-not-ready = ⚠️ Mijoz { $bot } botini ochdi, lekin bot hali sota olmaydi:
    { $details }
    Buni shu botning menyusida tuzating; mijozlardan keyinroq qaytishni so'raymiz.
missing-linked = hech qanday kanal yoki guruh ulanmagan
missing-price = «{ $title }» narxi belgilanmagan
missing-card = to'lov uchun karta raqami kiritilmagan
missing-holder = karta egasining ismi kiritilmagan
button-reply = ↩️ Javob berish
support-to-owner = 💬 { $bot } orqali { $name } dan xabar:
support-reply-ask = ↩️ { $name } ga javobingizni yozing (matn yoki rasm).
support-reply-sent = ✅ Javobingiz { $name } ga yuborildi.
button-customers = 👥 Mijozlar
button-search = 🔍 Qidirish
button-ban = 🚫 Bloklash
button-unban = ✅ Blokdan chiqarish
button-grant = 🎁 Kirish berish
customers-title = 👥 { $bot } mijozlari: { $count }
customers-found = 🔍 { $bot } mijozlari orasida topildi: { $count }
customers-search-ask = 🔍 Qidirish uchun ism, @username yoki Telegram id yuboring.
customer-card = 👤 { $name }
    Til: { $language }
customer-banned-mark = 🚫 Bloklangan
customer-subscriptions = Kirish:
customer-payments = Oxirgi to'lovlar:
customer-none = —
customer-banned = 🚫 Bloklandi: kanal va guruhingizdan chiqarildi.
customer-unbanned = ✅ Blokdan chiqarildi.
customer-is-banned = Avval bu mijozni blokdan chiqaring.
grant-choose-chat = 🎁 { $name } ga qayerga kirish berilsin:
grant-choose-period = 🎁 { $name } ga { $title } qancha muddatga berilsin?
grant-done = 🎁 Kirish berildi; mijoz taklif havolasini oldi.

# End user, in a seller bot
seller-command-start = Boshlash va tilni tanlash
seller-welcome-default = 👋 Assalomu alaykum, { $name }! Bu { $bot }. Bu yerda yopiq kanal va guruhimizga kirish huquqini sotib olishingiz mumkin.

platform-advert = 🤖 Bu do'kon Getolog'da ishlaydi: { $bot } orqali o'z kanalingizga kirishni soting
shop-offer = 🛒 Sotib olishingiz mumkin:
shop-access-until = kirishingiz { $details } gacha amal qiladi
shop-access-lifetime = sizda umrbod kirish bor
shop-not-ready = 🙏 Sotuv hali ochilmagan. Iltimos, birozdan so'ng qaytib keling.
button-buy = Sotib olish: { $title }
button-renew = Uzaytirish: { $title }
button-fresh-link = 🔗 Taklif havolasini olish
button-buy-again = 🛒 Yana sotib olish
shop-choose-method = { $title } uchun qanday to'lashni xohlaysiz?
shop-card-details = 💳 { $title }
    Ushbu kartaga aynan { $details } o'tkazing:
    { $card }
    Karta egasi: { $holder }
    So'ng chekni shu yerga rasm yoki fayl ko'rinishida yuboring.
shop-receipt-expected = 🧾 Iltimos, chekni rasm yoki fayl ko'rinishida yuboring (o'tkazma skrinshoti) yoki "Bekor qilish"ni bosing.
shop-receipt-received = 🧾 Chek qabul qilindi. To'lov #{ $id } tekshirilmoqda; tekshiruv tugashi bilan shu yerda xabar olasiz.
shop-receipt-again = 🧾 Bu chek bizda allaqachon bor: to'lov #{ $id } tekshirilmoqda; tekshiruv tugashi bilan shu yerda xabar olasiz.
shop-choose-first = To'lash uchun avval nima sotib olayotganingizni tanlang.
payment-approved-link = ✅ To'lov #{ $id } tasdiqlandi! { $title }: { $details }.
    Shaxsiy taklif havolangiz: { $link }
    Uni oching va "Qo'shilish uchun so'rov yuborish" tugmasini bosing: darhol qabul qilinasiz. Havola faqat siz uchun ishlaydi.
payment-approved-renewal = ✅ To'lov #{ $id } tasdiqlandi! { $title } uchun kirish uzaytirildi: { $details }.
payment-approved-no-link = ✅ To'lov #{ $id } tasdiqlandi! { $title }: { $details }. Taklif havolangiz tez orada keladi; keyinroq "Taklif havolasini olish" tugmasini ham bosishingiz mumkin.
payment-rejected = ❌ To'lov #{ $id } qabul qilinmadi. Sabab: { $details }
    Agar bu xato deb hisoblasangiz, yangi chek yuboring yoki sotuvchiga murojaat qiling.
access-until = kirish { $details } gacha
access-lifetime = umrbod kirish
access-fresh-link = 🔗 { $title }: yangi shaxsiy havolangiz { $link }
access-already-in = ✅ Siz allaqachon { $title } a'zosisiz.
access-link-failed = ⚠️ Hozir { $title } uchun havola yaratib bo'lmayapti; sotuvchiga xabar berildi. Iltimos, keyinroq qayta urinib ko'ring.
access-none = Sizda hali faol kirish yo'q.
button-support = 💬 Sotuvchiga yozish
support-ask = 💬 Sotuvchiga xabaringizni yozing (matn yoki rasm). Javob shu yerga keladi.
support-sent = ✉️ Sotuvchiga yuborildi. Javob shu yerga keladi.
support-from-seller = 💬 Sotuvchidan javob:

# Alerts to moderators
alert-owner-registered = 🆕 Yangi egasi ro'yxatdan o'tdi: { $name } (id { $id }).
alert-bot-failed = 🛑 { $bot } boti { $window } ichida { $restarts } marta qulab tushdi va to'xtatildi (holati: failed). { $retry } dan keyin qayta uriniladi, u qulashda davom etsa, tobora kamroq.
alert-update-dropped = ⚠️ { $bot } boti { $id } yangilanishida 3 marta qulab tushdi; bot ishlashda davom etishi uchun bu yangilanish tashlab yuborildi. Tafsilotlar loglarda va Sentry'da.
alert-digest = 📣 Platformadan { $count } ta ogohlantirish:
    { $details }

# Scheduler: end of access, warnings, plans, bot health
access-ending = ⏳ { $chat } ga kirishingiz { $date } da tugaydi ({ $days } kundan keyin). Hozir uzaytiring: yangi muddat joriy muddat tugagan joydan boshlanadi.
access-ended = ⌛ { $chat } ga kirishingiz { $date } da tugadi. Qaytish uchun istalgan vaqtda uzaytiring.
owner-access-removed = ⌛ { $user } { $chat } dan chiqarildi: to'langan muddat tugadi.
owner-access-ended = ⌛ { $user } ning { $chat } ga kirishi tugadi (u u yerda allaqachon yo'q edi).
owner-removal-needs-rights = ⚠️ Botingiz muddati tugaganlarni { $chat } dan chiqara olmayapti ({ $count } ta kutmoqda, birinchisi: { $user }): unga u yerda «Foydalanuvchilarni bloklash» huquqi kerak. Huquqni qaytaring — chiqarish keyingi ishga tushishda davom etadi.
owner-removal-no-access = ⚠️ Botingiz muddati tugaganlarni chiqarish uchun { $chat } ga kira olmayapti ({ $count } ta kutmoqda, birinchisi: { $user }): u endi administrator emas. Uni yana administrator qiling — chiqarish keyingi ishga tushishda davom etadi.
owner-removal-stuck = ⚠️ { $user } hali { $chat } dan chiqarilmadi: Telegram xato qaytarishda davom etmoqda ({ $failures } urinish). Getolog kamroq-kamroq urinib turadi; bu cho'zilmasa, sizdan hech narsa talab qilinmaydi.
owner-removal-token-revoked = ⚠️ { $chat } da to'langan muddati tugagan mijozlar hali bor: { $count }. Telegram botingiz tokenini qabul qilmaguncha, bot ularni chiqara olmaydi. Yangi tokenni yuboring (🤖 → 🔑 Tokenni almashtirish) — chiqarish keyingi ishga tushishda davom etadi.
access-renewed-rejoin = ✅ { $chat } uchun uzaytirishingiz oldingi muddat tugagan paytda keldi, shuning uchun bir lahzaga chiqarildingiz. Kirish davom etadi; shaxsiy havolangiz orqali qayting: { $link }
plan-ending = ⏳ Getolog tarifingiz ({ $plan }) { $date } da tugaydi ({ $days } kundan keyin). Shundan so'ng sotuvchi botingizda yana Getolog reklamasi chiqadi.
plan-expired = ℹ️ Getolog tarifingiz ({ $plan }) tugadi: endi siz bepul tarifdasiz va sotuvchi botingizda yana Getolog reklamasi ko'rsatiladi.
owner-bot-revoked = 🔑 Telegram { $bot } tokenini endi qabul qilmayapti, shuning uchun bot to'xtadi. @BotFather ni oching, botning joriy tokenini oling (yoki /revoke bilan yangisini yarating) va shu yerga yuboring: bot barcha ma'lumotlari bilan qaytadi.
owner-bot-failed = ⚠️ { $bot } botingiz ketma-ket xatolarga uchradi va vaqtincha to'xtatildi. Getolog uni { $retry } dan keyin o'zi qayta ishga tushiradi; muddati tugagan mijozlar bu orada ham chiqarib turiladi. Jamoamiz xabardor. Bu takrorlansa, @BotFather da bot mavjudligini tekshiring va tokenini qayta yuboring (🤖 → 🔑 Tokenni almashtirish).
alert-bot-revoked = 🔑 { $bot } bot: token bekor qilingan; egasi yangisini yubormaguncha to'xtatildi.
alert-bot-dead = 💀 { $bot } bot ketma-ket { $failures } ta tekshiruvga javob bermadi (holat: dead).
alert-bot-recovered = 💚 { $bot } bot yana javob bermoqda (holat: alive).
alert-removals-blocked = 🚫 { $bot } bot muddati tugagan mijozlarni { $chat } dan chiqara olmayapti: { $cause }. Egasi xabardor; tuzatilgach, chiqarish o'zi davom etadi.
removal-cause-rights = unda «Foydalanuvchilarni bloklash» huquqi yo'q
removal-cause-no_access = u yerda administrator emas (yoki chat yo'q)
removal-cause-token = Telegram uning tokenini qabul qilmayapti
removal-cause-failing = Telegram xato qaytarishda davom etmoqda
alert-plan-ending = ⏳ Egasi { $name } (id { $id }): tarif { $date } da tugaydi ({ $days } kun qoldi).
alert-plan-expired = ℹ️ Egasi { $name } (id { $id }): tarif tugadi; yana bepul tarifda.

# Platform plans (owner)
button-plan = ⭐ Tarif
plan-current-paid = ⭐ Tarifingiz: { $plan }, { $date } gacha.
plan-current-free = ⭐ Tarifingiz: bepul.
plan-explained = Bepul tarifda hammasi ishlaydi, sotuvchi botingiz esa til tanlash ekranida qisqa Getolog reklamasini ko'rsatadi. Pullik tarif reklamani olib tashlaydi. Tarifni tanlang:
plan-unavailable = ⚠️ Hozir tarif sotib bo'lmaydi: platforma kartasi ko'rsatilmagan. Keyinroq urinib ko'ring.
plan-pay = 💳 { $plan } narxi { $amount }.
    Aynan { $amount } ni kartaga o'tkazing:
    { $card }
    { $holder }
    va chekni shu yerga rasm yoki fayl qilib yuboring. Uni moderator tekshiradi.
plan-receipt-expected = 🧾 Chekni rasm yoki fayl qilib yuboring (yoki /cancel).
plan-receipt-received = ✅ Chek qabul qilindi (tarif to'lovi #{ $id }). Moderator tez orada tekshiradi; javob shu yerga keladi.
plan-approved = 🎉 { $plan } tarifingiz { $date } gacha faol. Getolog reklamasi botingizdan olib tashlandi.
plan-rejected = ❌ #{ $id } tarif to'lovi qabul qilinmadi: { $details }
plan-granted = 🎁 Moderator sizga { $plan } tarifini berdi: u { $date } gacha amal qiladi.
plan-paid = 🎉 { $provider } to'lovi #{ $id } qabul qilindi: { $plan } tarifingiz { $date } gacha faol. Getolog reklamasi sotuvchi botingizdan olib tashlandi.
plan-paid-moderator = 💳 Tarif to'lovi #{ $id }: { $name } { $plan } uchun { $provider } orqali { $amount } to'ladi. Tekshirish shart emas.
plan-refunded = ↩️ Tarif to'lovi #{ $id } ({ $provider }) qaytarildi. { $details }
plan-refund-shortened = Pullik tarifingiz endi { $date } gacha amal qiladi.
plan-refund-ended = Pullik tarifingiz tugadi: tez orada Free tarifiga qaytasiz.
plan-refunded-moderator = ↩️ { $name } ning tarif to'lovi #{ $id } ({ $provider }) qaytarildi: { $plan } uchun { $amount }.
plan-pay-through = Yoki chek yubormasdan bir bosishda to'lang:
plan-pay-open = 💳 { $provider } orqali { $amount } to'lash
plan-order-failed = ⚠️ To'lovni tayyorlab bo'lmadi. Birozdan so'ng qayta urinib ko'ring.
plan-price = 💳 { $plan } narxi { $amount }.
plan-pay-tap = Bir bosishda to'lang: to'lov tasdiqlanishi bilan tarif boshlanadi.
plan-checkout = 💳 { $plan } — { $amount }, tarif buyurtmasi #{ $id }. { $provider } orqali to'lash uchun tugmani bosing: { $provider } to'lovni tasdiqlashi bilan tarif boshlanadi va shu yerda xabar olasiz.
shop-closed = ⛔ Bu do'kon vaqtincha yopiq. Keyinroq qaytib keling.

# Moderator panel
command-start = Boshlash va tilni tanlash
command-menu = Asosiy menyu
command-plan = Getolog tarifingiz
command-cancel = Joriy savoldan chiqish
command-panel = Moderator paneli
button-dashboard = 📊 Umumiy ko'rinish
button-owners = 👥 Egalar
button-payments = 💳 To'lovlar
button-grant-plan = 🎁 Tarif berish
button-plan-payments = ⭐ Tarif to'lovlari
button-end-user-payments = 💳 Mijozlar to'lovlari
period-today = Bugun
period-week = 7 kun
period-month = 30 kun
period-all = Butun davr
status-all = Hammasi
status-pending = Kutilmoqda
status-approved = Tasdiqlangan
status-rejected = Rad etilgan
status-refunded = Qaytarilgan
dashboard = 📊 Umumiy ko'rinish — { $period }
    Egalar: { $owners } (yangi: { $new_owners })
    Botlar: { $bots }
    Mijozlar: { $end_users } (yangi: { $new_end_users })
    Mijozlar to'lovlari: { $payments }
    Tasdiqlangan: { $approved }
    Usullar bo'yicha tasdiqlangan: { $methods }
    Tariflardan tushum: { $plan_revenue } ({ $plan_methods })
    Tariflar bo'yicha egalar: { $plans }
owners-title = 👥 Egalar: { $count } ({ $page }-sahifa)
owners-found = 🔍 Topilgan egalar: { $count }
owners-search-ask = 🔍 @username, ism yoki Telegram id yozing.
owner-card = 👤 { $name }
    Bot: { $bot }
    { $plan }
    Mijozlar: { $count }
    Tasdiqlangan tushum: { $amount }
    So'nggi to'lovlar:
    { $details }
owner-card-no-bot = bot ulanmagan
owner-ban-done = Ega bloklandi
owner-unban-done = Ega blokdan chiqarildi
owner-banned-by-moderator = ⛔ Moderator Getolog hisobingizni to'xtatdi: sotuvchi botingiz endi sotmaydi. Mavjud obunalar muddati tugaguncha davom etadi.
owner-unbanned-by-moderator = ✅ Getolog hisobingiz yana faol: botingiz yana sotadi.
grant-plan-ask = 🎁 Qaysi tarif berilsin? U hozir boshlanadi yoki joriy tarifni uzaytiradi.
grant-plan-done = Tarif berildi
plan-review-caption = 🧾 Tarif to'lovi #{ $id }
    Ega: { $name }
    Tarif: { $plan }
    Summa: { $amount }
plan-review-approved = Tasdiqlandi
plan-review-rejected = Rad etildi
plan-decided-approved = ✅ { $name } tasdiqladi
plan-decided-rejected = ❌ { $name } rad etdi
plan-reject-reason-ask = ✍️ #{ $id } tarif to'lovini rad etish sababini yozing; uni ega o'qiydi.
review-already-decided = Bu to'lov bo'yicha boshqa moderator allaqachon qaror qilgan
payments-end-users-title = 💳 Mijozlar to'lovlari: { $count }
    { $details }
payments-plans-title = ⭐ Tarif to'lovlari: { $count }
    { $details }
payments-none = yo'q

# Owner statistics
command-stats = Statistikangiz
button-stats = 📈 Statistika
button-stats-chart = 📊 30 kunlik grafik
button-export-payments = ⬇️ To'lovlar CSV
button-export-subscribers = ⬇️ Obunachilar CSV
stats-no-bot = Avval bot ulang: statistika uning sotuvlari haqida.
stats-title = 📈 Statistika — { $period }
stats-chat = { $chat }
    To'lovlar: { $payments }
    Tushum: { $revenue }
    Yangi obunachilar: { $new } · uzaytirishlar: { $renewals } · hozir faol: { $active }
stats-total = Σ Jami
    To'lovlar: { $payments }
    Tushum: { $revenue }
    Yangi obunachilar: { $new } · uzaytirishlar: { $renewals } · hozir faol: { $active }
    Botdagi yangi mijozlar: { $customers }
    To'lov usullari bo'yicha: { $methods }
chart-owner-title = Kunlik tushum va yangi obunachilar
chart-revenue = Tushum, { $currency }
chart-new-subscribers = Yangi obunachilar
chart-caption = 📊 { $details }
export-caption = ⬇️ CSV (UTF-8, vergul bilan)
stats-report-failed = ⚠️ Hisobotni tayyorlab bo'lmadi. Biz xabardormiz; keyinroq urinib ko'ring.
button-reports = 📈 Hisobotlar
button-export-owners = ⬇️ Egalar CSV
button-export-plan-payments = ⬇️ Tarif to'lovlari CSV
reports-title = 📈 Hisobotlar: so'nggi 30 kun grafikda va hammasi CSV da.
chart-platform-title = Kunlik yangi egalar va tariflardan tushum
chart-new-owners = Yangi egalar

# A review copy acts only on the version of the payment it showed.
review-changed = Bu nusxa yuborilgandan keyin to'lov o'zgardi; hech narsa qilinmadi. Eng yangi nusxani ko'rib chiqing.
review-outdated = To'lov #{ $id }: mijoz yangi chek yubordi, u yangiroq xabarda. Bu nusxani endi tasdiqlab ham, rad etib ham bo'lmaydi.
plan-review-outdated = Tarif to'lovi #{ $id }: egasi yangi chek yubordi, u yangiroq xabarda. Bu nusxani endi tasdiqlab ham, rad etib ham bo'lmaydi.
# A grant button grants once.
grant-already-done = Bu tugma allaqachon kirish bergan; boshqa hech narsa qilinmadi.

## Automatic payments (Payme, Click, Uzum)
owner-paid = 💳 { $bot } botida { $provider } to'lovi #{ $id }: { $name } { $title } uchun { $amount } to'ladi. Kirish berildi.
customer-refunded = ↩️ #{ $id } to'lov ({ $provider }) qaytarildi. { $details }
owner-refunded = ↩️ { $bot } botidagi { $provider } to'lovi #{ $id } qaytarildi: { $name }, { $title }, { $amount }. { $details }
refund-shortened = { $title } ga kirish endi { $date } da tugaydi.
refund-ended = { $title } ga kirish tugadi.
method-payme = 💳 Payme
button-pay-payme = 💳 Payme orqali to'lash
shop-payme = { $title }
    Buyurtma #{ $id }. Payme'da to'lash uchun tugmani bosing; shaxsiy havolangiz to'lovdan so'ng bir necha soniyada shu yerga keladi.
payme-bad-merchant-id = ❌ Bu Payme kassa ID emas: u 24 belgidan (a–f harflari va raqamlar) iborat, Payme Business kabinetidagidek.
payme-bad-key = ❌ Bu Payme kaliti emas: uni Payme Business'dagi kassa sozlamalaridan to'liq nusxalang (bo'shliqsiz).
value-set = kiritilgan
button-payme = 💳 Payme
payme-screen = 💳 Payme: mijozlar bir bosishda to'laydi, pul to'g'ridan-to'g'ri Payme Business kassangizga tushadi.
    Kassa ID: { $id }
    Asosiy kalit: { $key }
    Test kaliti: { $test }
    Ishlatilmoqda: { $mode }
payme-endpoint = Payme Business → kassangiz → Sozlamalar bo'limida Endpoint URL sifatida shuni qo'ying:
    { $url }
payme-mode-test = test kaliti (sandbox)
payme-mode-live = asosiy kalit
payme-ask-cashbox = Payme kassa ID sini yuboring (24 belgi, Payme Business → kassangiz → Dasturchilar uchun).
payme-ask-key = Kassaning asosiy kalitini yuboring. Xabar darhol o'chiriladi, kalit shifrlangan holda saqlanadi.
payme-ask-test-key = Kassaning test kalitini yuboring (sandbox uchun). Xabar darhol o'chiriladi, kalit shifrlangan holda saqlanadi.
button-payme-cashbox = 🆔 Kassa ID
button-payme-key = 🔑 Asosiy kalit
button-payme-test-key = 🧪 Test kaliti
button-payme-use-test = 🧪 Test kalitini ishlatish
button-payme-use-live = 🔑 Asosiy kalitni ishlatish
method-click = 💠 Click
button-pay-click = 💠 Click orqali to'lash
shop-click = { $title }
    Buyurtma #{ $id }. Click'da to'lash uchun tugmani bosing; shaxsiy havolangiz to'lovdan so'ng bir necha soniyada shu yerga keladi.
click-bad-id = ❌ Bu Click ID emas: u butun son, Click merchant kabinetidagidek.
click-bad-secret = ❌ Bu Click maxfiy kaliti emas: uni Click merchant kabinetidan to'liq nusxalang (bo'shliqsiz).
provider-status = Holat: { $status }
provider-status-on = ✅ mijozlarga taklif qilinadi
provider-status-off = ⬜ taklif qilinmaydi
provider-saved = ✅ Saqlandi.
provider-incomplete = Avval barcha qiymatlarni kiriting.
provider-disconnect-confirm = { $provider } uzilsinmi? Barcha qiymatlar, kalitlar ham o'chiriladi; mijozlarga { $provider } taklif qilinmaydi.
button-provider-on = ✅ Mijozlarga taklif qilish
button-provider-off = ⬜ Taklif qilmaslik
button-provider-disconnect = 🗑 Uzish
button-provider-disconnect-yes = 🗑 Ha, uzilsin
button-click = 💠 Click
click-screen = 💠 Click: mijozlar bir bosishda to'laydi, pul to'g'ridan-to'g'ri Click merchant hisobingizga tushadi.
    service_id: { $service }
    merchant_id: { $merchant }
    merchant_user_id: { $user }
    Maxfiy kalit: { $key }
click-endpoints = Click merchant kabinetida xizmat manzillari sifatida shularni kiriting:
    Prepare: { $prepare }
    Complete: { $complete }
click-ask-service = Click service_id ni yuboring (Click merchant kabinetidagi son).
click-ask-merchant = Click merchant_id ni yuboring (son).
click-ask-merchant-user = Click merchant_user_id ni yuboring (son).
click-ask-secret = Xizmatning maxfiy kalitini yuboring. Xabar darhol o'chiriladi, kalit shifrlangan holda saqlanadi.
button-click-service = service_id
button-click-merchant = merchant_id
button-click-user = merchant_user_id
button-click-secret = 🔑 Maxfiy kalit
method-manual = Qo'lda berilgan
method-uzum = 🟣 Uzum Bank
button-pay-uzum = 🟣 Uzum Bank'da to'lash
shop-uzum = { $title }
    Buyurtma #{ $id }. Uzum Bank ilovasida to'lash uchun tugmani bosing; shaxsiy havolangiz to'lovdan so'ng bir necha soniyada shu yerga keladi.
button-uzum = 🟣 Uzum Bank
uzum-screen = 🟣 Uzum Bank: mijozlar Uzum Bank ilovasida to'laydi, pul to'g'ridan-to'g'ri merchant hisobingizga tushadi.
    serviceId: { $service }
    Login: { $login }
    Parol: { $key }
uzum-endpoint = Uzum menejeriga ushbu webhook manzilini (Uzum …/check, …/create, …/confirm, …/reverse va …/status ga murojaat qiladi) login va parol bilan birga bering:
    { $url }
uzum-ask-service = Uzum serviceId ni yuboring (Uzum Bank bilan shartnomadagi son).
uzum-ask-login = Uzum so'rovlari uchun kelishilgan loginni yuboring.
uzum-ask-password = Uzum bilan kelishilgan parolni yuboring. Xabar darhol o'chiriladi, parol shifrlangan holda saqlanadi.
button-uzum-service = serviceId
button-uzum-login = 👤 Login
button-uzum-password = 🔑 Parol
uzum-bad-login = ❌ Bu login emas: 128 belgigacha, bo'shliq va ikki nuqtasiz.
uzum-bad-password = ❌ Bu parol emas: 8 dan 128 gacha belgi, bo'shliqsiz.

## Bir bosishda do'kon boti (boshqariladigan botlar)
button-create-bot = 🤖 Do'kon botimni yaratish
button-reissue-token = 🔑 Yangi token chiqarish
create-bot-offer = 🤖 Pastdagi «Do'kon botimni yaratish» tugmasini bosing. Telegram nomi va username'i to'ldirilgan qisqa shaklni ochadi: xohlasangiz o'zgartiring va tasdiqlang. Yangi bot Getolog'ga o'zi ulanadi, token nusxalash shart emas.
managed-bot-stranger = 👋 { $bot } botingiz yaratildi, lekin uni bu yerda faqat Getolog egalari ulay oladi. /start yuboring va tilni tanlang, so'ng «Bot ulash» tugmasini bosib, { $bot } tokenini yuboring (@BotFather → /mybots → { $bot } → API Token).
reissue-not-managed = ⚠️ Bu bot Getolog orqali yaratilmagan, shuning uchun Getolog uning tokenini chiqara olmaydi. Joriy tokenni @BotFather'dan olib, shu yerga yuboring.
owner-bot-revoked-managed = 🔑 Telegram { $bot } tokenini endi qabul qilmayapti, shuning uchun bot to'xtadi. «Yangi token chiqarish» tugmasini bosing: Getolog Telegram'dan yangi token oladi va bot barcha ma'lumotlari bilan qaytadi.

# Telegram Stars
method-stars = ⭐ Telegram Stars
button-stars-price = ⭐ Stars narxi
button-stars-clear = ✖️ Stars'ga emas
stars-price-ask = ⭐ { $title } narxini Telegram Stars'da yuboring: 1 dan 10 000 gacha butun son. 1 oylik chat Telegram har 30 kunda o'zi yangilaydigan obuna sifatida sotiladi; uzoqroq muddatlar bir marta to'lanadi. Stars'ni ⚙️ Sotuv sozlamalari → 💸 To'lov usullari bo'limida yoqing.
stars-price-not-whole = Stars narxi butun son bo'lishi kerak, masalan 250.
stars-price-range = Telegram bir to'lovda 1 dan 10 000 gacha Stars qabul qiladi.
stars-invoice-description = { $title } ga kirish: { $terms }
shop-stars-subscribe = { $title }
    Buyurtma #{ $id }. Tugma orqali obuna bo'ling: Telegram bekor qilmaguningizcha har 30 kunda Stars yechadi, shaxsiy taklif havolangiz birinchi to'lovdan keyin shu yerga keladi.
button-stars-subscribe = ⭐ Obuna: oyiga { $stars } Stars
stars-declined-stale = Bu hisob endi amal qilmaydi. Do'konni /start orqali qayta oching.
stars-declined-not-sold = Bu chat endi Stars'ga sotilmaydi.
stars-declined-price = Hisob berilgandan keyin narx o'zgardi. Do'konni /start orqali qayta oching.
stars-sub-canceled = { $title } uchun Stars obunangiz yangilanmaydi. Kirish { $date } gacha amal qiladi.
stars-sub-active = { $title } uchun Stars obunangiz yana yangilanadi. { $date } gacha to'langan.
stars-sub-failed = Telegram { $title } uchun Stars obunangizni yangilay olmadi. Kirish { $date } gacha amal qiladi; uni saqlash uchun /start orqali qayta obuna bo'ling.
button-stars-refund = ↩️ #{ $id } ni qaytarish ({ $stars } ⭐)
button-stars-stop = ⏹ Stars obunasi yangilanishini to'xtatish
button-yes-refund = Ha, qaytarish
button-yes-stop = Ha, to'xtatish
stars-refund-confirm = Stars to'lovi #{ $id } ({ $stars } ⭐) qaytarilsinmi? Stars mijozga qaytadi, bu to'lov bergan kirish olib qo'yiladi.
stars-stop-confirm = Bu Stars obunasining yangilanishi to'xtatilsinmi? Mijoz to'langan muddat oxirigacha kirishni saqlaydi.
stars-refunded = ↩️ To'lov #{ $id } qaytarildi.
stars-stopped = ⏹ Obuna yangilanmaydi.
stars-call-failed = Telegram hozir so'rovni qabul qilmadi. Bir daqiqadan keyin qayta urinib ko'ring.
access-renews = 🔄 { $chat } uchun Stars obunangiz { $date } da yangilanadi: Telegram to'lovni o'zi yechadi, hech narsa qilish shart emas. To'xtatish uchun uni Telegram sozlamalari → Mening Stars'larim bo'limida bekor qiling.
owner-stars-mismatch = ⚠️ { $bot } ning Telegram Stars'lari Getolog yozuvlariga mos kelmaydi. Telegram yechgan, lekin kirish berilmagan: { $unrecorded }. Berilgan, lekin yechilmagan: { $unknown }. Faqat bir tomonda qaytarilgan: { $refunds }. Moderatorlarga xabar berildi, ular tekshiradi.
alert-stars-mismatch = ⚠️ { $bot } da Stars nomuvofiqligi: { $unrecorded } ta yechilgan, lekin berilmagan, { $unknown } ta berilgan, lekin yechilmagan, { $refunds } ta bir tomonlama qaytarish.
panel-stars-payment = ⭐ Stars to'lovi #{ $id }: { $stars } XTR, { $status }
    { $name }, { $bot }, { $title }, { $date }
    { $renewal }
stars-renews-until = 🔄 Har oy yangilanadi; { $date } gacha to'langan.
stars-ends-on = Yangilanmaydi; kirish { $date } gacha.
stars-one-off = Bir marta to'langan (obunasiz).
button-stars-panel-refund = ↩️ Bu Stars'ni qaytarish
stats-stars-subscriptions = ⭐ Stars obunalari: { $canceled } ta bekor qilingan, { $failed } ta yangilanmagan, { $active } ta qayta yoqilgan
stars-sub-stopped = Sotuvchi { $title } uchun Stars obunangiz yangilanishini to'xtatdi. Kirish { $date } gacha amal qiladi, boshqa hech narsa yechilmaydi.
