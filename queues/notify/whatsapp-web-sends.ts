import type { Redis } from 'ioredis';
import { TransientVendorError, UnrecoverableVendorError, type OutboundMessage, type SentMessage } from '../../connectors/index.ts';
import { sessionNotRunningError, type WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { loadConnection } from '../../core/connections/index.ts';
import type { Store } from '../../core/store/index.ts';
import { recordedWhatsAppWebLinkOf } from './whatsapp-web-link-record.ts';
import { sentSchema } from './whatsapp-web-relay.ts';
import type { WhatsAppWebLinkTarget } from './whatsapp-web-links.ts';

/**
 * What notifications ask of WhatsApp Web: one message through a connection's session. Failures
 * are the connectors' named errors. The process that drives WhatsApp Web sends itself
 * (`localWhatsAppWebSends`); another reaches that one over Redis (`createWhatsAppWebRelay`).
 */
export interface WhatsAppWebSends {
  send(target: WhatsAppWebLinkTarget, message: OutboundMessage): Promise<SentMessage>;
}

/** Where the sending process notes what it sent, so a repeated key is answered across processes. */
export interface RecentWhatsAppWebSends {
  redis: Pick<Redis, 'get' | 'set'>;
  queuePrefix: string;
  /** How long a send is remembered. @default 172800000 (two days) */
  ttlMs?: number;
}

/** The Redis key noting the send of `idempotencyKey` through `connectionId`. */
export const recentWhatsAppWebSendKey = (queuePrefix: string, connectionId: string, idempotencyKey: string): string =>
  `${queuePrefix}:whatsapp-web:sent:${connectionId}:${idempotencyKey}`;

/** A noted send, or undefined when the note is not one. */
const parseSent = (raw: string): SentMessage | undefined => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = sentSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { messageId, status } = parsed.data;
  return { messageId, ...(status === undefined ? {} : { status }) };
};

/**
 * Sends through the sessions this process runs, after checking that the connection is one of the
 * tenant's WhatsApp Web connections. A connection whose session is not running fails as for the
 * connector (`sessionNotRunningError`): at once (AuthExpiredError) when it is recorded as needing a
 * new link or was never linked, retryably (TransientVendorError) when it is linked and its session
 * is not running yet. With `recent`, every send is noted in Redis under its connection and
 * idempotency key, and a key noted before is answered with its first result without sending: so
 * a send retried after its answer was lost is not repeated, even by another process that took
 * over sending. When that note cannot be read, nothing is sent (TransientVendorError). Without
 * `recent` (one process drives WhatsApp Web and sends all its messages), nothing is noted.
 */
export function localWhatsAppWebSends({
  sessions,
  store,
  recent,
  onError = () => undefined,
}: {
  sessions: WhatsAppWebSessions;
  store: Store;
  recent?: RecentWhatsAppWebSends;
  onError?: (err: Error) => void;
}): WhatsAppWebSends {
  const ttlMs = recent?.ttlMs ?? 2 * 24 * 60 * 60 * 1000;
  if (!(Number.isInteger(ttlMs) && ttlMs > 0)) throw new RangeError(`whatsapp-web sends: ttlMs must be a positive whole number, not ${ttlMs}`);

  const failed = (err: unknown): void => onError(err instanceof Error ? err : new Error(String(err)));

  /** The first answer to `key`, when it was noted; nothing is sent when the note cannot be read. */
  async function noted(key: string): Promise<SentMessage | undefined> {
    let raw: string | null;
    try {
      raw = await recent!.redis.get(key);
    } catch (err) {
      throw new TransientVendorError('whatsapp-web: could not check whether this message went out before; it was not sent', { cause: err });
    }
    return raw === null ? undefined : parseSent(raw);
  }

  return {
    async send({ tenantId, connectionId }, message) {
      const conn = await loadConnection(store.forTenant(tenantId), connectionId);
      if (conn === null || conn.connector !== 'whatsapp-web') {
        throw new UnrecoverableVendorError(0, '', { message: `whatsapp-web: ${connectionId} is not a WhatsApp Web connection of this tenant` });
      }
      const key = recent === undefined ? undefined : recentWhatsAppWebSendKey(recent.queuePrefix, connectionId, message.idempotencyKey);
      const earlier = key === undefined ? undefined : await noted(key);
      if (earlier !== undefined) return earlier;
      const session = sessions.get(connectionId);
      if (session === undefined) throw sessionNotRunningError(recordedWhatsAppWebLinkOf(conn));
      const sent = await session.send(message);
      // The message is out: failing to note it must not turn the send into a failure.
      if (key !== undefined) await recent!.redis.set(key, JSON.stringify(sent), 'PX', ttlMs).catch(failed);
      return sent;
    },
  };
}
