import type { WebhookChange, WebhookInput, WebhookParseResult } from '../sdk/index.ts';

const MAX_EVENTS = 1000;

/**
 * Reads any sender's body into changes without knowing the sender: a JSON object is one event
 * and a JSON array many; a form body is one event of its fields; other text is one event
 * `{ text }`. Per event: id from `id`/`event_id`/`eventId` (else the delivery header), type from
 * `type`/`event`/`event_type`/`eventType`/`topic` (else a type header, else `event`), data from
 * `data`/`payload` (else the whole event).
 */
export function parseGenericEvent(input: WebhookInput): WebhookParseResult {
  const text = Buffer.from(input.rawBody).toString('utf8');
  if (text.trim() === '') return { ok: false, error: { code: 'invalid_body', message: 'the body is empty' } };
  const type = (input.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const looksJson = type === 'application/json' || type.endsWith('+json') || (type === '' && /^\s*[[{]/.test(text));
  if (looksJson) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: { code: 'invalid_body', message: `the body is not valid JSON: ${(err as Error).message}` } };
    }
    const events = Array.isArray(body) ? body : [body];
    if (events.length > MAX_EVENTS) return { ok: false, error: { code: 'invalid_body', message: `more than ${MAX_EVENTS} events in one body` } };
    return { ok: true, changes: events.map((event) => change(event, input, events.length === 1)) };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { ok: true, changes: [change(Object.fromEntries(new URLSearchParams(text)), input, true)] };
  }
  return { ok: true, changes: [change({ text }, input, true)] };
}

function change(event: unknown, input: WebhookInput, single: boolean): WebhookChange {
  const e = event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : { value: event };
  const h = input.headers;
  const deliveryId = single ? (h['webhook-id'] ?? h['x-github-delivery'] ?? h['x-request-id']) : undefined;
  const eventId = text(e.id) ?? text(e.event_id) ?? text(e.eventId) ?? deliveryId;
  const type = text(e.type) ?? text(e.event) ?? text(e.event_type) ?? text(e.eventType) ?? text(e.topic) ?? h['x-github-event'] ?? h['x-event-type'] ?? 'event';
  const data = e.data !== undefined ? e.data : e.payload !== undefined ? e.payload : e;
  const occurredAt = instant(e.created_at ?? e.createdAt ?? e.timestamp ?? e.occurred_at ?? e.occurredAt);
  const record: Record<string, unknown> = { type, data, ...(eventId === undefined ? {} : { id: eventId }), ...(occurredAt === undefined ? {} : { occurredAt }) };
  return {
    type,
    object: 'event',
    data,
    record,
    ...(eventId === undefined ? {} : { eventId, id: eventId }),
    ...(occurredAt === undefined ? {} : { occurredAt }),
  };
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim().slice(0, 200);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

// Epoch numbers below 1e12 are seconds (that is before 2001 in milliseconds).
function instant(v: unknown): string | undefined {
  const ms = typeof v === 'number' && Number.isFinite(v) ? (v < 1e12 ? v * 1000 : v) : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
}
