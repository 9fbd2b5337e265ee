import { createHash as realCreateHash } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { evidenceCollection, milestonesCollection, readEvidence, stageEvidenceWithAudit, transitionMilestone, type EvidenceDoc } from '../../core/milestones/index.ts';
import { addMilestoneEvidence, decideVerification, raiseDispute, requestVerification } from '../../core/verification/index.ts';
import { evidenceWorld } from './evidence-world.ts';

// Evidence content is hashed once per request, and the hash (with the size) is what is stored.
// Every hash the process computes is watched; the content below is hashed by nothing but evidence.

const watched = vi.hoisted(() => ({ updates: [] as Buffer[] }));

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  const createHash = ((...args: Parameters<typeof actual.createHash>) => {
    const hash = actual.createHash(...args);
    const update = hash.update.bind(hash) as (data: string | NodeJS.ArrayBufferView, encoding?: BufferEncoding) => typeof hash;
    hash.update = ((data: string | NodeJS.ArrayBufferView, encoding?: BufferEncoding) => {
      watched.updates.push(typeof data === 'string' ? Buffer.from(data, encoding) : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      return update(data, encoding);
    }) as typeof hash.update;
    return hash;
  }) as typeof actual.createHash;
  return { ...actual, createHash };
});

const CONTENT = 'cube test passed at 28 days: 31.4 N/mm² for pour 7-B';
const BYTES = Buffer.from(CONTENT, 'utf8');
const HEX = realCreateHash('sha256').update(BYTES).digest('hex');
/** How often the content has been hashed since the last `reset`. */
const contentHashes = () => watched.updates.filter((b) => b.equals(BYTES)).length;

beforeEach(() => {
  watched.updates.length = 0;
});

/** The stored fields the content decides, and the rest of what was given. */
const stored = (d: EvidenceDoc) => ({ kind: d.kind, description: d.description, contentHash: d.contentHash, size: d.size, link: d.link, mediaType: d.mediaType });

describe('evidence content is hashed once', () => {
  it('reads evidence into what is stored: the hash and size of the content, which is dropped', () => {
    const read = readEvidence([
      { kind: 'report', content: CONTENT, contentHash: `sha256:${HEX.toUpperCase()}`, mediaType: 'text/plain' },
      { content: BYTES.toString('base64'), encoding: 'base64' },
      { kind: 'photo', link: 'https://files.example.in/slab.jpg', contentHash: HEX },
    ]);
    expect(read.issues).toEqual([]);
    expect(read.evidence).toEqual([
      { kind: 'report', contentHash: `sha256:${HEX}`, mediaType: 'text/plain', size: BYTES.length },
      { kind: 'document', contentHash: `sha256:${HEX}`, size: BYTES.length },
      { kind: 'photo', contentHash: `sha256:${HEX}`, link: 'https://files.example.in/slab.jpg' },
    ]);
    expect(contentHashes()).toBe(2);
    const wrong = readEvidence([{ kind: 'photo', description: 'slab' }, { content: CONTENT, contentHash: 'f'.repeat(64) }], 'items');
    expect(wrong.issues).toEqual([{ path: 'items.1.contentHash', message: 'does not match the content given', code: 'hash_mismatch' }]);
    expect(wrong.evidence).toEqual([]);
  });

  it('stages read evidence as it is, without hashing again', async () => {
    const { plain, milestone } = await evidenceWorld();
    const id = await milestone('Slab');
    const change = { action: 'milestone.evidence_added', aggregate: { type: 'milestone' as const, id }, before: {}, after: {} };
    const target = { def: milestonesCollection, id };
    const read = readEvidence([{ kind: 'report', content: CONTENT }]);
    watched.updates.length = 0;
    const staged = await stageEvidenceWithAudit(plain, id, read.evidence, change, { target });
    expect(contentHashes()).toBe(0);
    expect(stored(staged.records[0]!)).toEqual({ kind: 'report', contentHash: `sha256:${HEX}`, size: BYTES.length });
  });

  it('adding evidence, moving a milestone, requesting and deciding a verification and raising a dispute each hash it once and store what they did before', async () => {
    const { plain, milestone } = await evidenceWorld();
    const evidence = [{ kind: 'report', description: 'cube test', content: CONTENT, contentHash: `sha256:${HEX}` }];
    const expected = { kind: 'report', description: 'cube test', contentHash: `sha256:${HEX}`, size: BYTES.length };

    const added = await addMilestoneEvidence(plain, await milestone('Added'), evidence);
    if (!added.ok) throw new Error(JSON.stringify(added.error));
    expect(contentHashes()).toBe(1);
    expect(added.value.map(stored)).toEqual([expected]);

    watched.updates.length = 0;
    const moved = await transitionMilestone(plain, await milestone('Moved'), { to: 'in_progress', evidence });
    if (!moved.ok) throw new Error(JSON.stringify(moved.error));
    expect(contentHashes()).toBe(1);

    watched.updates.length = 0;
    const roof = await milestone('Roof');
    const requested = await requestVerification(plain, roof, { approvers: [{ role: 'admin' }], evidence });
    if (!requested.ok) throw new Error(JSON.stringify(requested.error));
    expect(contentHashes()).toBe(1);

    watched.updates.length = 0;
    const decided = await decideVerification(plain, roof, requested.value._id, { decision: 'approve', evidence: [{ ...evidence[0], kind: 'signed-handover' }] });
    if (!decided.ok) throw new Error(JSON.stringify(decided.error));
    expect(contentHashes()).toBe(1);

    watched.updates.length = 0;
    const disputed = await raiseDispute(plain, await milestone('Disputed'), { reason: 'cracks', evidence });
    if (!disputed.ok) throw new Error(JSON.stringify(disputed.error));
    expect(contentHashes()).toBe(1);

    const records = await plain.db.collection(evidenceCollection).find({ contentHash: `sha256:${HEX}` }, { sort: { _id: 1 } });
    expect(records.map(stored)).toEqual([expected, expected, expected, { ...expected, kind: 'signed-handover' }, expected]);
  });
});
