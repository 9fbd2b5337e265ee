import { createHash } from 'node:crypto';
import { z } from 'zod';
import { auditLogCollection, pendingAudit, type PendingAuditEntry, type PendingAuditHolder, type RecordedChange } from '../audit-log/index.ts';
import { invalid, issuesFromZod, orderedIds, succeed, type DomainContext, type DomainResult, type FieldIssue } from '../domain/index.ts';
import { newId, type CollectionDef, type TenantStore } from '../store/index.ts';
import { milestonesCollection } from './collections.ts';
import { evidenceCollection, verificationsCollection, type EvidenceDoc, type EvidenceWrite } from './verification-collections.ts';

/** Evidence as callers give it: `content` (text or base64 with `encoding`) is hashed and not kept. */
export const evidenceInputSchema = z
  .object({
    kind: z.string().trim().min(1).max(50).default('document'),
    description: z.string().max(2000).optional(),
    link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    contentHash: z
      .string()
      .regex(/^(sha256:)?[0-9a-fA-F]{64}$/, 'a SHA-256 hash in hex, optionally prefixed sha256:')
      .optional(),
    content: z.string().max(5_000_000).optional(),
    encoding: z.enum(['utf8', 'base64']).default('utf8'),
    mediaType: z.string().max(100).optional(),
  })
  .strict()
  .refine((e) => e.link !== undefined || e.contentHash !== undefined || e.content !== undefined || e.description !== undefined, {
    message: 'evidence needs a link, content, a content hash or a description',
  });

export type EvidenceInput = z.input<typeof evidenceInputSchema>;

/**
 * Evidence as {@link readEvidence} read it: what is stored of it, its content hashed once and
 * dropped. {@link stageEvidenceWithAudit} stores it as it is.
 */
export type CheckedEvidence = Pick<EvidenceDoc, 'kind' | 'description' | 'contentHash' | 'link' | 'mediaType' | 'size'>;

/** How long a waiting record belongs to the request that staged it (or last took it over): only later may an identical request take it over. */
export const EVIDENCE_LEASE_MS = 15 * 60_000;

/**
 * How long a waiting record whose write is stored nowhere is kept, counted from its `at` (when it
 * was staged or last taken over): after that, a reader that finds it so ({@link listEvidence},
 * or the same evidence staged again) deletes it. Far longer than any request runs, and than the
 * lease. A record whose write is stored is never deleted, whether it was marked attached or not.
 */
export const EVIDENCE_ORPHAN_MAX_AGE_MS = 24 * 60 * 60_000;

/** Evidence staged for one write: every record in input order, and the ids that write names. */
export interface StagedEvidence {
  records: EvidenceDoc[];
  /** The records the write attaches, in input order: all of them, less those `replay` found attached already. */
  ids: string[];
}

type Draft = Omit<EvidenceDoc, '_id' | 'version' | 'createdAt' | 'updatedAt' | 'tenantId'>;

/**
 * Stages `inputs` (see {@link stageEvidence}) for a write and gives that write its pending audit
 * entry: `change`, with the staged ids added as `data.evidence` when there are any.
 *
 * @example const staged = await stageEvidenceWithAudit(ctx, id, evidence, { action, aggregate, before, after, data }, { target }); // then write staged.value.audit with the document
 */
export async function stageEvidenceWithAudit(
  ctx: DomainContext,
  milestoneId: string,
  evidence: readonly CheckedEvidence[],
  change: RecordedChange,
  options: Omit<Parameters<typeof stageEvidence>[3], 'audit'>,
): Promise<StagedEvidence & { audit: PendingAuditEntry }> {
  const auditId = newId('aud');
  const staged = await stageEvidence(ctx, milestoneId, evidence, { ...options, audit: auditId });
  const data = staged.ids.length > 0 ? { ...change.data, evidence: staged.ids } : change.data;
  return { ...staged, audit: pendingAudit(ctx, { ...change, ...(data ? { data } : {}) }, { id: auditId }) };
}

/**
 * Stores evidence for a milestone (and a verification) ahead of the write that names it: who,
 * what, a content hash and a link, as {@link readEvidence} read them.
 *
 * The records wait, skipped by every reader, for the write whose audit entry is `audit` (a
 * milestone, verification or dispute write to the document `target`, written next with that
 * entry): they count as evidence once {@link attachEvidence} runs after that write, or once the
 * entry is pending on `target` or in the audit chain, that is once the write is stored. So the
 * write never names a record that is not stored, and a record whose write never came (the
 * process stopped in between, or the write was refused) is never shown. When the same actor asks
 * again for the same evidence in the same place, a record whose write is neither pending nor in
 * the chain, and which has waited longer than {@link EVIDENCE_LEASE_MS}, is taken over instead of
 * stored again: its request is gone. One that has waited longer than
 * {@link EVIDENCE_ORPHAN_MAX_AGE_MS} is deleted instead (and the evidence stored afresh), as
 * {@link listEvidence} deletes such records. One whose write is stored is never taken over nor
 * deleted, so only one entry names it and it stays. With `replay`, records the actor already
 * attached there (their write stored, its entry linked or not) count as given and are not stored
 * twice.
 *
 * A record staged by a request whose write is still on its way (within the lease) is that
 * request's: an identical request at the same moment stores and names records of its own.
 *
 * @example const staged = await stageEvidence(ctx, milestoneId, inputs, { audit: auditId, target: { def: milestonesCollection, id: milestoneId } }); // then the write, then attachEvidence
 */
async function stageEvidence(
  ctx: DomainContext,
  milestoneId: string,
  evidence: readonly CheckedEvidence[],
  options: {
    audit: string;
    /** The document the write targets: its audit entry waits there until it is linked. */
    target: { def: CollectionDef; id: string };
    verificationId?: string;
    transition?: { from: string; to: string };
    replay?: boolean;
  },
): Promise<StagedEvidence> {
  if (evidence.length === 0) return { records: [], ids: [] };
  const at = ctx.now();
  const drafts: Draft[] = evidence.map((e) => ({
    milestoneId,
    ...(options.verificationId ? { verificationId: options.verificationId } : {}),
    by: ctx.actor,
    ...e,
    ...(options.transition ? { transition: options.transition } : {}),
    at,
  }));
  pendingPlaces.set(options.target.def.name, options.target.def);
  const claim: EvidenceWrite = { audit: options.audit, collection: options.target.def.name, document: options.target.id };
  const col = ctx.db.collection(evidenceCollection);
  const mine = await col.find(
    { milestoneId, 'by.kind': ctx.actor.kind, 'by.id': ctx.actor.id, ...(options.replay ? {} : { attaching: { $exists: true } }) },
    { sort: { _id: 1 }, limit: 1000 },
  );
  const candidates = mine.filter((doc) => drafts.some((draft) => sameEvidence(doc, draft)));
  const writes = await storedWrites(ctx.db, candidates);
  // Their write came but the process stopped before marking them: mark them now.
  await attachEvidence(ctx, candidates.filter((doc) => doc.attaching !== undefined && standing(doc, writes) === 'attached').map((doc) => doc._id));
  const now = ctx.now();
  // Waiting for a write stored nowhere for longer than records are kept: deleted, not taken over.
  const dropped = await dropOrphans(ctx.db, candidates, writes, waitedSince(now));
  const live = candidates.filter((doc) => !dropped.has(doc._id));
  // Waiting since before this, a record's request is gone: it no longer runs to its write.
  const leaseEnd = new Date(now.getTime() - EVIDENCE_LEASE_MS);
  const taken = new Set<string>();
  // Per input: a record to reuse (`named` when this write attaches it), or a draft to store.
  const slots: ({ doc: EvidenceDoc; named: boolean } | { draft: Draft })[] = [];
  for (const draft of drafts) {
    const free = (doc: EvidenceDoc) => !taken.has(doc._id) && sameEvidence(doc, draft);
    const attached = options.replay ? live.find((doc) => free(doc) && standing(doc, writes) === 'attached') : undefined;
    if (attached) {
      taken.add(attached._id);
      slots.push({ doc: attached, named: false });
      continue;
    }
    const orphan = live.find((doc) => free(doc) && standing(doc, writes) === 'orphan' && doc.at.getTime() <= leaseEnd.getTime());
    if (orphan) {
      taken.add(orphan._id);
      // Only as it was read, and still past its lease: one attached meanwhile belongs to the
      // write that named it, and one another request took over meanwhile (which renews the
      // lease) to that request's write. Of two requests taking it over, one wins.
      const adopted = await col.updateOne(
        { _id: orphan._id, attaching: { $size: orphan.attaching!.length }, at: { $lte: leaseEnd } },
        { $push: { attaching: claim }, $set: { at: draft.at } },
      );
      if (adopted) {
        slots.push({ doc: adopted, named: true });
        continue;
      }
    }
    slots.push({ draft });
  }
  const fresh = slots.flatMap((s) => ('draft' in s ? [s.draft] : []));
  const freshIds = orderedIds('evd', fresh.length);
  const stored = fresh.length === 0 ? [] : await col.insertMany(fresh.map((draft, i) => ({ ...draft, _id: freshIds[i]!, attaching: [claim] })));
  let next = 0;
  const placed = slots.map((s) => ('draft' in s ? { doc: stored[next++]!, named: true } : s));
  const records = placed.map((s) => shown(s.doc));
  const ids = placed.flatMap((s) => (s.named ? [s.doc._id] : []));
  return { records, ids };
}

/**
 * Marks staged records as attached, right after the write that names them is stored: they no
 * longer wait. A failure here does not fail the caller: the records count anyway, the write's
 * audit entry being pending on its document or in the chain (where readers look before they
 * delete anything), and the next read of them ({@link listEvidence}, or the same evidence staged
 * again) marks them.
 */
export async function attachEvidence(ctx: Pick<DomainContext, 'db'>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    await ctx.db.collection(evidenceCollection).updateMany({ _id: { $in: [...ids] }, attaching: { $exists: true } }, { $unset: { attaching: '' } });
  } catch {
    // Left waiting on purpose; see above.
  }
}

/**
 * Checks evidence inputs without storing them (a given hash against the content too), so a
 * write can refuse bad evidence before it changes anything, and keeps what was read: each
 * input's content hashed once, its hash and size ready to store. With no issues, `evidence` (one per
 * input, in order) goes to {@link stageEvidenceWithAudit}, which stores it without hashing again.
 *
 * @example const read = readEvidence(body.evidence ?? []); if (read.issues.length > 0) return invalid(read.issues);
 */
export function readEvidence(inputs: readonly unknown[], path = 'evidence'): { issues: FieldIssue[]; evidence: CheckedEvidence[] } {
  const issues: FieldIssue[] = [];
  const evidence: CheckedEvidence[] = [];
  for (const [i, input] of inputs.entries()) {
    const read = readOne(input, `${path}.${i}`);
    if (Array.isArray(read)) issues.push(...read);
    else evidence.push(read);
  }
  return { issues, evidence: issues.length > 0 ? [] : evidence };
}

/**
 * A milestone's evidence, oldest first: records still waiting for a write that never came are
 * left out, and those among them that have waited longer than {@link EVIDENCE_ORPHAN_MAX_AGE_MS}
 * for a write stored nowhere are deleted (by `ctx.now`, the real clock without it). A failure to
 * delete leaves them for a later reader and does not fail this one.
 */
export async function listEvidence(
  ctx: Pick<DomainContext, 'db'> & Partial<Pick<DomainContext, 'now'>>,
  milestoneId: string,
  options: { verificationId?: string } = {},
): Promise<EvidenceDoc[]> {
  const col = ctx.db.collection(evidenceCollection);
  const docs = await col.find({ milestoneId, ...(options.verificationId ? { verificationId: options.verificationId } : {}) }, { sort: { _id: 1 }, limit: 1000 });
  const waiting = docs.filter((d) => d.attaching !== undefined);
  if (waiting.length === 0) return docs.map(shown);
  const writes = await storedWrites(ctx.db, waiting);
  const arrived = waiting.filter((d) => standing(d, writes) === 'attached').map((d) => d._id);
  // The write came but the process stopped before marking them: mark them now.
  await attachEvidence(ctx, arrived);
  await dropOrphans(ctx.db, waiting, writes, waitedSince(ctx.now?.() ?? new Date()));
  return docs.filter((d) => standing(d, writes) === 'attached').map(shown);
}

/** One input as stored, its content hashed (once) and dropped; issues otherwise. */
function readOne(input: unknown, path: string): CheckedEvidence | FieldIssue[] {
  const parsed = evidenceInputSchema.safeParse(input);
  if (!parsed.success) return issuesFromZod(parsed.error, path);
  const e = parsed.data;
  let contentHash = e.contentHash ? givenHash(e.contentHash) : undefined;
  let size: number | undefined;
  if (e.content !== undefined) {
    const computed = digest(e.content, e.encoding);
    if (contentHash && contentHash !== computed.contentHash) return [mismatch(path)];
    ({ contentHash, size } = computed);
  }
  return {
    kind: e.kind,
    ...(e.description !== undefined ? { description: e.description } : {}),
    ...(contentHash ? { contentHash } : {}),
    ...(e.link ? { link: e.link } : {}),
    ...(e.mediaType ? { mediaType: e.mediaType } : {}),
    ...(size !== undefined ? { size } : {}),
  };
}

/** A given hash as stored: `sha256:` and lower-case hex. */
const givenHash = (hash: string): string => `sha256:${hash.replace(/^sha256:/, '').toLowerCase()}`;

/** The content's stored hash and size. */
function digest(content: string, encoding: 'utf8' | 'base64'): { contentHash: string; size: number } {
  const bytes = Buffer.from(content, encoding);
  return { contentHash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length };
}

const mismatch = (path: string): FieldIssue => ({ path: `${path}.contentHash`, message: 'does not match the content given', code: 'hash_mismatch' });

/** The same record in the same place: what it is and where it belongs, not when or under which id. */
function sameEvidence(a: Draft, b: Draft): boolean {
  return (
    a.milestoneId === b.milestoneId &&
    a.verificationId === b.verificationId &&
    a.by.kind === b.by.kind &&
    a.by.id === b.by.id &&
    a.kind === b.kind &&
    a.description === b.description &&
    a.contentHash === b.contentHash &&
    a.link === b.link &&
    a.mediaType === b.mediaType &&
    a.size === b.size &&
    a.transition?.from === b.transition?.from &&
    a.transition?.to === b.transition?.to
  );
}

/**
 * The collections, by name, whose documents the writes evidence waits for target. Those of this
 * module are known from the start; others as {@link stageEvidence} is given them. A write to a
 * collection not known here is taken as stored once its entry is linked, and never as not stored.
 */
const pendingPlaces = new Map<string, CollectionDef>([milestonesCollection, verificationsCollection].map((def) => [def.name, def]));

/** Of the writes the waiting `docs` wait for, by audit entry: those stored, and those looked for. */
interface StoredWrites {
  stored: Set<string>;
  /** Looked for where the entry waits and in the chain: stored, or found in neither. */
  checked: Set<string>;
}

/**
 * Which of the writes the waiting `docs` wait for are stored: their audit entry is pending on the
 * document they target or linked into the chain. The documents are read first: the chain gets an
 * entry before its document lets go of it, so a stored write is found in one place or the other.
 */
async function storedWrites(db: TenantStore, docs: readonly EvidenceDoc[]): Promise<StoredWrites> {
  const writes = docs.flatMap((d) => (d.attaching ?? []).map(writeOf));
  const stored = new Set<string>();
  const checked = new Set<string>();
  if (writes.length === 0) return { stored, checked };
  const byCollection = new Map<string, EvidenceWrite[]>();
  for (const w of writes) {
    if (w.collection === undefined) continue;
    byCollection.set(w.collection, [...(byCollection.get(w.collection) ?? []), w]);
  }
  for (const [name, some] of byCollection) {
    const def = pendingPlaces.get(name);
    if (!def) continue;
    const holders = await db
      .collection(def as CollectionDef<PendingAuditHolder>)
      .find(
        { _id: { $in: [...new Set(some.map((w) => w.document))] }, 'auditOutbox.id': { $in: [...new Set(some.map((w) => w.audit))] } },
        { projection: { _id: 1, auditOutbox: 1 } },
      );
    const pending = new Set(holders.flatMap((h) => (h.auditOutbox ?? []).map((e) => `${h._id}\u0000${e.id}`)));
    for (const w of some) {
      checked.add(w.audit);
      if (pending.has(`${w.document}\u0000${w.audit}`)) stored.add(w.audit);
    }
  }
  const unseen = [...new Set(writes.map((w) => w.audit))].filter((audit) => !stored.has(audit));
  if (unseen.length > 0) {
    const linked = await db.collection(auditLogCollection).find({ _id: { $in: unseen } }, { projection: { _id: 1 } });
    for (const e of linked) stored.add(e._id);
  }
  return { stored, checked };
}

/** A write as kept on a waiting record; a plain audit id (a record kept before its place was) has no place to look. */
function writeOf(kept: EvidenceWrite | string): EvidenceWrite | { audit: string; collection?: undefined; document?: undefined } {
  return typeof kept === 'string' ? { audit: kept } : kept;
}

/**
 * Where a record stands: `attached` once one of its writes is stored, `orphan` when each of them
 * was looked for and is stored nowhere (the process stopped before it), `unsure` otherwise.
 */
function standing(doc: EvidenceDoc, writes: StoredWrites): 'attached' | 'orphan' | 'unsure' {
  if (doc.attaching === undefined) return 'attached';
  const audits = doc.attaching.map((kept) => writeOf(kept).audit);
  if (audits.some((audit) => writes.stored.has(audit))) return 'attached';
  return audits.every((audit) => writes.checked.has(audit)) ? 'orphan' : 'unsure';
}

/**
 * Deletes those of `docs` that are orphans (each write they wait for looked for, and stored
 * nowhere) and have waited since `cutoff` or before, by their `at`. Each goes with one write that
 * holds only while the record is as it was read and still that old: one attached meanwhile (its
 * `attaching` gone) or taken over (its `attaching` grown, its `at` renewed) stays. Returns the ids
 * deleted; a failure leaves a record for a later reader and fails no one.
 */
async function dropOrphans(db: TenantStore, docs: readonly EvidenceDoc[], writes: StoredWrites, cutoff: Date): Promise<Set<string>> {
  const stale = docs.filter((doc) => standing(doc, writes) === 'orphan' && doc.at.getTime() <= cutoff.getTime());
  if (stale.length === 0) return new Set();
  const col = db.collection(evidenceCollection);
  const dropped = await Promise.all(
    stale.map(async (doc) => {
      try {
        return (await col.deleteOne({ _id: doc._id, attaching: { $size: doc.attaching!.length }, at: { $lte: cutoff } })) ? [doc._id] : [];
      } catch {
        return [];
      }
    }),
  );
  return new Set(dropped.flat());
}

/** Records waiting since this, or before, at `now` have waited longer than they are kept. */
function waitedSince(now: Date): Date {
  return new Date(now.getTime() - EVIDENCE_ORPHAN_MAX_AGE_MS);
}

/** A record as callers see it: what it waited for is the store's business. */
function shown(doc: EvidenceDoc): EvidenceDoc {
  if (doc.attaching === undefined) return doc;
  const { attaching: _waiting, ...rest } = doc;
  return rest;
}
