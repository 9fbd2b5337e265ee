import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AuthExpiredError, RateLimitedError, TransientVendorError, UnrecoverableVendorError, type OutboundMessage, type SentMessage } from '../../connectors/index.ts';
import type { WhatsAppWebLogin } from '../../connectors/whatsapp-web/index.ts';
import { UnconfirmedSendError } from './unconfirmed-send-error.ts';
import type { WhatsAppWebLinkProblem, WhatsAppWebLinkResult, WhatsAppWebLinks, WhatsAppWebLinkTarget, WhatsAppWebSessionStatus } from './whatsapp-web-links.ts';
import type { WhatsAppWebSends } from './whatsapp-web-sends.ts';

// WhatsApp Web sessions run in the process that runs the workers; another process asks that one
// over Redis pub/sub. A request names the tenant, the connection and (for a pairing code) the
// phone number or (for a send) the message; a reply carries the link or the problem (for a
// status, the running session's link or none), or the sent message's id or why it was not sent.
// None carries keys, tokens or the stored WhatsApp session.

/**
 * The Redis channels of a hub's WhatsApp Web relay, under its queue prefix, and the key naming
 * the one process that answers its requests (see `serveWhatsAppWebLinks`).
 */
export const whatsAppWebRelayChannels = (queuePrefix: string) => ({
  requests: `${queuePrefix}:whatsapp-web:requests`,
  reply: (replyTo: string) => `${queuePrefix}:whatsapp-web:replies:${replyTo}`,
  owner: `${queuePrefix}:whatsapp-web:owner`,
});

const MAX_REPLY_CHARS = 16_384;
// WhatsApp takes texts of up to 65,536 characters; a request carrying one, JSON-escaped, stays below this.
const MAX_TEXT_CHARS = 65_536;
const MAX_REQUEST_CHARS = 6 * MAX_TEXT_CHARS + 4096;
const MAX_DETAIL_CHARS = 1000;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

const ref = z.string().min(1).max(128);
// Only what a WhatsApp Web send uses.
const outboundSchema = z
  .object({ to: z.string().min(1).max(64), text: z.string().max(MAX_TEXT_CHARS), idempotencyKey: z.string().min(1).max(256), inReplyTo: z.string().min(1).max(512).optional() })
  .strict();
const requestSchema = z.discriminatedUnion('op', [
  z.object({ v: z.literal(1), id: z.uuid(), replyTo: z.uuid(), op: z.literal('login'), tenantId: ref, connectionId: ref }).strict(),
  z.object({ v: z.literal(1), id: z.uuid(), replyTo: z.uuid(), op: z.literal('pairing'), tenantId: ref, connectionId: ref, phone: z.string().min(1).max(30) }).strict(),
  z.object({ v: z.literal(1), id: z.uuid(), replyTo: z.uuid(), op: z.literal('send'), tenantId: ref, connectionId: ref, message: outboundSchema }).strict(),
  z.object({ v: z.literal(1), id: z.uuid(), replyTo: z.uuid(), op: z.literal('status'), tenantId: ref, connectionId: ref }).strict(),
]);
type RelayRequest = z.infer<typeof requestSchema>;
type LinkRequest = Extract<RelayRequest, { op: 'login' | 'pairing' }>;
type SendRequest = Extract<RelayRequest, { op: 'send' }>;
type StatusRequest = Extract<RelayRequest, { op: 'status' }>;
type RelayAsk = { op: 'login'; tenantId: string; connectionId: string } | { op: 'pairing'; tenantId: string; connectionId: string; phone: string };
/** What a request waits for: a link (or problem), a send's outcome, or a session's status (or problem). */
type ExchangeKind = 'link' | 'send' | 'status';

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
const linkReplySchema = z.discriminatedUnion('ok', [
  z.object({ v: z.literal(1), id: z.uuid(), ok: z.literal(true), login: loginSchema }).strict(),
  z.object({ v: z.literal(1), id: z.uuid(), ok: z.literal(false), problem: problemSchema }).strict(),
]);
/** A sent message as the relay carries it, and as the sending process notes it in Redis. */
export const sentSchema = z.object({ messageId: z.string().min(1).max(512), status: z.enum(['queued', 'sent', 'delivered']).optional() }).strict();
// The connector error the send failed with, by class, so the asking side raises the same one.
const failureSchema = z
  .object({
    kind: z.enum(['transient', 'rate_limited', 'auth_expired', 'refused', 'error']),
    message: z.string().max(MAX_DETAIL_CHARS),
    status: z.number().int().min(0).max(999).optional(),
    retryAfterMs: z.number().int().min(0).max(MAX_RETRY_AFTER_MS).optional(),
  })
  .strict();
type SendFailure = z.infer<typeof failureSchema>;
const sendReplySchema = z.discriminatedUnion('ok', [
  z.object({ v: z.literal(1), id: z.uuid(), ok: z.literal(true), sent: sentSchema }).strict(),
  z.object({ v: z.literal(1), id: z.uuid(), ok: z.literal(false), failure: failureSchema }).strict(),
]);
// A status names the running session's link, or null when none runs; a problem is a link reply's.
const statusReplySchema = z.object({ v: z.literal(1), id: z.uuid(), ok: z.literal(true), session: loginSchema.nullable() }).strict();
const replySchema = z.union([linkReplySchema, sendReplySchema, statusReplySchema]);
type RelayReply = z.infer<typeof replySchema>;

/** Whether a reply answers a request of `kind`: a problem answers a link or a status. */
function answers(reply: RelayReply, kind: ExchangeKind): boolean {
  if ('sent' in reply || 'failure' in reply) return kind === 'send';
  if ('session' in reply) return kind === 'status';
  if ('login' in reply) return kind === 'link';
  return kind !== 'send';
}

function parse<T>(schema: z.ZodType<T>, message: string, maxChars: number): T | undefined {
  if (message.length > maxChars) return undefined;
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

/** A link as it goes on the channel: only the fields the schema knows, long texts clipped. */
function loginOut(l: WhatsAppWebLogin): WhatsAppWebLogin {
  return {
    state: l.state,
    since: l.since,
    ...(l.qr === undefined ? {} : { qr: l.qr }),
    ...(l.pairingCode === undefined ? {} : { pairingCode: l.pairingCode }),
    ...(l.phone === undefined ? {} : { phone: l.phone }),
    ...(l.detail === undefined ? {} : { detail: clip(l.detail) }),
  };
}

/** A problem reply as it goes on the channel. */
function problemReplyOf(id: string, p: WhatsAppWebLinkProblem): string {
  const problem: WhatsAppWebLinkProblem = {
    code: p.code,
    detail: clip(p.detail),
    ...(p.errors === undefined ? {} : { errors: p.errors.slice(0, 5).map((e) => ({ path: e.path.slice(0, 100), message: e.message.slice(0, 200) })) }),
  };
  return JSON.stringify({ v: 1, id, ok: false, problem });
}

/** The reply as it goes on the channel. */
function replyOf(id: string, result: WhatsAppWebLinkResult): string {
  return result.ok ? JSON.stringify({ v: 1, id, ok: true, login: loginOut(result.login) }) : problemReplyOf(id, result.problem);
}

/** A status reply as it goes on the channel; its link without the QR code, which a status does not show. */
function statusReplyOf(id: string, result: WhatsAppWebSessionStatus): string {
  if (!result.ok) return problemReplyOf(id, result.problem);
  if (result.login === undefined) return JSON.stringify({ v: 1, id, ok: true, session: null });
  const { qr: _qr, ...session } = loginOut(result.login);
  return JSON.stringify({ v: 1, id, ok: true, session });
}

const retryAfterOf = (ms: number | undefined): { retryAfterMs?: number } =>
  ms === undefined || !Number.isFinite(ms) ? {} : { retryAfterMs: Math.min(Math.max(Math.round(ms), 0), MAX_RETRY_AFTER_MS) };
const statusOf = (status: number | undefined): { status?: number } => (status === undefined || !Number.isInteger(status) || status < 0 || status > 999 ? {} : { status });

/** A send's failure as it goes on the channel: its connector error's class, message, status and wait. */
function failureOf(err: unknown): SendFailure {
  const message = clip(err instanceof Error ? err.message : String(err));
  if (err instanceof RateLimitedError) return { kind: 'rate_limited', message, ...statusOf(err.status), ...retryAfterOf(err.retryAfterMs) };
  if (err instanceof TransientVendorError) return { kind: 'transient', message, ...statusOf(err.status), ...retryAfterOf(err.retryAfterMs) };
  if (err instanceof AuthExpiredError) return { kind: 'auth_expired', message, ...statusOf(err.status) };
  if (err instanceof UnrecoverableVendorError) return { kind: 'refused', message, ...statusOf(err.status) };
  return { kind: 'error', message };
}

/** The connector error a send's failure came from, raised again on the asking side. */
function errorOf(failure: SendFailure): Error {
  const { message, status, retryAfterMs } = failure;
  switch (failure.kind) {
    case 'rate_limited':
      return new RateLimitedError(retryAfterMs, { message, ...(status === undefined ? {} : { status }) });
    case 'transient':
      return new TransientVendorError(message, { ...(status === undefined ? {} : { status }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    case 'auth_expired':
      return new AuthExpiredError(message, status === undefined ? {} : { status });
    case 'refused':
      return new UnrecoverableVendorError(status ?? 0, '', { message });
    default:
      return new Error(message);
  }
}

function sendReplyOf(id: string, outcome: { sent: SentMessage } | { failure: SendFailure }): string {
  if ('failure' in outcome) return JSON.stringify({ v: 1, id, ok: false, failure: outcome.failure });
  const { messageId, status } = outcome.sent;
  return JSON.stringify({ v: 1, id, ok: true, sent: { messageId, ...(status === undefined ? {} : { status }) } });
}

// Extends the lease only while it is still this server's, so a server never extends another's.
const RENEW_LEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
// Gives the lease up only while it is still this server's.
const RELEASE_LEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Why a server stopped answering: it closed, another took its lease, or it could not renew it in time. */
export type WhatsAppWebRelayOwnership = { owner: true } | { owner: false; reason: 'closed' | 'lost' | 'unreachable' };

/**
 * Answers the relay's requests from `links`, the links of the sessions this process runs, and
 * `sends`, the sends through them. Each request is checked against its tenant there (see
 * `localWhatsAppWebLinks` and `localWhatsAppWebSends`); without `sends`, a send is answered as a
 * transient failure. Messages that do not parse are dropped. Owns `subscriber` (a connection of
 * its own, as Redis requires for subscriptions) and closes it; `publisher` may be any connection.
 *
 * Of all the servers over one queue prefix, only the one holding the ownership lease (a Redis
 * key with this server's random id, expiring after `leaseTtlMs`) listens and answers, so one
 * process opens the sessions a connection is linked through. The owner renews the lease every
 * `leaseRenewMs` and gives it up on close; the others try to take it as often, so one of them
 * answers within about `leaseTtlMs` of the owner stopping or dying. `onOwnership` hears when this
 * server starts or stops answering, and `owns()` says whether it answers now (holding a lease
 * that surely has not run out). `ready` settles once the first try to take the lease did.
 * @default leaseTtlMs 15000
 * @default leaseRenewMs 5000
 */
export function serveWhatsAppWebLinks({
  links,
  sends,
  publisher,
  subscriber,
  queuePrefix,
  leaseTtlMs = 15_000,
  leaseRenewMs = 5000,
  onError = () => undefined,
  onOwnership = () => undefined,
}: {
  links: WhatsAppWebLinks;
  sends?: WhatsAppWebSends;
  publisher: Pick<Redis, 'publish' | 'set' | 'eval'>;
  subscriber: Redis;
  queuePrefix: string;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
  onError?: (err: Error) => void;
  onOwnership?: (change: WhatsAppWebRelayOwnership) => void;
}): { ready: Promise<void>; owns(): boolean; close(): Promise<void> } {
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

  async function linkReply(request: LinkRequest): Promise<string> {
    const target: WhatsAppWebLinkTarget = { tenantId: request.tenantId, connectionId: request.connectionId };
    let result: WhatsAppWebLinkResult;
    try {
      result = request.op === 'login' ? await links.login(target) : await links.requestPairingCode({ ...target, phone: request.phone });
    } catch (err) {
      failed(err);
      result = { ok: false, problem: { code: 'service_unavailable', detail: 'The process running WhatsApp Web sessions could not answer; see its log' } };
    }
    return replyOf(request.id, result);
  }

  async function statusReply(request: StatusRequest): Promise<string> {
    let result: WhatsAppWebSessionStatus;
    try {
      result = await links.status({ tenantId: request.tenantId, connectionId: request.connectionId });
    } catch (err) {
      failed(err);
      result = { ok: false, problem: { code: 'service_unavailable', detail: 'The process running WhatsApp Web sessions could not answer; see its log' } };
    }
    return statusReplyOf(request.id, result);
  }

  async function sendReply(request: SendRequest): Promise<string> {
    if (sends === undefined) return sendReplyOf(request.id, { failure: { kind: 'transient', message: 'whatsapp-web: the process answering sends no WhatsApp Web messages' } });
    const { to, text, idempotencyKey, inReplyTo } = request.message;
    const message: OutboundMessage = { to, text, idempotencyKey, ...(inReplyTo === undefined ? {} : { inReplyTo }) };
    try {
      return sendReplyOf(request.id, { sent: await sends.send({ tenantId: request.tenantId, connectionId: request.connectionId }, message) });
    } catch (err) {
      return sendReplyOf(request.id, { failure: failureOf(err) });
    }
  }

  async function answer(request: RelayRequest): Promise<void> {
    const reply = request.op === 'send' ? await sendReply(request) : request.op === 'status' ? await statusReply(request) : await linkReply(request);
    await publisher.publish(channels.reply(request.replyTo), reply);
  }

  const onMessage = (channel: string, message: string): void => {
    // A server whose lease may have run out (it could not renew it) no longer answers.
    if (channel !== channels.requests || closed || !answering || Date.now() >= leaseUntil) return;
    const request = parse(requestSchema, message, MAX_REQUEST_CHARS);
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
    owns: () => owner && !closed && Date.now() < leaseUntil,
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

const unavailable = (detail: string): { ok: false; problem: WhatsAppWebLinkProblem } => ({ ok: false, problem: { code: 'service_unavailable', detail } });

/**
 * How a request ended without a reply. Before it went out: `closed`, `unreachable` (the reply
 * could not be heard), `nobody` (no process listens). After: `timeout`, `lost` (publishing
 * failed midway) and `closing` (this process closed while waiting), where the other side may
 * have acted on it.
 */
type Unanswered = 'closed' | 'unreachable' | 'nobody' | 'timeout' | 'lost' | 'closing';
type Exchange = { reply: RelayReply } | { unanswered: Unanswered };

const UNREACHABLE_DETAIL = 'This process runs no WhatsApp Web sessions and cannot reach the one that does: Redis is unreachable';

/**
 * WhatsApp Web links and sends for a process that does not drive WhatsApp Web: each call goes
 * over Redis to the process that does (`serveWhatsAppWebLinks`) and answers what that one
 * answered. Owns `subscriber` and closes it; `publisher` may be any connection.
 *
 * A link or a status is a service_unavailable problem when no such process listens or none
 * answers within `timeoutMs`. A send raises the connector error the other process raised; a
 * TransientVendorError when the message surely did not go out (no process listens, Redis
 * unreachable, closed); and an UnconfirmedSendError (retry after `unconfirmedRetryMs`, with the
 * same idempotency key) when it went out to the other process and no answer came within
 * `timeoutMs`.
 * @default timeoutMs 5000
 * @default unconfirmedRetryMs 30000
 */
export function createWhatsAppWebRelay({
  publisher,
  subscriber,
  queuePrefix,
  timeoutMs = 5000,
  unconfirmedRetryMs = 30_000,
  onError = () => undefined,
}: {
  publisher: Pick<Redis, 'publish'>;
  subscriber: Redis;
  queuePrefix: string;
  timeoutMs?: number;
  unconfirmedRetryMs?: number;
  onError?: (err: Error) => void;
}): WhatsAppWebLinks & WhatsAppWebSends & { ready: Promise<void>; close(): Promise<void> } {
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`whatsapp-web relay: timeoutMs must be a positive number, not ${timeoutMs}`);
  if (!(Number.isInteger(unconfirmedRetryMs) && unconfirmedRetryMs > 0)) throw new RangeError(`whatsapp-web relay: unconfirmedRetryMs must be a positive whole number, not ${unconfirmedRetryMs}`);
  const channels = whatsAppWebRelayChannels(queuePrefix);
  const replyTo = randomUUID();
  const replyChannel = channels.reply(replyTo);
  const pending = new Map<string, { kind: ExchangeKind; settle: (outcome: Exchange) => void }>();
  const seconds = timeoutMs / 1000;
  let closed = false;

  const onMessage = (channel: string, message: string): void => {
    if (channel !== replyChannel) return;
    const reply = parse(replySchema, message, MAX_REPLY_CHARS);
    const waiting = reply === undefined ? undefined : pending.get(reply.id);
    // A reply of another kind than asked for (a send answered with a link) is as bad as garbage.
    if (reply === undefined || (waiting !== undefined && !answers(reply, waiting.kind))) {
      onError(new Error('whatsapp-web relay: a reply that does not parse was dropped'));
      return;
    }
    waiting?.settle({ reply });
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

  async function exchange(kind: ExchangeKind, request: RelayRequest, body: string): Promise<Exchange> {
    if (closed) return { unanswered: 'closed' };
    // Not subscribed yet (Redis unreachable since start): wait for it no longer than for a reply.
    if (!listening) {
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([ready, new Promise<void>((resolve) => (waited = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(waited);
    }
    if (closed) return { unanswered: 'closed' };
    if (!listening || subscriber.status !== 'ready') return { unanswered: 'unreachable' };
    const { id } = request;
    return new Promise<Exchange>((resolve) => {
      const settle = (outcome: Exchange): void => {
        if (!pending.delete(id)) return;
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle({ unanswered: 'timeout' }), timeoutMs);
      pending.set(id, { kind, settle });
      publisher.publish(channels.requests, body).then(
        (listeners) => {
          if (listeners === 0) settle({ unanswered: 'nobody' });
        },
        (err: Error) => {
          onError(err);
          settle({ unanswered: 'lost' });
        },
      );
    });
  }

  const linkDetail: Record<Unanswered, string> = {
    closed: 'This process is shutting down',
    closing: 'This process is shutting down',
    unreachable: UNREACHABLE_DETAIL,
    lost: UNREACHABLE_DETAIL,
    nobody: 'No process runs WhatsApp Web sessions; start hub worker (or hub start) to link WhatsApp Web connections',
    timeout: `No process running WhatsApp Web sessions answered within ${seconds} s; check that hub worker (or hub start) is running`,
  };

  async function ask(ask: RelayAsk): Promise<WhatsAppWebLinkResult> {
    if (closed) return unavailable(linkDetail.closed);
    const request = requestSchema.safeParse({ v: 1, id: randomUUID(), replyTo, ...ask });
    if (!request.success) return { ok: false, problem: { code: 'unprocessable', detail: 'The connection id, tenant or phone number is too long to link' } };
    const outcome = await exchange('link', request.data, JSON.stringify(request.data));
    if ('unanswered' in outcome) return unavailable(linkDetail[outcome.unanswered]);
    const { reply } = outcome;
    if ('login' in reply) return { ok: true, login: reply.login };
    if ('problem' in reply) return { ok: false, problem: reply.problem };
    return unavailable(linkDetail.timeout); // not reached: replies of the other kind are dropped
  }

  async function status({ tenantId, connectionId }: WhatsAppWebLinkTarget): Promise<WhatsAppWebSessionStatus> {
    if (closed) return unavailable(linkDetail.closed);
    const request = requestSchema.safeParse({ v: 1, id: randomUUID(), replyTo, op: 'status', tenantId, connectionId });
    if (!request.success) return { ok: false, problem: { code: 'unprocessable', detail: 'The connection id or tenant is too long to check' } };
    const outcome = await exchange('status', request.data, JSON.stringify(request.data));
    if ('unanswered' in outcome) return unavailable(linkDetail[outcome.unanswered]);
    const { reply } = outcome;
    if ('session' in reply) return { ok: true, ...(reply.session === null ? {} : { login: reply.session }) };
    if ('problem' in reply) return { ok: false, problem: reply.problem };
    return unavailable(linkDetail.timeout); // not reached: replies of another kind are dropped
  }

  // The message surely did not go out: a failure like any other, retried or passed on by the notifier.
  const notSent = (detail: string): TransientVendorError => new TransientVendorError(`whatsapp-web: ${detail}; the message was not sent`);
  // It may have: the notifier runs it again with the same idempotency key, which the other side answers from what it noted.
  const unconfirmed = (detail: string): UnconfirmedSendError => new UnconfirmedSendError(`whatsapp-web: ${detail}; the message may have gone out`, { retryAfterMs: unconfirmedRetryMs });
  const sendError: Record<Unanswered, () => Error> = {
    closed: () => notSent('this process is shutting down'),
    unreachable: () => notSent('Redis is unreachable, so the process that drives WhatsApp Web cannot be asked'),
    nobody: () => notSent('no process drives WhatsApp Web now (none holds the relay lease)'),
    timeout: () => unconfirmed(`the process that drives WhatsApp Web did not answer within ${seconds} s`),
    lost: () => unconfirmed('Redis failed while asking the process that drives WhatsApp Web'),
    closing: () => unconfirmed('this process shut down before the process that drives WhatsApp Web answered'),
  };

  async function send(target: WhatsAppWebLinkTarget, message: OutboundMessage): Promise<SentMessage> {
    const { to, text, idempotencyKey, inReplyTo } = message;
    const request = requestSchema.safeParse({
      v: 1,
      id: randomUUID(),
      replyTo,
      op: 'send',
      tenantId: target.tenantId,
      connectionId: target.connectionId,
      message: { to, text, idempotencyKey, ...(inReplyTo === undefined ? {} : { inReplyTo }) },
    });
    const body = request.success ? JSON.stringify(request.data) : '';
    if (!request.success || body.length > MAX_REQUEST_CHARS) {
      const field = request.success ? 'message' : request.error.issues[0]?.path.join('.') || 'message';
      throw new UnrecoverableVendorError(0, '', { message: `whatsapp-web: the message cannot be passed to the process that drives WhatsApp Web (${field} is too long or empty)` });
    }
    const outcome = await exchange('send', request.data, body);
    if ('unanswered' in outcome) throw sendError[outcome.unanswered]();
    const { reply } = outcome;
    if ('sent' in reply) return { messageId: reply.sent.messageId, ...(reply.sent.status === undefined ? {} : { status: reply.sent.status }) };
    if ('failure' in reply) throw errorOf(reply.failure);
    throw sendError.timeout(); // not reached: replies of the other kind are dropped
  }

  return {
    ready,
    login: ({ tenantId, connectionId }) => ask({ op: 'login', tenantId, connectionId }),
    requestPairingCode: ({ tenantId, connectionId, phone }) => ask({ op: 'pairing', tenantId, connectionId, phone }),
    status,
    send,
    async close() {
      if (closed) return;
      closed = true;
      for (const { settle } of [...pending.values()]) settle({ unanswered: 'closing' });
      subscriber.off('message', onMessage);
      await release(subscriber);
      subscriber.off('error', onFailure);
    },
  };
}
