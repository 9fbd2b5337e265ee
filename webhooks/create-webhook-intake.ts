import type { IncomingMessage } from 'node:http';
import type { Registry } from 'prom-client';
import { newId, type Collection, type Store } from '../core/store/index.ts';
import type { HubQueues } from '../queues/index.ts';
import { envelopeJobId } from './envelope-job.ts';
import { createEnvelopeEnqueuer, DEFAULT_ENQUEUE_TIMEOUT_MS } from './enqueue-envelope.ts';
import { createEnvelopeWriter } from './envelope-writer.ts';
import { eventKey } from './event-key.ts';
import { readCappedBody } from './read-capped-body.ts';
import { droppedHeaders, storedHeaders, storedUrl } from './stored-request.ts';
import { isActiveSecret, readHeader, verifierFor, verifyMetaHandshake, type HeaderSource, type SchemeId, type Verifier, type VerifyFailure } from './verifiers/index.ts';
import { envelopeDedupeKey, webhookEnvelopesCollection, type WebhookEnvelopeDoc } from './webhook-envelope.ts';
import { webhookMetrics } from './webhook-metrics.ts';
import type { ResolveWebhookSource, WebhookSource } from './webhook-source.ts';

/** What the intake decided about one request; the HTTP layer maps each kind to one answer. */
export type IntakeResult =
  | { kind: 'accepted'; eventId: string; scheme: SchemeId }
  | { kind: 'duplicate'; eventId: string; scheme: SchemeId }
  /** Unknown, deleted or paused connection, or one that takes no webhooks. */
  | { kind: 'not_found' }
  | { kind: 'too_large'; scheme: SchemeId }
  | { kind: 'unauthorized'; scheme: SchemeId; reason: VerifyFailure }
  /** The client went away before the body was read. */
  | { kind: 'aborted'; scheme: SchemeId }
  /** Nothing was acknowledged: the event could not be stored or enqueued, so the provider must retry. */
  | { kind: 'unavailable'; scheme?: SchemeId };

export type HandshakeResult = { kind: 'challenge'; challenge: string } | { kind: 'not_found' } | { kind: 'forbidden' };

export interface IntakeLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WebhookIntakeOptions {
  store: Store;
  /** Without queues nothing can be enqueued, so every verified event is answered 503. */
  queues: HubQueues | undefined;
  resolveSource: ResolveWebhookSource;
  /** `HUB_PUBLIC_URL`: the base of the URL providers sign (Twilio). */
  publicUrl: string;
  metrics: Registry;
  logger: IntakeLogger;
  now?: () => Date;
  /** How long an event id is remembered, from receipt. @default 72 */
  dedupeHours?: number;
  /** @default 5000 */
  enqueueTimeoutMs?: number;
  /** Allowed clock skew for schemes that sign a timestamp. @default 300 */
  toleranceSeconds?: number;
}

/** The webhook pipeline: resolve, read under the cap, verify, store-and-dedupe, enqueue. */
export interface WebhookIntake {
  /**
   * Runs one POST through the pipeline. `pathAndQuery` is the request's path and query exactly as
   * received; appended to the public URL it is what URL-signing schemes signed. Under
   * @hono/node-server pass Node's `incoming` message too: the body is then read from it directly.
   */
  receive(input: { connectionId: string; request: Request; pathAndQuery: string; incoming?: IncomingMessage }): Promise<IntakeResult>;
  /** Answers Meta's subscription GET (`hub.mode`, `hub.verify_token`, `hub.challenge`). */
  handshake(input: { connectionId: string; query: URLSearchParams }): Promise<HandshakeResult>;
}

/**
 * Builds the intake. The envelope is its own dedupe record (unique on connection and event
 * key), so storing an event and remembering its id are one write; it is enqueued only
 * after that write, and a retry of an event whose enqueue failed is enqueued again.
 */
export function createWebhookIntake(options: WebhookIntakeOptions): WebhookIntake {
  const {
    store,
    queues,
    resolveSource,
    publicUrl,
    logger,
    now = () => new Date(),
    dedupeHours = 72,
    enqueueTimeoutMs = DEFAULT_ENQUEUE_TIMEOUT_MS,
    toleranceSeconds,
  } = options;
  if (!Number.isFinite(dedupeHours) || dedupeHours <= 0) throw new TypeError('dedupeHours must be a positive number of hours');
  if (!URL.canParse(publicUrl)) throw new TypeError('publicUrl must be an absolute URL');
  const base = publicUrl.replace(/\/+$/, '');
  const metrics = webhookMetrics(options.metrics);
  const writeEnvelope = createEnvelopeWriter(store);
  const enqueueEnvelope = createEnvelopeEnqueuer(queues, { timeoutMs: enqueueTimeoutMs });
  const dedupeMs = dedupeHours * 3600_000;
  // Per resolved source, which the resolver keeps until its connection changes.
  const dropSets = new WeakMap<WebhookSource, ReadonlySet<string>>();
  const droppedOf = (source: WebhookSource, verifier: Verifier): ReadonlySet<string> => {
    let drop = dropSets.get(source);
    if (!drop) {
      drop = droppedHeaders(verifier.signatureHeaders(source.schemeOptions));
      dropSets.set(source, drop);
    }
    return drop;
  };

  async function resolve(connectionId: string): Promise<WebhookSource | null | 'error'> {
    try {
      const source = await resolveSource(connectionId);
      return source?.active ? source : null;
    } catch (err) {
      logger.error({ connectionId, err: { name: (err as Error).name, message: (err as Error).message } }, 'webhook connection lookup failed');
      return 'error';
    }
  }

  async function enqueue(envelope: Pick<WebhookEnvelopeDoc, '_id' | 'jobId'>, tenantId: string): Promise<boolean> {
    const queued = await enqueueEnvelope({ tenantId, envelopeId: envelope._id, jobId: envelope.jobId });
    if (!queued.ok) {
      logger.warn({ tenantId, envelopeId: envelope._id, error: queued.error, message: queued.message }, 'webhook stored but not enqueued; answering 503');
    }
    return queued.ok;
  }

  return {
    async receive({ connectionId, request, pathAndQuery, incoming }) {
      // An unread body is left to the server, which drains or closes it after the answer.
      const source = await resolve(connectionId);
      if (source === 'error') {
        metrics.unavailable('unknown');
        return { kind: 'unavailable' };
      }
      const verifier = source ? verifierFor(source.scheme) : undefined;
      if (!source || !verifier) {
        metrics.rejected('unknown', 'unknown_connection');
        return { kind: 'not_found' };
      }
      const scheme = verifier.scheme;
      metrics.received(scheme);

      const body = await readCappedBody({ request, ...(incoming ? { incoming } : {}) }, source.maxBodyBytes);
      if (!body.ok) {
        metrics.rejected(scheme, body.error);
        return body.error === 'too_large' ? { kind: 'too_large', scheme } : { kind: 'aborted', scheme };
      }
      const rawBody = body.bytes;
      // Node's header map when there is one: a Fetch `Headers` built over it would cost more than the lookups.
      const headers: HeaderSource = incoming ? incoming.headers : request.headers;
      const receivedAt = now();
      const url = base + pathAndQuery;
      const secrets = source.secrets;
      const verified = verifier.verify({
        rawBody,
        headers,
        url,
        secrets,
        now: receivedAt,
        options: source.schemeOptions,
        ...(toleranceSeconds !== undefined ? { toleranceSeconds } : {}),
      });
      if (!verified.ok) {
        metrics.rejected(scheme, verified.reason);
        if (verified.reason === 'misconfigured') {
          logger.warn({ tenantId: source.tenantId, connectionId, scheme }, 'webhook scheme options are invalid; every request is refused');
        }
        return { kind: 'unauthorized', scheme, reason: verified.reason };
      }
      metrics.verified(scheme);

      const key = eventKey(verified.eventId ?? verifier.eventId({ rawBody, headers, options: source.schemeOptions }), rawBody);
      const id = newId('whe');
      const secretId = verified.secretIndex === undefined ? undefined : secrets[verified.secretIndex]?.id;
      const envelopes = store.forTenant(source.tenantId).collection(webhookEnvelopesCollection);
      const contentType = readHeader(headers, 'content-type');
      const envelope = {
        _id: id,
        connectionId,
        connectorId: source.connectorId,
        scheme,
        eventKey: key.key,
        eventKeySource: key.source,
        dedupeKey: envelopeDedupeKey(connectionId, key.key),
        receivedAt,
        url: storedUrl(url, verifier.secretQueryParams),
        headers: storedHeaders(headers, droppedOf(source, verifier)),
        ...(contentType ? { contentType } : {}),
        body: Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('base64'),
        size: rawBody.byteLength,
        verification: {
          ok: true as const,
          ...(secretId ? { secretId } : {}),
          ...(verified.timestamp ? { signedAt: verified.timestamp } : {}),
        },
        status: 'received' as const,
        pendingSinceMs: receivedAt.getTime(),
        jobId: envelopeJobId(id, 0),
        replayCount: 0,
        attempts: 0,
        dedupeUntil: new Date(receivedAt.getTime() + dedupeMs),
      };

      let written;
      try {
        written = await writeEnvelope(source.tenantId, envelope);
      } catch (err) {
        metrics.unavailable(scheme);
        logger.error({ tenantId: source.tenantId, connectionId, err: { name: (err as Error).name, message: (err as Error).message } }, 'webhook envelope could not be stored; answering 503');
        return { kind: 'unavailable', scheme };
      }
      if (written === 'duplicate') return duplicateOf(envelopes, source.tenantId, connectionId, key.key, scheme);
      if (!(await enqueue(envelope, source.tenantId))) {
        metrics.unavailable(scheme);
        return { kind: 'unavailable', scheme };
      }
      return { kind: 'accepted', eventId: id, scheme };
    },

    async handshake({ connectionId, query }) {
      const source = await resolve(connectionId);
      if (source === 'error' || !source || !verifierFor(source.scheme)) return { kind: 'not_found' };
      if (source.scheme !== 'meta') return { kind: 'forbidden' };
      const at = now();
      const tokens = source.secrets.filter((s) => isActiveSecret(s, at)).map((s) => s.value);
      const result = verifyMetaHandshake(
        { mode: query.get('hub.mode'), verifyToken: query.get('hub.verify_token'), challenge: query.get('hub.challenge') },
        tokens,
      );
      return result.ok ? { kind: 'challenge', challenge: result.challenge } : { kind: 'forbidden' };
    },
  };

  async function duplicateOf(
    envelopes: Collection<WebhookEnvelopeDoc>,
    tenantId: string,
    connectionId: string,
    key: string,
    scheme: SchemeId,
  ): Promise<IntakeResult> {
    let existing: WebhookEnvelopeDoc | null;
    try {
      // Envelopes stored before `dedupeKey` existed are found by their parts.
      existing =
        (await envelopes.findOne({ dedupeKey: envelopeDedupeKey(connectionId, key) })) ?? (await envelopes.findOne({ connectionId, eventKey: key, dedupeKey: { $exists: false } }));
    } catch (err) {
      metrics.unavailable(scheme);
      logger.error({ tenantId, connectionId, err: { message: (err as Error).message } }, 'webhook dedupe lookup failed; answering 503');
      return { kind: 'unavailable', scheme };
    }
    // Gone between the refused insert and this read (it expired): let the provider retry afresh.
    if (!existing) {
      metrics.unavailable(scheme);
      return { kind: 'unavailable', scheme };
    }
    metrics.duplicates(scheme);
    // Not settled yet, and perhaps never acknowledged (its enqueue failed): queue it again. The
    // job id is the same, so BullMQ ignores the add when the first one did get through.
    if (existing.status === 'received' && !(await enqueue(existing, tenantId))) {
      metrics.unavailable(scheme);
      return { kind: 'unavailable', scheme };
    }
    return { kind: 'duplicate', eventId: existing._id, scheme };
  }
}
