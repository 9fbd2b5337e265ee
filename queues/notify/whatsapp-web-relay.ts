import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { WhatsAppWebLogin } from '../../connectors/whatsapp-web/index.ts';
import type { WhatsAppWebLinkProblem, WhatsAppWebLinkResult, WhatsAppWebLinks, WhatsAppWebLinkTarget } from './whatsapp-web-links.ts';

// WhatsApp Web sessions run in the process that runs the workers; an API-only process asks that
// one over Redis pub/sub. A request names the tenant, the connection and (for a pairing code) the
// phone number; a reply carries the link or the problem. Neither carries keys, tokens or the
// stored WhatsApp session.

/**
 * The Redis channels of a hub's WhatsApp Web relay, under its queue prefix, and the key naming
 * the one process that answers its requests (see `serveWhatsAppWebLinks`).
 */
export const whatsAppWebRelayChannels = (queuePrefix: string) => ({
  requests: `${queuePrefix}:whatsapp-web:requests`,
  reply: (replyTo: string) => `${queuePrefix}:whatsapp-web:replies:${replyTo}`,
  owner: `${queuePrefix}:whatsapp-web:owner`,
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

// Extends the lease only while it is still this server's, so a server never extends another's.
const RENEW_LEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
// Gives the lease up only while it is still this server's.
const RELEASE_LEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Why a server stopped answering: it closed, another took its lease, or it could not renew it in time. */
export type WhatsAppWebRelayOwnership = { owner: true } | { owner: false; reason: 'closed' | 'lost' | 'unreachable' };

/**
 * Answers the relay's requests from `links`, the links of the sessions this process runs. Each
 * request is checked against its tenant there (see `localWhatsAppWebLinks`). Messages that do
 * not parse are dropped. Owns `subscriber` (a connection of its own, as Redis requires for
 * subscriptions) and closes it; `publisher` may be any connection.
 *
 * Of all the servers over one queue prefix, only the one holding the ownership lease (a Redis
 * key with this server's random id, expiring after `leaseTtlMs`) listens and answers, so one
 * process opens the sessions a connection is linked through. The owner renews the lease every
 * `leaseRenewMs` and gives it up on close; the others try to take it as often, so one of them
 * answers within about `leaseTtlMs` of the owner stopping or dying. `onOwnership` hears when this
 * server starts or stops answering. `ready` settles once the first try to take the lease did.
 * @default leaseTtlMs 15000
 * @default leaseRenewMs 5000
 */
export function serveWhatsAppWebLinks({
  links,
  publisher,
  subscriber,
  queuePrefix,
  leaseTtlMs = 15_000,
  leaseRenewMs = 5000,
  onError = () => undefined,
  onOwnership = () => undefined,
}: {
  links: WhatsAppWebLinks;
  publisher: Pick<Redis, 'publish' | 'set' | 'eval'>;
  subscriber: Redis;
  queuePrefix: string;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
  onError?: (err: Error) => void;
  onOwnership?: (change: WhatsAppWebRelayOwnership) => void;
}): { ready: Promise<void>; close(): Promise<void> } {
  if (!(Number.isInteger(leaseTtlMs) && leaseTtlMs > 0)) throw new RangeError(`whatsapp-web relay: leaseTtlMs must be a positive whole number, not ${leaseTtlMs}`);
  if (!(Number.isFinite(leaseRenewMs) && leaseRenewMs > 0 && leaseRenewMs < leaseTtlMs)) {
    throw new RangeError(`whatsapp-web relay: leaseRenewMs must be positive and below leaseTtlMs (${leaseTtlMs}), not ${leaseRenewMs}`);
  }
  const channels = whatsAppWebRelayChannels(queuePrefix);
  const serverId = randomUUID();
  const failed = (err: unknown): void => onError(err instanceof Error ? err : new Error(String(err)));
  let closed = false;
  const inFlight = new Set<Promise<void>>();
  // Subscribed (or subscribing) as the lease holder; and until when the lease surely holds.
  let answering = false;
  let owner = false;
  let leaseUntil = 0;

  async function answer(request: RelayRequest): Promise<void> {
    const target: WhatsAppWebLinkTarget = { tenantId: request.tenantId, connectionId: request.connectionId };
    let result: WhatsAppWebLinkResult;
    try {
      result = request.op === 'login' ? await links.login(target) : await links.requestPairingCode({ ...target, phone: request.phone });
    } catch (err) {
      failed(err);
      result = { ok: false, problem: { code: 'service_unavailable', detail: 'The process running WhatsApp Web sessions could not answer; see its log' } };
    }
    await publisher.publish(channels.reply(request.replyTo), replyOf(request.id, result));
  }

  const onMessage = (channel: string, message: string): void => {
    // A server whose lease may have run out (it could not renew it) no longer answers.
    if (channel !== channels.requests || closed || !answering || Date.now() >= leaseUntil) return;
    const request = parse(requestSchema, message);
    if (request === undefined) {
      onError(new Error('whatsapp-web relay: a request that does not parse was dropped'));
      return;
    }
    const running = answer(request).catch(failed);
    inFlight.add(running);
    void running.finally(() => inFlight.delete(running));
  };
  const onFailure = (err: Error): void => onError(err);

  async function stepDown(reason: 'lost' | 'unreachable'): Promise<void> {
    answering = false;
    if (owner) {
      owner = false;
      onOwnership({ owner: false, reason });
    }
    await subscriber.unsubscribe(channels.requests).catch(failed);
  }

  const releaseLease = async (): Promise<void> => {
    await publisher.eval(RELEASE_LEASE, 1, channels.owner, serverId);
  };

  async function renew(): Promise<void> {
    const started = Date.now();
    let held: boolean;
    try {
      held = (await publisher.eval(RENEW_LEASE, 1, channels.owner, serverId, String(leaseTtlMs))) === 1;
    } catch (err) {
      failed(err);
      if (!closed && Date.now() >= leaseUntil) await stepDown('unreachable');
      return;
    }
    if (closed) return;
    if (held) leaseUntil = started + leaseTtlMs;
    else await stepDown('lost');
  }

  // Resolves once the subscriber's connection is ready (or this server closes): a SUBSCRIBE sent
  // while it still connects would break its ready check.
  let wake = (): void => undefined;
  const subscriberReady = (): Promise<void> =>
    subscriber.status === 'ready'
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          wake = () => {
            subscriber.off('ready', wake);
            resolve();
          };
          subscriber.once('ready', wake);
        });

  async function acquire(): Promise<void> {
    // Take the lease only when able to listen at once; during an outage, wait for the connection.
    await subscriberReady();
    if (closed) return;
    const started = Date.now();
    if ((await publisher.set(channels.owner, serverId, 'PX', leaseTtlMs, 'NX')) !== 'OK' || closed) return; // on close, close() releases it
    leaseUntil = started + leaseTtlMs;
    answering = true;
    try {
      await subscriber.subscribe(channels.requests);
    } catch (err) {
      // Holding the lease without listening would leave every request unanswered: let another take it.
      answering = false;
      failed(err);
      await releaseLease().catch(failed);
      return;
    }
    if (closed || !answering) return;
    owner = true;
    onOwnership({ owner: true });
  }

  // One try at a time, each scheduled once the one before has settled.
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const attempt = (): void => {
    timer = undefined;
    current = (answering ? renew() : acquire()).catch(failed).finally(() => {
      if (!closed) timer = setTimeout(attempt, leaseRenewMs).unref();
    });
  };

  subscriber.on('message', onMessage);
  subscriber.on('error', onFailure);
  attempt();
  const ready = current;

  return {
    ready,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      wake();
      const wasOwner = owner;
      answering = false;
      owner = false;
      subscriber.off('message', onMessage);
      await release(subscriber);
      subscriber.off('error', onFailure);
      if (wasOwner) onOwnership({ owner: false, reason: 'closed' });
      // Give the lease up once the last try has settled, so another takes over at once. Waiting
      // longer than the lease lasts (Redis unreachable) is pointless: it runs out by itself.
      const handedOver = current.then(releaseLease).catch(failed);
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([handedOver, new Promise<void>((resolve) => (waited = setTimeout(resolve, leaseTtlMs)))]);
      clearTimeout(waited);
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
