/** The channels a message can go out on. */
export const CHANNELS = ['email', 'whatsapp', 'sms'] as const;

/** One of {@link CHANNELS}. */
export type Channel = (typeof CHANNELS)[number];

/** The languages templates ship in. Amounts and dates follow the same language. */
export const NOTIFICATION_LOCALES = ['en', 'hi'] as const;

/** One of {@link NOTIFICATION_LOCALES}. */
export type NotificationLocale = (typeof NOTIFICATION_LOCALES)[number];

/** How urgent a message is; only `critical` may bypass quiet hours, and only when the policy says so. */
export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;

/** One of {@link URGENCIES}. */
export type Urgency = (typeof URGENCIES)[number];
