/** Vault purpose of a connection's credentials JSON. */
export const CREDENTIALS_PURPOSE = 'connection.credentials';

/** Vault purpose of each webhook signing secret. */
export const WEBHOOK_SECRET_PURPOSE = 'connection.webhook-secret';

/** At most this many webhook secrets per connection, expired ones included until pruned. */
export const MAX_WEBHOOK_SECRETS = 10;
