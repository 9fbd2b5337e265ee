import { DuplicateKeyError, type NewDoc, type Store } from '../core/store/index.ts';
import { createGroupCommit, type BatchOutcome } from './group-commit.ts';
import { webhookEnvelopesCollection, type WebhookEnvelopeDoc } from './webhook-envelope.ts';

/** `stored`, or `duplicate` when the tenant already holds an envelope with this connection and event key. */
export type EnvelopeWrite = 'stored' | 'duplicate';

type NewEnvelope = NewDoc<WebhookEnvelopeDoc> & { _id: string };

/** Stores one envelope; rejects only when the store fails. */
export type WriteEnvelope = (tenantId: string, envelope: NewEnvelope) => Promise<EnvelopeWrite>;

/**
 * Stores envelopes with group commit: envelopes of a tenant that arrive while its previous write
 * is in flight are stored together, a few store writes (and appends) per burst instead of one
 * each. When a batch is refused because one of its envelopes is a duplicate, each is stored
 * alone, so every caller learns its own fate.
 */
export function createEnvelopeWriter(store: Store): WriteEnvelope {
  async function writeOne(tenantId: string, envelope: NewEnvelope): Promise<BatchOutcome<EnvelopeWrite>> {
    const envelopes = store.forTenant(tenantId).collection(webhookEnvelopesCollection);
    try {
      await envelopes.insert(envelope);
      return { ok: true, value: 'stored' };
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) return { ok: false, error: err };
      // The refused batch may have stored this one before failing (MongoDB's ordered insert does).
      const mine = await envelopes.findById(envelope._id).catch(() => null);
      return { ok: true, value: mine ? 'stored' : 'duplicate' };
    }
  }

  return createGroupCommit<NewEnvelope, EnvelopeWrite>(async (tenantId, batch) => {
    if (batch.length === 1) return [await writeOne(tenantId, batch[0]!)];
    try {
      await store.forTenant(tenantId).collection(webhookEnvelopesCollection).insertMany(batch);
      return batch.map(() => ({ ok: true, value: 'stored' }));
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      const outcomes: BatchOutcome<EnvelopeWrite>[] = [];
      for (const envelope of batch) outcomes.push(await writeOne(tenantId, envelope));
      return outcomes;
    }
  });
}
