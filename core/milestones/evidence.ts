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
  inputs: readonly unknown[],
  change: RecordedChange,
  options: Omit<Parameters<typeof stageEvidence>[3], 'audit'>,
): Promise<DomainResult<StagedEvidence & { audit: PendingAuditEntry }>> {
  const auditId = newId('aud');
  const staged = await stageEvidence(ctx, milestoneId, inputs, { ...options, audit: auditId });
  if (!staged.ok) return staged;
  const { ids } = staged.value;
  const data = ids.length > 0 ? { ...change.data, evidence: ids } : change.data;
  return succeed({ ...staged.value, audit: pendingAudit(ctx, { ...change, ...(data ? { data } : {}) }, { id: auditId }) });
}

/**
 * Stores evidence for a milestone (and a verification) ahead of the write that names it: who,
 * what, a content hash and a link. Given content is hashed here; a given hash must match it.
 *
 * The records wait, skipped by every reader, for the write whose audit entry is `audit` (a
 * milestone, verification or dispute write to the document `target`, written next with that
 * entry): they count as evidence once {@link attachEvidence} runs after that write, or once the
 * entry is pending on `target` or in the audit chain, that is once the write is stored. So the
 * write never names a record that is not stored, and a record whose write never came (the
 * process stopped in between) is never shown. When the same actor asks again for the same
 * evidence in the same place, a record whose write is neither pending nor in the chain is taken
 * over instead of stored again; one whose write is stored is never taken over, so only one entry
 * names it. With `replay`, records the actor already attached there (their write stored, its
 * entry linked or not) count as given and are not stored twice.
 *
 * A record staged by a request whose write is still on its way counts as never written: a
 * request that stages the same evidence in that moment takes it over, and both writes name it.
 *
 * @example const staged = await stageEvidence(ctx, milestoneId, inputs, { audit: auditId, target: { def: milestonesCollection, id: milestoneId } }); // then the write, then attachEvidence
 */
async function stageEvidence(
  ctx: DomainContext,
  milestoneId: string,
  inputs: readonly unknown[],
  options: {
    audit: string;
    /** The document the write targets: its audit entry waits there until it is linked. */
    target: { def: CollectionDef; id: string };
    verificationId?: string;
    transition?: { from: string; to: string };
    path?: string;
    replay?: boolean;
  },
): Promise<DomainResult<StagedEvidence>> {
  const built = draftsOf(ctx, milestoneId, inputs, options);
  if (!built.ok) return built;
  const drafts = built.value;
  if (drafts.length === 0) return succeed({ records: [], ids: [] });
  pendingPlaces.set(options.target.def.name, options.target.def);
  const claim: EvidenceWrite = { audit: options.audit, collection: options.target.def.name, document: options.target.id };
  const col = ctx.db.collection(evidenceCollection);
  const mine = await col.find(
    { milestoneId, 'by.kind': ctx.actor.kind, 'by.id': ctx.actor.id, ...(options.replay ? {} : { attaching: { $exists: true } }) },
    { sort: { _id: 1 }, limit: 1000 },
  );
  const candidates = mine.filter((doc) => drafts.some((draft) => sameEvidence(doc, draft)));
  const writes = await storedWrites(ctx.db, candidates);
  const taken = new Set<string>();
  // Per input: a record to reuse (`named` when this write attaches it), or a draft to store.
  const slots: ({ doc: EvidenceDoc; named: boolean } | { draft: Draft })[] = [];
  for (const draft of drafts) {
    const free = (doc: EvidenceDoc) => !taken.has(doc._id) && sameEvidence(doc, draft);
    const attached = options.replay ? candidates.find((doc) => free(doc) && standing(doc, writes) === 'attached') : undefined;
    if (attached) {
      taken.add(attached._id);
      slots.push({ doc: attached, named: false });
      continue;
    }
    const orphan = candidates.find((doc) => free(doc) && standing(doc, writes) === 'orphan');
    if (orphan) {
      taken.add(orphan._id);
      // Only as it was read: one attached meanwhile belongs to the write that named it, and one
      // another request took over meanwhile belongs to that request's write.
      const adopted = await col.updateOne(
        { _id: orphan._id, attaching: { $size: orphan.attaching!.length } },
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
  return succeed({ records, ids });
}

/**
 * Marks staged records as attached, right after the write that names them is stored. A failure
 * here does not fail the caller: the records count anyway, the write's audit entry being pending
 * on its document or in the chain.
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
 * write can refuse bad evidence before it changes anything and {@link stageEvidence} then succeeds.
 */
export function checkEvidence(inputs: readonly unknown[], path = 'evidence') {
  return inputs.flatMap((input, i) => {
    const parsed = evidenceInputSchema.safeParse(input);
    if (!parsed.success) return issuesFromZod(parsed.error, `${path}.${i}`);
    const e = parsed.data;
    if (e.content === undefined || e.contentHash === undefined) return [];
    const computed = createHash('sha256').update(Buffer.from(e.content, e.encoding)).digest('hex');
    if (e.contentHash.replace(/^sha256:/, '').toLowerCase() === computed) return [];
    return [{ path: `${path}.${i}.contentHash`, message: 'does not match the content given', code: 'hash_mismatch' }];
  });
}

/** A milestone's evidence, oldest first: records still waiting for a write that never came are left out. */
export async function listEvidence(ctx: Pick<DomainContext, 'db'>, milestoneId: string, options: { verificationId?: string } = {}): Promise<EvidenceDoc[]> {
  const col = ctx.db.collection(evidenceCollection);
  const docs = await col.find({ milestoneId, ...(options.verificationId ? { verificationId: options.verificationId } : {}) }, { sort: { _id: 1 }, limit: 1000 });
  const waiting = docs.filter((d) => d.attaching !== undefined);
  if (waiting.length === 0) return docs;
  const writes = await storedWrites(ctx.db, waiting);
  const arrived = waiting.filter((d) => standing(d, writes) === 'attached').map((d) => d._id);
  // The write came but the process stopped before marking them: mark them now.
  await attachEvidence(ctx, arrived);
  return docs.filter((d) => standing(d, writes) === 'attached').map(shown);
}

function draftsOf(
  ctx: DomainContext,
  milestoneId: string,
  inputs: readonly unknown[],
  options: { verificationId?: string; transition?: { from: string; to: string }; path?: string },
): DomainResult<Draft[]> {
  const drafts: Draft[] = [];
  const issues: FieldIssue[] = [];
  for (const [i, input] of inputs.entries()) {
    const path = `${options.path ?? 'evidence'}.${i}`;
    const parsed = evidenceInputSchema.safeParse(input);
    if (!parsed.success) {
      issues.push(...issuesFromZod(parsed.error, path));
      continue;
    }
    const e = parsed.data;
    let contentHash = e.contentHash ? `sha256:${e.contentHash.replace(/^sha256:/, '').toLowerCase()}` : undefined;
    let size: number | undefined;
    if (e.content !== undefined) {
      const bytes = Buffer.from(e.content, e.encoding);
      size = bytes.length;
      const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (contentHash && contentHash !== computed) {
        issues.push({ path: `${path}.contentHash`, message: 'does not match the content given', code: 'hash_mismatch' });
        continue;
      }
      contentHash = computed;
    }
    drafts.push({
      milestoneId,
      ...(options.verificationId ? { verificationId: options.verificationId } : {}),
      by: ctx.actor,
      kind: e.kind,
      ...(e.description !== undefined ? { description: e.description } : {}),
      ...(contentHash ? { contentHash } : {}),
      ...(e.link ? { link: e.link } : {}),
      ...(e.mediaType ? { mediaType: e.mediaType } : {}),
      ...(size !== undefined ? { size } : {}),
      ...(options.transition ? { transition: options.transition } : {}),
      at: ctx.now(),
    });
  }
  if (issues.length > 0) return invalid(issues);
  return succeed(drafts);
}

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

/** A record as callers see it: what it waited for is the store's business. */
function shown(doc: EvidenceDoc): EvidenceDoc {
  if (doc.attaching === undefined) return doc;
  const { attaching: _waiting, ...rest } = doc;
  return rest;
}
