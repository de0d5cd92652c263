// @generated automatically by Diesel CLI.

diesel::table! {
    admin_subscriptions (id) {
        id -> Int8,
        user_admin_id -> Int8,
        #[max_length = 16]
        plan -> Varchar,
        started_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        amount_paid -> Numeric,
        #[max_length = 16]
        status -> Varchar,
        notified_3day -> Bool,
        notified_1day -> Bool,
    }
}

diesel::table! {
    channels (id) {
        id -> Int8,
        user_bot_id -> Int8,
        telegram_chat_id -> Int8,
        #[sql_name = "type"]
        #[max_length = 16]
        type_ -> Varchar,
        #[max_length = 255]
        title -> Varchar,
        price -> Nullable<Numeric>,
        #[max_length = 10]
        currency -> Varchar,
        duration_months -> Int4,
        #[max_length = 16]
        link_status -> Varchar,
        can_invite_users -> Bool,
        can_restrict_members -> Bool,
        created_at -> Timestamptz,
        removal_blocked_at -> Nullable<Timestamptz>,
        price_stars -> Nullable<Int4>,
    }
}

diesel::table! {
    end_users (id) {
        id -> Int8,
        telegram_id -> Int8,
        user_bot_id -> Int8,
        #[max_length = 255]
        username -> Nullable<Varchar>,
        #[max_length = 255]
        full_name -> Varchar,
        #[max_length = 5]
        language -> Nullable<Varchar>,
        banned -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Int8,
        dedupe_key -> Text,
        bot_id -> Int8,
        reply_chat -> Int8,
        effect -> Jsonb,
        created_at -> Timestamptz,
        due_at -> Timestamptz,
        claimed_until -> Nullable<Timestamptz>,
        attempts -> Int4,
        done_at -> Nullable<Timestamptz>,
        claimed_by -> Nullable<Int4>,
    }
}

diesel::table! {
    orders (id) {
        id -> Int8,
        end_user_id -> Nullable<Int8>,
        user_bot_id -> Nullable<Int8>,
        channel_id -> Nullable<Int8>,
        amount_tiyin -> Int8,
        duration_months -> Int4,
        #[max_length = 16]
        status -> Varchar,
        created_at -> Timestamptz,
        closed_at -> Nullable<Timestamptz>,
        user_admin_id -> Nullable<Int8>,
        #[max_length = 16]
        plan -> Nullable<Varchar>,
        #[max_length = 3]
        currency -> Varchar,
        renews -> Bool,
    }
}

diesel::table! {
    outbox (id) {
        id -> Int8,
        payload -> Jsonb,
        created_at -> Timestamptz,
        claimed_until -> Nullable<Timestamptz>,
        attempts -> Int4,
        sent_at -> Nullable<Timestamptz>,
        claimed_by -> Nullable<Int4>,
    }
}

diesel::table! {
    payment_accounts (id) {
        id -> Int8,
        user_bot_id -> Int8,
        #[max_length = 48]
        route_key -> Varchar,
        #[max_length = 64]
        payme_merchant_id -> Nullable<Varchar>,
        payme_key -> Nullable<Text>,
        payme_test_key -> Nullable<Text>,
        payme_test_mode -> Bool,
        payme_enabled -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        click_service_id -> Nullable<Int8>,
        click_merchant_id -> Nullable<Int8>,
        click_merchant_user_id -> Nullable<Int8>,
        click_secret -> Nullable<Text>,
        click_enabled -> Bool,
        uzum_service_id -> Nullable<Int8>,
        #[max_length = 128]
        uzum_login -> Nullable<Varchar>,
        uzum_password -> Nullable<Text>,
        uzum_enabled -> Bool,
    }
}

diesel::table! {
    payments (id) {
        id -> Int8,
        end_user_id -> Int8,
        user_bot_id -> Int8,
        channel_id -> Int8,
        amount -> Numeric,
        #[max_length = 10]
        currency -> Varchar,
        duration_months -> Int4,
        #[max_length = 50]
        payment_method -> Varchar,
        #[max_length = 16]
        status -> Varchar,
        screenshot_file_id -> Nullable<Text>,
        #[max_length = 16]
        screenshot_kind -> Nullable<Varchar>,
        created_at -> Timestamptz,
        approved_at -> Nullable<Timestamptz>,
        reviewed_at -> Nullable<Timestamptz>,
        reviewed_by -> Nullable<Int8>,
        reject_reason -> Nullable<Text>,
        receipts -> Int4,
        revision -> Int4,
        #[max_length = 32]
        grant_token -> Nullable<Varchar>,
        screenshot_unique_id -> Nullable<Text>,
        order_id -> Nullable<Int8>,
        #[max_length = 128]
        provider_transaction -> Nullable<Varchar>,
        period_days -> Nullable<Int4>,
    }
}

diesel::table! {
    platform_payments (id) {
        id -> Int8,
        user_admin_id -> Int8,
        #[max_length = 16]
        plan -> Varchar,
        amount -> Numeric,
        #[max_length = 16]
        status -> Varchar,
        screenshot_file_id -> Nullable<Text>,
        #[max_length = 16]
        screenshot_kind -> Nullable<Varchar>,
        created_at -> Timestamptz,
        reviewed_at -> Nullable<Timestamptz>,
        reviewed_by -> Nullable<Int8>,
        reject_reason -> Nullable<Text>,
        #[max_length = 16]
        method -> Varchar,
        receipts -> Int4,
        revision -> Int4,
        #[max_length = 32]
        grant_token -> Nullable<Varchar>,
        order_id -> Nullable<Int8>,
        #[max_length = 64]
        provider_transaction -> Nullable<Varchar>,
    }
}

diesel::table! {
    provider_transactions (id) {
        id -> Int8,
        #[max_length = 8]
        provider -> Varchar,
        #[max_length = 64]
        external_id -> Varchar,
        order_id -> Int8,
        amount_tiyin -> Int8,
        state -> Int2,
        provider_time -> Int8,
        created_at -> Timestamptz,
        performed_at -> Nullable<Timestamptz>,
        cancelled_at -> Nullable<Timestamptz>,
        reason -> Nullable<Int2>,
        payment_id -> Nullable<Int8>,
    }
}

diesel::table! {
    star_subscription_events (id) {
        id -> Int8,
        star_subscription_id -> Int8,
        user_bot_id -> Int8,
        #[max_length = 16]
        state -> Varchar,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    star_subscriptions (id) {
        id -> Int8,
        order_id -> Int8,
        user_bot_id -> Int8,
        end_user_id -> Int8,
        channel_id -> Int8,
        #[max_length = 128]
        first_charge_id -> Varchar,
        #[max_length = 16]
        state -> Varchar,
        paid_until -> Timestamptz,
        renewals -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Int8,
        end_user_id -> Int8,
        channel_id -> Int8,
        payment_id -> Nullable<Int8>,
        invite_link -> Nullable<Text>,
        link_used -> Bool,
        link_revoked_at -> Nullable<Timestamptz>,
        join_requested_at -> Nullable<Timestamptz>,
        joined_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
        kicked_at -> Nullable<Timestamptz>,
        #[max_length = 16]
        status -> Varchar,
        notified_3day -> Bool,
        notified_1day -> Bool,
        created_at -> Timestamptz,
        removal_attempts -> Int4,
        removal_retry_at -> Nullable<Timestamptz>,
        invite_delivery -> Nullable<Text>,
    }
}

diesel::table! {
    user_admins (id) {
        id -> Int8,
        telegram_id -> Int8,
        #[max_length = 255]
        username -> Nullable<Varchar>,
        #[max_length = 255]
        full_name -> Varchar,
        #[max_length = 5]
        language -> Varchar,
        banned -> Bool,
        notify_new_end_users -> Bool,
        notify_joins -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    user_bots (id) {
        id -> Int8,
        user_admin_id -> Int8,
        telegram_bot_id -> Int8,
        bot_token -> Text,
        #[max_length = 255]
        bot_username -> Varchar,
        #[max_length = 256]
        webhook_secret -> Varchar,
        is_active -> Bool,
        #[max_length = 16]
        health -> Varchar,
        health_changed_at -> Timestamptz,
        last_error -> Nullable<Text>,
        welcome_message -> Jsonb,
        #[max_length = 50]
        payment_method -> Varchar,
        payment_methods -> Array<Nullable<Text>>,
        #[max_length = 20]
        card_number -> Nullable<Varchar>,
        #[max_length = 255]
        card_holder -> Nullable<Varchar>,
        created_at -> Timestamptz,
        failed_checks -> Int4,
        settings_version -> Int8,
        managed -> Bool,
    }
}

diesel::joinable!(admin_subscriptions -> user_admins (user_admin_id));
diesel::joinable!(channels -> user_bots (user_bot_id));
diesel::joinable!(end_users -> user_bots (user_bot_id));
diesel::joinable!(payments -> channels (channel_id));
diesel::joinable!(payments -> end_users (end_user_id));
diesel::joinable!(payments -> user_bots (user_bot_id));
diesel::joinable!(orders -> channels (channel_id));
diesel::joinable!(orders -> end_users (end_user_id));
diesel::joinable!(orders -> user_bots (user_bot_id));
diesel::joinable!(orders -> user_admins (user_admin_id));
diesel::joinable!(payment_accounts -> user_bots (user_bot_id));
diesel::joinable!(provider_transactions -> orders (order_id));
diesel::joinable!(platform_payments -> user_admins (user_admin_id));
diesel::joinable!(platform_payments -> orders (order_id));
diesel::joinable!(star_subscriptions -> orders (order_id));
diesel::joinable!(star_subscription_events -> star_subscriptions (star_subscription_id));
diesel::joinable!(subscriptions -> channels (channel_id));
diesel::joinable!(subscriptions -> end_users (end_user_id));
diesel::joinable!(subscriptions -> payments (payment_id));
diesel::joinable!(user_bots -> user_admins (user_admin_id));

diesel::allow_tables_to_appear_in_same_query!(
    admin_subscriptions,
    channels,
    end_users,
    deliveries,
    orders,
    outbox,
    payment_accounts,
    payments,
    platform_payments,
    provider_transactions,
    star_subscription_events,
    star_subscriptions,
    subscriptions,
    user_admins,
    user_bots,
);
