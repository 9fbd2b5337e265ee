import type { WebhookChange, WebhookInput, WebhookParseResult } from '../sdk/index.ts';

const ENTITIES = ['payment', 'order', 'refund', 'payment_link', 'invoice'] as const;

/**
 * Reads a Razorpay webhook (`{ entity: 'event', event: 'payment.captured', payload: { payment: { entity } } }`)
 * into one change about the event's main entity: the payment for `payment.*` and `order.paid`,
 * else the first entity the payload carries. The event id is the `X-Razorpay-Event-Id` header.
 */
export function parseRazorpayWebhook(input: WebhookInput): WebhookParseResult {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(input.rawBody).toString('utf8'));
  } catch (err) {
    return { ok: false, error: { code: 'invalid_body', message: `the body is not valid JSON: ${(err as Error).message}` } };
  }
  const event = body as { event?: unknown; payload?: Record<string, { entity?: Record<string, unknown> }>; created_at?: unknown };
  if (event === null || typeof event !== 'object' || typeof event.event !== 'string' || typeof event.payload !== 'object' || event.payload === null) {
    return { ok: false, error: { code: 'invalid_body', message: 'a Razorpay event has `event` and `payload`' } };
  }
  const payload = event.payload;
  const object = payload.payment?.entity ? 'payment' : ENTITIES.find((e) => payload[e]?.entity);
  const entity = object ? payload[object]?.entity : undefined;
  const eventId = input.headers['x-razorpay-event-id'];
  const occurredAt = typeof event.created_at === 'number' ? new Date(event.created_at * 1000).toISOString() : undefined;
  const change: WebhookChange = {
    type: event.event,
    data: body,
    ...(eventId ? { eventId } : {}),
    ...(object ? { object } : {}),
    ...(typeof entity?.id === 'string' ? { id: entity.id } : {}),
    ...(entity ? { record: entity } : {}),
    ...(occurredAt ? { occurredAt } : {}),
  };
  return { ok: true, changes: [change] };
}
