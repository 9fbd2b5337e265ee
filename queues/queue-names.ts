/** Every queue the hub runs, as named in DESIGN.md. */
export const QUEUE_NAMES = ['outbox', 'sync-out', 'sync-in', 'webhooks', 'notify', 'probes', 'escalations'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];
