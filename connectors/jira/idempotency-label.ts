import { createHash } from 'node:crypto';

/** The entity property the connector sets on every issue it creates. */
export const HUB_PROPERTY = 'milestoneHub';

const HUB_LABEL = /^hub-[0-9a-f]{16}$/;

/**
 * The label that finds an issue created for an idempotency key: `hub-` and 16 hex digits of its
 * SHA-256. Jira searches labels (it cannot search entity properties without an installed app),
 * and the property then confirms the full key.
 * @example idempotencyLabel('sync-out:ms_42:create') // 'hub-…'
 */
export function idempotencyLabel(idempotencyKey: string): string {
  return `hub-${createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 16)}`;
}

/** True for a label the connector set; mappings never see these. */
export function isHubLabel(label: unknown): boolean {
  return typeof label === 'string' && HUB_LABEL.test(label);
}
