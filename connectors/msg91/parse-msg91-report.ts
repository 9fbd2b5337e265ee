import { mapProviderStatus, normalizeAddress } from '../../core/notifications/index.ts';
import type { DeliveryStatusUpdate } from './message-events.ts';

/** What one MSG91 delivery report webhook held. */
export type Msg91ReportResult = { ok: true; statuses: DeliveryStatusUpdate[] } | { ok: false; error: { code: 'invalid_body'; message: string } };

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined);

// MSG91 writes report times as `YYYY-MM-DD HH:mm:ss` in Indian time.
function istToIso(text: string | undefined, fallback: Date): string {
  const match = text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (match === null) return fallback.toISOString();
  const at = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}+05:30`);
  return Number.isNaN(at.getTime()) ? fallback.toISOString() : at.toISOString();
}

/** One `{ requestId, senderId, number | telNum, status, desc, date, failedReason }` report line. */
function statusOf(line: Json, defaults: { requestId?: string; senderId?: string }, receivedAt: Date): (DeliveryStatusUpdate & { senderId?: string }) | undefined {
  const requestId = str(line['requestId']) ?? defaults.requestId;
  const status = str(line['status']);
  const desc = str(line['desc']) ?? str(line['description']);
  const mapped = (status === undefined ? null : mapProviderStatus('msg91', status)) ?? (desc === undefined ? null : mapProviderStatus('msg91', desc));
  if (requestId === undefined || mapped === null) return undefined;
  const number = str(line['number']) ?? str(line['telNum']);
  const recipient = number === undefined ? null : normalizeAddress('sms', number);
  const reason = str(line['failedReason']) ?? desc;
  const senderId = str(line['senderId']) ?? defaults.senderId;
  return {
    messageId: requestId,
    status: mapped.status,
    ...(mapped.error === undefined ? {} : { error: { ...mapped.error, ...(reason === undefined ? {} : { message: reason }) } }),
    occurredAt: istToIso(str(line['date']) ?? str(line['deliveryTime']), receivedAt),
    ...(recipient === null ? {} : { recipient }),
    ...(senderId === undefined ? {} : { senderId }),
  };
}

/**
 * Reads MSG91's SMS delivery report webhook: v2 (form-encoded, reports as a JSON string in
 * `data`: `[{ senderId, requestId, report: [{ number, status, desc, date, failedReason }] }]`),
 * v3 (one JSON object per number) and the newer JSON webhook (`telNum`, `deliveryTime`). Codes and
 * words map through `mapProviderStatus`; reports for another sender id are skipped, since MSG91
 * posts every report of an account to the same URL.
 */
export function parseMsg91Report(rawBody: Uint8Array, { contentType, senderId, receivedAt }: { contentType: string | undefined; senderId: string; receivedAt: Date }): Msg91ReportResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    return { ok: false, error: { code: 'invalid_body', message: 'the body is not UTF-8' } };
  }
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  let payload: unknown;
  try {
    payload = JSON.parse(type === 'application/x-www-form-urlencoded' ? (new URLSearchParams(text).get('data') ?? '') : text);
  } catch {
    return { ok: false, error: { code: 'invalid_body', message: type === 'application/x-www-form-urlencoded' ? 'the data field is not JSON' : 'the body is not JSON' } };
  }
  const statuses: (DeliveryStatusUpdate & { senderId?: string })[] = [];
  for (const item of (Array.isArray(payload) ? payload : [payload]).map(obj)) {
    if (item === undefined) continue;
    const defaults = { ...(str(item['requestId']) ? { requestId: str(item['requestId'])! } : {}), ...(str(item['senderId']) ? { senderId: str(item['senderId'])! } : {}) };
    const lines = Array.isArray(item['report']) ? item['report'].map(obj) : [item];
    for (const line of lines) {
      const parsed = line && statusOf(line, defaults, receivedAt);
      if (parsed) statuses.push(parsed);
    }
  }
  return {
    ok: true,
    statuses: statuses
      .filter((s) => s.senderId === undefined || s.senderId.toUpperCase() === senderId.toUpperCase())
      .map(({ senderId: _sender, ...status }) => status),
  };
}
