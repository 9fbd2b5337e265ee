/** Encodes a page position (last sort value and id) as an opaque, URL-safe cursor. */
export function encodeCursor(value: unknown, id: string): string {
  const v = value instanceof Date ? { $date: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([v, id]), 'utf8').toString('base64url');
}

/** Returns null for anything that is not a cursor this store produced. */
export function decodeCursor(cursor: string): { value: unknown; id: string } | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string') return null;
    let value: unknown = parsed[0];
    if (value && typeof value === 'object' && '$date' in value) {
      const d = new Date(String((value as { $date: unknown }).$date));
      if (Number.isNaN(d.getTime())) return null;
      value = d;
    } else if (value !== null && typeof value === 'object') {
      return null;
    }
    return { value, id: parsed[1] };
  } catch {
    return null;
  }
}

/** A cursor that cannot be decoded; the API answers 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor() {
    super('cursor is not valid for this list');
  }
}
