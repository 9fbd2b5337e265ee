import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The `prevHash` of a tenant's first audit entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit entry linked into its tenant's chain. */
export interface ChainedEntry {
  id?: string;
  prevHash: string;
  hash: string;
}

/** Where and why a chain stops being trustworthy. */
export type ChainBreak =
  | { code: 'hash_mismatch'; index: number; id?: string; message: string; expected: string; actual: string }
  | { code: 'prev_link_mismatch'; index: number; id?: string; message: string; expected: string; actual: string }
  | { code: 'head_mismatch'; index: number; message: string; expected: string; actual: string };

/** The outcome of {@link verifyChain}. */
export type ChainVerification = { ok: true; value: { count: number; headHash: string } } | { ok: false; error: ChainBreak };

/**
 * `sha256(prevHash + canonicalJson(entry without hash))`, hex. The entry's own `prevHash` is
 * part of what is hashed, so an entry cannot be moved to another place in the chain.
 */
export function computeEntryHash(entry: Readonly<Record<string, unknown>> & { prevHash: string }): string {
  const { hash: _ignored, ...body } = entry as Record<string, unknown>;
  return createHash('sha256').update(entry.prevHash).update(canonicalJson(body)).digest('hex');
}

/**
 * Links a new entry after `prevHash` (the previous entry's hash, or {@link GENESIS_HASH}).
 *
 * @example
 * const first = chainEntry({ id: 'a1', action: 'milestone.created' }, GENESIS_HASH);
 * const second = chainEntry({ id: 'a2', action: 'milestone.updated' }, first.hash);
 */
export function chainEntry<T extends Record<string, unknown>>(
  entry: T,
  prevHash: string,
): Omit<T, 'prevHash' | 'hash'> & { prevHash: string; hash: string } {
  const { prevHash: _p, hash: _h, ...rest } = entry;
  const linked = { ...rest, prevHash };
  return { ...linked, hash: computeEntryHash(linked) };
}

/**
 * Verifies a tenant's audit entries in chain order and names the first one that breaks it:
 * - `hash_mismatch`: the entry's content no longer matches its hash (edited in place);
 * - `prev_link_mismatch`: the entry does not point at the one before it (an entry was removed,
 *   inserted or reordered, or an edited entry's hash was recomputed);
 * - `head_mismatch`: the chain is intact but does not end at `expectedHeadHash`, which is how
 *   removal of the newest entries shows up. Keep the head hash apart from the entries to use it.
 * `startHash` verifies a slice that starts mid-chain.
 */
export function verifyChain(
  entries: readonly (ChainedEntry & Record<string, unknown>)[],
  options: { startHash?: string; expectedHeadHash?: string } = {},
): ChainVerification {
  let previous = options.startHash ?? GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    const id = typeof entry.id === 'string' ? { id: entry.id } : {};
    if (entry.prevHash !== previous) {
      return {
        ok: false,
        error: {
          code: 'prev_link_mismatch',
          index,
          ...id,
          expected: previous,
          actual: entry.prevHash,
          message: `entry ${index}${entry.id ? ` (${entry.id})` : ''} does not follow the entry before it`,
        },
      };
    }
    const recomputed = computeEntryHash(entry);
    if (recomputed !== entry.hash) {
      return {
        ok: false,
        error: {
          code: 'hash_mismatch',
          index,
          ...id,
          expected: recomputed,
          actual: entry.hash,
          message: `entry ${index}${entry.id ? ` (${entry.id})` : ''} was changed after it was written`,
        },
      };
    }
    previous = entry.hash;
  }
  if (options.expectedHeadHash !== undefined && options.expectedHeadHash !== previous) {
    return {
      ok: false,
      error: {
        code: 'head_mismatch',
        index: entries.length,
        expected: options.expectedHeadHash,
        actual: previous,
        message: 'the chain ends before the recorded head: newest entries are missing',
      },
    };
  }
  return { ok: true, value: { count: entries.length, headHash: previous } };
}
