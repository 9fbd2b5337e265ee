import type { FieldSchema } from '../../mappings/index.ts';
import type { WebhookChange, WebhookInput, WebhookParseResult } from '../sdk/index.ts';
import { childrenNamed, readXml, type XmlElement } from './read-xml.ts';
import { salesforceObjects } from './salesforce-objects.ts';
import type { SalesforceConfig } from './salesforce-settings.ts';
import { salesforceTime } from './salesforce-time.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const invalid = (message: string): WebhookParseResult => ({ ok: false, error: { code: 'invalid_body', message } });

function attribute(element: XmlElement, localName: string): string | undefined {
  const key = Object.keys(element.attributes).find((k) => k === localName || k.endsWith(`:${localName}`));
  return key === undefined ? undefined : element.attributes[key];
}

// Outbound messages send every value as text; the object's schema says what it was.
function typed(text: string, field: FieldSchema | undefined): string | number | boolean {
  switch (field?.type) {
    case 'number':
    case 'integer': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/**
 * Salesforce outbound messages (SOAP `notifications`, scheme `salesforce-outbound`) as one change
 * per Notification: the record's Id and the fields the message sends, typed by the object's
 * schema, in `data.fields`. A message carries only the fields the admin picked, so no change has
 * a `record`: read the record with `get` (or skip it when `data.fields.SystemModstamp` equals the
 * version the hub last wrote). The change's `eventId` is the notification id, which Salesforce
 * keeps across redeliveries.
 */
export function parseSalesforceOutbound(input: WebhookInput, config: SalesforceConfig): WebhookParseResult {
  let text: string;
  try {
    text = utf8.decode(input.rawBody);
  } catch {
    return invalid('the body is not UTF-8');
  }
  const envelope = readXml(text);
  if (envelope?.name !== 'Envelope') return invalid('the body is not a SOAP envelope');
  const notifications = childrenNamed(childrenNamed(envelope, 'Body')[0], 'notifications')[0];
  if (notifications === undefined) return invalid('the envelope holds no outbound-message notifications');
  const organizationId = childrenNamed(notifications, 'OrganizationId')[0]?.text.trim();
  const actionId = childrenNamed(notifications, 'ActionId')[0]?.text.trim();
  const list = childrenNamed(notifications, 'Notification');
  if (list.length === 0) return invalid('the message holds no Notification');

  const objects = salesforceObjects(config);
  const changes: WebhookChange[] = [];
  for (const notification of list) {
    const notificationId = childrenNamed(notification, 'Id')[0]?.text.trim();
    const sObject = childrenNamed(notification, 'sObject')[0];
    if (notificationId === undefined || notificationId === '' || sObject === undefined) return invalid('a Notification lacks its Id or sObject');
    const declared = attribute(sObject, 'type');
    const sObjectType = declared?.slice(declared.indexOf(':') + 1);
    if (sObjectType === undefined || !/^[A-Za-z][A-Za-z0-9_]*$/.test(sObjectType)) return invalid('a Notification does not say its sObject type');
    const object = Object.hasOwn(objects, sObjectType) ? sObjectType : undefined;
    const properties = object === undefined ? {} : objects[object]!.schema.properties;

    const fields: Record<string, string | number | boolean | null> = {};
    for (const child of sObject.children) {
      if (UNSAFE_KEYS.has(child.name)) continue;
      fields[child.name] = attribute(child, 'nil') === 'true' ? null : typed(child.text, Object.hasOwn(properties, child.name) ? properties[child.name] : undefined);
    }
    const id = fields.Id;
    if (typeof id !== 'string' || id === '') return invalid('a Notification carries no record Id');
    const occurred = salesforceTime(fields.SystemModstamp) ?? salesforceTime(fields.LastModifiedDate);
    changes.push({
      eventId: notificationId,
      type: 'outbound_message',
      ...(object === undefined ? {} : { object }),
      id,
      ...(occurred === undefined ? {} : { occurredAt: new Date(occurred).toISOString() }),
      data: { organizationId, actionId, sObjectType, fields },
    });
  }
  return { ok: true, changes };
}
