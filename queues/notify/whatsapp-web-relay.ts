import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { WhatsAppWebLogin } from '../../connectors/whatsapp-web/index.ts';
import type { WhatsAppWebLinkProblem, WhatsAppWebLinkResult, WhatsAppWebLinks, WhatsAppWebLinkTarget } from './whatsapp-web-links.ts';

// WhatsApp Web sessions run in the process that runs the workers; an API-only process asks that
// one over Redis pub/sub. A request names the tenant, the connection and (for a pairing code) the
// phone number; a reply carries the link or the problem. Neither carries keys, tokens or the
// stored WhatsApp session.

/** The Redis channels of a hub's WhatsApp Web relay, under its queue prefix. */
export const whatsAppWebRelayChannels = (queuePrefix: string) => ({
  requests: `${queuePrefix}:whatsapp-web:requests`,
  reply: (replyTo: string) => `${queuePrefix}:whatsapp-web:replies:${replyTo}`,
});

const MAX_MESSAGE_CHARS = 16_384;
const MAX_DETAIL_CHARS = 1000;

const ref = z.string().min(1).max(128);
const requestSchema = z.discriminatedUnion('op', [
  z.object({ v: z.literal(1), id: z.uuid(), replyTo: z.uuid(), op: z.literal('login'), tenantId: ref, connectionId: ref }).strict(),
  z.object({ v: z.literal(1), id: z.uuid(), replyTo: z.uuid(), op: z.literal('pairing'), tenantId: ref, connectionId: ref, phone: z.string().min(1).max(30) }).strict(),
]);
type RelayRequest = z.infer<typeof requestSchema>;
type RelayAsk = { op: 'login'; tenantId: string; connectionId: string } | { op: 'pairing'; tenantId: string; connectionId: string; phone: string };

const loginSchema = z
  .object({
    state: z.enum(['stopped', 'starting', 'qr', 'authenticated', 'ready', 'auth_failed', 'disconnected']),
    qr: z.string().max(4096).optional(),
    pairingCode: z.string().max(64).optional(),
    phone: z.string().max(32).optional(),
    since: z.string().max(40),
    detail: z.string().max(MAX_DETAIL_CHARS).optional(),
  })
  .strict();
const problemSchema = z
  .object({
    code: z.enum(['not_found', 'conflict', 'unprocessable', 'service_unavailable']),
    detail: z.string().max(MAX_DETAIL_CHARS),
    errors: z.array(z.object({ path: z.string().max(100), message: z.string().max(200) }).strict()).max(5).optional(),
  })
  .strict();
const replySchema = z.discriminatedUnion('ok', [
  z.object({ v: z.literal(1), id: z.uuid(), ok: z.literal(true), login: loginSchema }).strict(),
  z.object({ v: z.literal(1), id: z.uuid(), ok: z.literal(false), problem: problemSchema }).strict(),
]);

function parse<T>(schema: z.ZodType<T>, message: string): T | undefined {
  if (message.length > MAX_MESSAGE_CHARS) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

const clip = (text: string): string => (text.length > MAX_DETAIL_CHARS ? `${text.slice(0, MAX_DETAIL_CHARS - 1)}…` : text);

/** The reply as it goes on the channel: only the fields the schema knows, long texts clipped. */
function replyOf(id: string, result: WhatsAppWebLinkResult): string {
  if (result.ok) {
    const l = result.login;
    const login: WhatsAppWebLogin = {
      state: l.state,
      since: l.since,
      ...(l.qr === undefined ? {} : { qr: l.qr }),
      ...(l.pairingCode === undefined ? {} : { pairingCode: l.pairingCode }),
      ...(l.phone === undefined ? {} : { phone: l.phone }),
      ...(l.detail === undefined ? {} : { detail: clip(l.detail) }),
    };
    return JSON.stringify({ v: 1, id, ok: true, login });
  }
  const p = result.problem;
  const problem: WhatsAppWebLinkProblem = {
    code: p.code,
    detail: clip(p.detail),
    ...(p.errors === undefined ? {} : { errors: p.errors.slice(0, 5).map((e) => ({ path: e.path.slice(0, 100), message: e.message.slice(0, 200) })) }),
  };
  return JSON.stringify({ v: 1, id, ok: false, problem });
}

/**
 * Answers the relay's requests from `links`, the links of the sessions this process runs. Each
 * request is checked against its tenant there (see `localWhatsAppWebLinks`). Messages that do
 * not parse are dropped. Owns `subscriber` (a connection of its own, as Redis requires for
 * subscriptions) and closes it; `publisher` may be any connection.
 */
export function serveWhatsAppWebLinks({
  links,
  publisher,
  subscriber,
  queuePrefix,
  onError = () => undefined,
}: {
  links: WhatsAppWebLinks;
  publisher: Pick<Redis, 'publish'>;
  subscriber: Redis;
  queuePrefix: string;
  onError?: (err: Error) => void;
}): { ready: Promise<void>; close(): Promise<void> } {
  const channels = whatsAppWebRelayChannels(queuePrefix);
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  async function answer(request: RelayRequest): Promise<void> {
    const target: WhatsAppWebLinkTarget = { tenantId: request.tenantId, connectionId: request.connectionId };
    let result: WhatsAppWebLinkResult;
    try {
      result = request.op === 'login' ? await links.login(target) : await links.requestPairingCode({ ...target, phone: request.phone });
    } catch (err) {
      onError(err instanceof Error ? err : new Error(String(err)));
      result = { ok: false, problem: { code: 'service_unavailable', detail: 'The process running WhatsApp Web sessions could not answer; see its log' } };
    }
    await publisher.publish(channels.reply(request.replyTo), replyOf(request.id, result));
  }

  const onMessage = (channel: string, message: string): void => {
    if (channel !== channels.requests || closed) return;
    const request = parse(requestSchema, message);
    if (request === undefined) {
      onError(new Error('whatsapp-web relay: a request that does not parse was dropped'));
      return;
    }
    const running = answer(request).catch((err: Error) => onError(err));
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  };
  const onFailure = (err: Error): void => onError(err);

  subscriber.on('message', onMessage);
  subscriber.on('error', onFailure);
  const ready = subscriber.subscribe(channels.requests).then(
    () => undefined,
    (err: Error) => onError(err),
  );

  return {
    ready,
    async close() {
      if (closed) return;
      closed = true;
      subscriber.off('message', onMessage);
      await release(subscriber);
      subscriber.off('error', onFailure);
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Closes a subscriber: politely when connected; at once when not, where QUIT would wait for a connection that may never come. */
async function release(subscriber: Redis): Promise<void> {
  if (subscriber.status === 'ready') await subscriber.quit().catch(() => subscriber.disconnect());
  else subscriber.disconnect();
}

const unavailable = (detail: string): WhatsAppWebLinkResult => ({ ok: false, problem: { code: 'service_unavailable', detail } });

/**
 * WhatsApp Web links for a process that runs no sessions: each call goes over Redis to the
 * process that runs them (`serveWhatsAppWebLinks`) and answers what that one answered. When no
 * such process listens, or none answers within `timeoutMs`, the answer is a service_unavailable
 * problem. Owns `subscriber` and closes it; `publisher` may be any connection.
 * @default timeoutMs 5000
 */
export function createWhatsAppWebRelay({
  publisher,
  subscriber,
  queuePrefix,
  timeoutMs = 5000,
  onError = () => undefined,
}: {
  publisher: Pick<Redis, 'publish'>;
  subscriber: Redis;
  queuePrefix: string;
  timeoutMs?: number;
  onError?: (err: Error) => void;
}): WhatsAppWebLinks & { ready: Promise<void>; close(): Promise<void> } {
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`whatsapp-web relay: timeoutMs must be a positive number, not ${timeoutMs}`);
  const channels = whatsAppWebRelayChannels(queuePrefix);
  const replyTo = randomUUID();
  const replyChannel = channels.reply(replyTo);
  const pending = new Map<string, (result: WhatsAppWebLinkResult) => void>();
  let closed = false;

  const onMessage = (channel: string, message: string): void => {
    if (channel !== replyChannel) return;
    const reply = parse(replySchema, message);
    if (reply === undefined) {
      onError(new Error('whatsapp-web relay: a reply that does not parse was dropped'));
      return;
    }
    pending.get(reply.id)?.(reply.ok ? { ok: true, login: reply.login } : { ok: false, problem: reply.problem });
  };
  const onFailure = (err: Error): void => onError(err);

  subscriber.on('message', onMessage);
  subscriber.on('error', onFailure);
  let listening = false;
  const ready = subscriber.subscribe(replyChannel).then(
    () => {
      listening = true;
    },
    (err: Error) => onError(err),
  );

  async function ask(ask: RelayAsk): Promise<WhatsAppWebLinkResult> {
    if (closed) return unavailable('This process is shutting down');
    const id = randomUUID();
    const request = requestSchema.safeParse({ v: 1, id, replyTo, ...ask });
    if (!request.success) return { ok: false, problem: { code: 'unprocessable', detail: 'The connection id, tenant or phone number is too long to link' } };
    // Not subscribed yet (Redis unreachable since start): wait for it no longer than for a reply.
    if (!listening) {
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([ready, new Promise<void>((resolve) => (waited = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(waited);
    }
    if (!listening || subscriber.status !== 'ready') return unavailable('This process runs no WhatsApp Web sessions and cannot reach the one that does: Redis is unreachable');
    const seconds = timeoutMs / 1000;
    return new Promise<WhatsAppWebLinkResult>((resolve) => {
      const settle = (result: WhatsAppWebLinkResult): void => {
        if (!pending.delete(id)) return;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(
        () => settle(unavailable(`No process running WhatsApp Web sessions answered within ${seconds} s; check that hub worker (or hub start) is running`)),
        timeoutMs,
      );
      pending.set(id, settle);
      publisher.publish(channels.requests, JSON.stringify(request.data)).then(
        (listeners) => {
          if (listeners === 0) settle(unavailable('No process runs WhatsApp Web sessions; start hub worker (or hub start) to link WhatsApp Web connections'));
        },
        (err: Error) => {
          onError(err);
          settle(unavailable('This process runs no WhatsApp Web sessions and cannot reach the one that does: Redis is unreachable'));
        },
      );
    });
  }

  return {
    ready,
    login: ({ tenantId, connectionId }) => ask({ op: 'login', tenantId, connectionId }),
    requestPairingCode: ({ tenantId, connectionId, phone }) => ask({ op: 'pairing', tenantId, connectionId, phone }),
    async close() {
      if (closed) return;
      closed = true;
      for (const settle of [...pending.values()]) settle(unavailable('This process is shutting down'));
      subscriber.off('message', onMessage);
      await release(subscriber);
      subscriber.off('error', onFailure);
    },
  };
}
