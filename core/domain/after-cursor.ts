import { InvalidCursorError } from '../store/index.ts';

/**
 * An opaque cursor holding the last key a page ended on. Lists that page by a key (an id, a
 * sequence number) put `key > last` straight into their filter, which keeps the embedded store
 * on its indexes where the store's generic cursor would not.
 */
export function encodeAfterCursor(key: string | number): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');
}

/** The key from {@link encodeAfterCursor}; throws `InvalidCursorError` (answered with 400) for anything else. */
export function decodeAfterCursor<K extends 'string' | 'number'>(cursor: string, kind: K): K extends 'string' ? string : number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.after === kind) return parsed.after as K extends 'string' ? string : number;
  } catch {
    // Falls through to the error below.
  }
  throw new InvalidCursorError();
}
