import { connectorRegistry, type ConnectorRegistry } from '../connectors/index.ts';
import { loadConnection } from '../core/connections/index.ts';
import { newId, type Store } from '../core/store/index.ts';
import type { EnvelopeJobData } from './envelope-job.ts';
import type { InboundWebhookHandler, InboundWebhookOutcome } from './inbound-webhook-handler.ts';
import { webhookEnvelopesCollection, type EnvelopeStatus, type WebhookEnvelopeDoc } from './webhook-envelope.ts';

/** A failed envelope stays inspectable and replayable at least this long, like a failed job. */
export const FAILED_RETENTION_MS = 14 * 24 * 3600_000;

/** The outcome of one run; the queue worker turns `retry` and `failed` into its own job errors. */
export type EnvelopeRunResult =
  | { kind: 'skipped'; reason: 'missing' | 'superseded' | EnvelopeStatus }
  | { kind: 'settled'; status: 'processed' | 'ignored' }
  /** A handler threw and attempts remain: run again later. */
  | { kind: 'retry'; error: Error }
  /** Settled as failed; do not run again. */
  | { kind: 'failed'; error: Error };

export interface EnvelopeRun {
  data: EnvelopeJobData;
  /** The job id of this run; a job of an earlier run (before a replay) is skipped. */
  jobId: string | undefined;
  /** True when a failure now settles the envelope as failed instead of retrying. */
  finalAttempt: boolean;
}

export interface ProcessLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Builds the processor of `webhooks` jobs. The envelope's status is the processed-key: only a
 * `received` envelope runs; each run claims it by compare-and-set (status, job id) under a fresh
 * run id and settles it only while it still holds that run id, so a run that lost the envelope
 * to another (a replay, a recovered stalled job) cannot overwrite that run's outcome.
 */
export function createEnvelopeProcessor(deps: {
  store: Store;
  /** The inbound sync path; without handlers every envelope settles as ignored ("no handler"). */
  handlers: readonly InboundWebhookHandler[];
  logger: ProcessLogger;
  /** Where each envelope's connector and its `parseWebhook` are found. @default connectorRegistry */
  connectors?: Pick<ConnectorRegistry, 'get'>;
  now?: () => Date;
}): (run: EnvelopeRun) => Promise<EnvelopeRunResult> {
  const { store, handlers, logger, connectors = connectorRegistry, now = () => new Date() } = deps;

  return async function processEnvelope({ data, jobId, finalAttempt }) {
    const db = store.forTenant(data.tenantId);
    const envelopes = db.collection(webhookEnvelopesCollection);
    // The bytes are read once, with the claim.
    const found = await envelopes.findOne({ _id: data.envelopeId }, { projection: { body: 0, headers: 0 } });
    if (!found) return { kind: 'skipped', reason: 'missing' };
    if (found.status !== 'received') return { kind: 'skipped', reason: found.status };
    if (jobId !== undefined && found.jobId !== jobId) return { kind: 'skipped', reason: 'superseded' };

    // Compare-and-set on status and job: the claim fails when a replay or another run moved on.
    const runId = newId('run');
    const claimed = await envelopes.findOneAndUpdate(
      { _id: found._id, status: 'received', jobId: found.jobId },
      { $inc: { attempts: 1 }, $set: { lastAttemptAt: now(), runId } },
    );
    if (!claimed) return { kind: 'skipped', reason: 'superseded' };

    const settle = async (status: Exclude<EnvelopeStatus, 'received'>, fields: Partial<WebhookEnvelopeDoc>): Promise<boolean> => {
      const at = now();
      const expiresAt =
        status === 'failed' ? new Date(Math.max(claimed.dedupeUntil.getTime(), at.getTime() + FAILED_RETENTION_MS)) : claimed.dedupeUntil;
      // Settles only while this run holds the envelope: the sweeper's bookkeeping does not count
      // as a change, a replay or a newer run's claim does.
      const settled = await envelopes.updateOne(
        { _id: claimed._id, status: 'received', runId },
        { $set: { ...fields, status, settledAt: at, expiresAt }, $unset: { runId: true, pendingSinceMs: true } },
      );
      if (!settled) {
        logger.info({ tenantId: data.tenantId, envelopeId: claimed._id, status }, 'webhook envelope was taken over during the run; its newer state stands');
      }
      return settled !== null;
    };

    const parse = connectors.get(claimed.connectorId)?.parseWebhook;
    if (!parse || handlers.length === 0) {
      await settle('ignored', { outcome: { reason: 'no handler' } });
      return { kind: 'settled', status: 'ignored' };
    }
    const connection = await loadConnection(db, claimed.connectionId);
    if (!connection) {
      await settle('ignored', { outcome: { reason: 'connection deleted' } });
      return { kind: 'settled', status: 'ignored' };
    }

    const outcomes: { name: string; outcome: InboundWebhookOutcome }[] = [];
    try {
      const parsed = await parse(
        {
          rawBody: Buffer.from(claimed.body, 'base64'),
          headers: Object.fromEntries(claimed.headers.map((h) => [h.name, h.value])),
          url: claimed.url,
          receivedAt: claimed.receivedAt,
        },
        connection.config ?? {},
      );
      if (!parsed.ok) {
        // The stored bytes will not parse any better next time: settle now, replay after a fix.
        const error = new Error(`the connector could not parse this webhook (${parsed.error.code}): ${parsed.error.message}`);
        await settle('failed', { error: { name: 'ParseError', message: error.message, at: now() } });
        return { kind: 'failed', error };
      }
      for (const handler of handlers) {
        const outcome = await handler.handle(
          {
            tenantId: data.tenantId,
            connectionId: claimed.connectionId,
            connectorId: claimed.connectorId,
            envelopeId: claimed._id,
            eventKey: claimed.eventKey,
            receivedAt: claimed.receivedAt,
            changes: parsed.changes,
            attempt: claimed.attempts,
          },
          { db, now: now() },
        );
        outcomes.push({ name: handler.name, outcome });
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      logger.warn({ tenantId: data.tenantId, envelopeId: claimed._id, finalAttempt, err: { name: error.name, message: error.message } }, 'webhook handler failed');
      if (!finalAttempt) return { kind: 'retry', error };
      await settle('failed', { error: { name: error.name, message: error.message, at: now() } });
      return { kind: 'failed', error };
    }

    const processedBy = outcomes.filter((o) => o.outcome.status === 'processed').map((o) => o.name);
    if (processedBy.length > 0) {
      await settle('processed', { outcome: { handlers: processedBy } });
      return { kind: 'settled', status: 'processed' };
    }
    const reasons = outcomes.map((o) => (o.outcome.status === 'ignored' ? `${o.name}: ${o.outcome.reason}` : o.name));
    await settle('ignored', { outcome: { reason: reasons.join('; ') } });
    return { kind: 'settled', status: 'ignored' };
  };
}
