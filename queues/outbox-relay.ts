import type { Queue } from 'bullmq';
import type { DomainEvent } from '../core/domain/index.ts';
import { billingInvoicesCollection } from '../core/billing/index.ts';
import { milestonesCollection, verificationsCollection } from '../core/milestones/index.ts';
import { delegationsCollection } from '../core/ownership/index.ts';
import { peopleCollection } from '../core/people/index.ts';
import { projectsCollection } from '../core/projects/index.ts';
import type { BaseDoc, CollectionDef, Store } from '../core/store/index.ts';
import { disputesCollection } from '../core/verification/index.ts';
import type { HubQueues } from './create-queues.ts';

/** The name of the scheduled job that runs the relay on the `outbox` queue. */
export const OUTBOX_RELAY_JOB = 'outbox.relay';
/** The job scheduler id of the relay. */
export const OUTBOX_RELAY_SCHEDULER_ID = 'outbox-relay';

/** Collections whose documents carry an `outbox` of domain events. Add new aggregates here. */
export const OUTBOX_COLLECTIONS: readonly CollectionDef[] = [
  projectsCollection,
  milestonesCollection,
  peopleCollection,
  verificationsCollection,
  disputesCollection,
  delegationsCollection,
  billingInvoicesCollection,
];

interface OutboxHolder extends BaseDoc {
  outbox?: DomainEvent[];
}

/**
 * Documents with at least one pending event (event ids are non-empty strings). Written as a range
 * over `outbox.id` so a collection that indexes `outbox.id` finds them through the index, in both
 * stores, instead of scanning every document on every round; without the index it is a scan.
 */
const PENDING = { 'outbox.id': { $gt: '' } };

/** Options for {@link relayOutbox}. */
export interface RelayOutboxOptions {
  store: Store;
  /** The `outbox` queue. */
  queue: Queue;
  /** @default OUTBOX_COLLECTIONS */
  collections?: readonly CollectionDef[];
  /** Documents read per round. @default 200 */
  batchSize?: number;
  /** Called between adding a document's events and removing them: a test seam for crashes. */
  afterAdd?: (doc: { _id: string; collection: string }, events: readonly DomainEvent[]) => Promise<void> | void;
}

/**
 * Moves pending domain events from documents' `outbox` arrays to the `outbox` queue, then removes
 * them from the documents. Each job's id is the event id, so adding an event again (after a
 * crash between the two steps, or from a second relay) is ignored by BullMQ while the job is
 * kept: events are re-sent, never lost. Returns how many events it moved.
 *
 * Each page of documents costs one `addBulk` and one `updateMany`, whatever its size: the pull
 * names only the relayed event ids, so events a writer appended meanwhile stay for the next round.
 *
 * @example await relayOutbox({ store, queue: queues.get('outbox') })
 */
export async function relayOutbox(options: RelayOutboxOptions): Promise<{ events: number; documents: number }> {
  const { store, queue, collections = OUTBOX_COLLECTIONS, batchSize = 200 } = options;
  let events = 0;
  let documents = 0;
  for (const def of collections) {
    const col = store.maintenance(def as CollectionDef<OutboxHolder>);
    for (;;) {
      const docs = await col.find(PENDING, { limit: batchSize, projection: { _id: 1, outbox: 1 } });
      // An index over the events' ids may name a document once per event; each is relayed once.
      const holders = [...new Map(docs.filter((doc) => (doc.outbox ?? []).length > 0).map((doc) => [doc._id, doc])).values()];
      if (holders.length > 0) {
        const pending = holders.flatMap((doc) => doc.outbox!);
        await queue.addBulk(pending.map((event) => ({ name: event.type, data: event, opts: { jobId: event.id } })));
        if (options.afterAdd !== undefined) for (const doc of holders) await options.afterAdd({ _id: doc._id, collection: def.name }, doc.outbox!);
        await col.updateMany({ _id: { $in: holders.map((doc) => doc._id) } }, { $pull: { outbox: { id: { $in: pending.map((e) => e.id) } } } });
        events += pending.length;
        documents += holders.length;
      }
      if (docs.length < batchSize) break;
    }
  }
  return { events, documents };
}

/** Options for {@link relayOutboxWhileBusy}. */
export interface RelayWhileBusyOptions extends RelayOutboxOptions {
  /** The longest one call keeps relaying. @default 2000 */
  budgetMs?: number;
  /** The least pause between rounds, so a round carries what the writers made meanwhile. @default 25 */
  pauseMs?: number;
}

/**
 * Relays one full round, then keeps relaying the collections that had events for as long as
 * they still have some (within `budgetMs`): under a steady stream of changes an event waits a
 * short round, not a whole scheduler interval, while an idle hub still costs one round per tick.
 * Each pause is at least as long as the round before it, so the follow-up reads take at most
 * half of the store's time however large the collections (the outbox query scans those that do
 * not index `outbox.id`).
 */
export async function relayOutboxWhileBusy(options: RelayWhileBusyOptions): Promise<{ events: number; documents: number; rounds: number }> {
  const { budgetMs = 2000, pauseMs = 25, collections = OUTBOX_COLLECTIONS } = options;
  const deadline = Date.now() + budgetMs;
  const total = { events: 0, documents: 0, rounds: 0 };
  let active = collections;
  for (;;) {
    const began = Date.now();
    const busy: CollectionDef[] = [];
    for (const def of active) {
      const moved = await relayOutbox({ ...options, collections: [def] });
      total.events += moved.events;
      total.documents += moved.documents;
      if (moved.events > 0) busy.push(def);
    }
    total.rounds += 1;
    const pause = Math.max(pauseMs, Date.now() - began);
    if (busy.length === 0 || Date.now() + pause >= deadline) return total;
    active = busy;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Upserts the job scheduler that runs the relay on the `outbox` queue. Call at start. */
export async function scheduleOutboxRelay(queues: HubQueues, { everyMs = 1000 }: { everyMs?: number } = {}): Promise<void> {
  if (!Number.isInteger(everyMs) || everyMs < 100) throw new TypeError('everyMs must be a whole number of milliseconds, at least 100');
  await queues.get('outbox').upsertJobScheduler(
    OUTBOX_RELAY_SCHEDULER_ID,
    { every: everyMs },
    { name: OUTBOX_RELAY_JOB, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  );
}
