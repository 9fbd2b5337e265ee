import { sha256 } from './digest.ts';

const maxPlainLength = 200;

/** A digest of a set of ids that ignores their order and repeats, so a re-batched retry matches. */
export function digestOfIds(parts: readonly string[]): string {
  const unique = [...new Set(parts)].sort();
  return `sha256:${sha256(unique.join('\n')).toString('hex')}`;
}

/**
 * Folds the ids a payload carries into one dedupe key: a single short id is kept as is so it
 * stays readable in logs; several ids, or a long one, become a digest of the set.
 */
export function eventIdFrom(parts: readonly string[]): string | undefined {
  const unique = [...new Set(parts.filter((part) => part.length > 0))];
  const [only] = unique;
  if (only === undefined) return undefined;
  if (unique.length === 1 && only.length <= maxPlainLength) return only;
  return digestOfIds(unique);
}
