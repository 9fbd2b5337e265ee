import type { WebhookChange, WebhookInput, WebhookParseResult } from '../sdk/index.ts';
import { QUICKBOOKS_ENTITIES, type QuickBooksEntity } from './quickbooks-objects.ts';
import type { QuickBooksConfig } from './quickbooks-settings.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const invalid = (message: string): WebhookParseResult => ({ ok: false, error: { code: 'invalid_body', message } });
const record = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** The operations QuickBooks notifies, in the legacy format's spelling. */
const CLOUD_EVENT_ACTIONS: Readonly<Record<string, string>> = { created: 'Create', updated: 'Update', deleted: 'Delete', voided: 'Void', merged: 'Merge', emailed: 'Emailed' };

function entityNamed(name: string): QuickBooksEntity | undefined {
  return QUICKBOOKS_ENTITIES.find((e) => e.toLowerCase() === name.toLowerCase());
}

function isoOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function change(input: { eventId?: string; realmId: string; entity: QuickBooksEntity; id: string; operation: string; occurredAt?: string }): WebhookChange {
  const deleted = input.operation === 'Delete';
  return {
    ...(input.eventId === undefined ? {} : { eventId: input.eventId }),
    type: `${input.entity}.${input.operation}`,
    object: input.entity,
    id: input.id,
    ...(deleted ? { deleted: true } : {}),
    ...(input.occurredAt === undefined ? {} : { occurredAt: input.occurredAt }),
    data: { realmId: input.realmId, entity: input.entity, id: input.id, operation: input.operation, needsFetch: !deleted },
  };
}

/**
 * Intuit webhooks (scheme `intuit`), in the legacy `eventNotifications[].dataChangeEvent.entities[]`
 * format or as CloudEvents, as one change per Invoice, Payment or Customer event of this
 * connection's company; other entities and other companies are left out. Intuit sends no entity
 * data, so no change has a `record` (`data.needsFetch` is true): the sync engine reads each one
 * with `get` (or pulls CDC) before applying it. A Merge also reports the merged-away id as deleted.
 */
export function parseIntuitWebhook(input: WebhookInput, config: QuickBooksConfig): WebhookParseResult {
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(input.rawBody));
  } catch {
    return invalid('the body is not JSON');
  }
  const changes: WebhookChange[] = [];
  if (Array.isArray(body)) {
    for (const event of body) {
      const e = record(event);
      const type = /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/i.exec(text(e?.type) ?? '');
      const id = text(e?.intuitentityid);
      const realmId = text(e?.intuitaccountid);
      if (e === undefined || type === null || id === undefined || realmId === undefined) return invalid('a CloudEvent lacks its type, intuitentityid or intuitaccountid');
      const entity = entityNamed(type[1]!);
      const operation = CLOUD_EVENT_ACTIONS[type[2]!.toLowerCase()];
      if (entity === undefined || operation === undefined || realmId !== config.realmId) continue;
      const eventId = text(e.id);
      const occurredAt = isoOf(text(e.time));
      changes.push(change({ ...(eventId === undefined ? {} : { eventId }), realmId, entity, id, operation, ...(occurredAt === undefined ? {} : { occurredAt }) }));
    }
    return { ok: true, changes };
  }
  const notifications = record(body)?.eventNotifications;
  if (!Array.isArray(notifications)) return invalid('the body holds no eventNotifications');
  for (const notification of notifications) {
    const realmId = text(record(notification)?.realmId);
    const entities = record(record(notification)?.dataChangeEvent)?.entities;
    if (realmId === undefined || !Array.isArray(entities)) return invalid('a notification lacks its realmId or dataChangeEvent.entities');
    if (realmId !== config.realmId) continue;
    for (const item of entities) {
      const e = record(item);
      const name = text(e?.name);
      const id = text(e?.id);
      const operation = text(e?.operation);
      if (name === undefined || id === undefined || operation === undefined) return invalid('an entity change lacks its name, id or operation');
      const entity = entityNamed(name);
      if (entity === undefined) continue;
      const occurredAt = isoOf(text(e?.lastUpdated));
      const at = occurredAt === undefined ? {} : { occurredAt };
      changes.push(change({ realmId, entity, id, operation, ...at }));
      const mergedAway = text(e?.deletedId);
      if (operation === 'Merge' && mergedAway !== undefined) changes.push(change({ realmId, entity, id: mergedAway, operation: 'Delete', ...at }));
    }
  }
  return { ok: true, changes };
}
