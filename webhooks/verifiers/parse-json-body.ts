const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses a body as JSON for reading ids only; undefined when it is not UTF-8 JSON. */
export function parseJsonBody(rawBody: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(rawBody)) as unknown;
  } catch {
    return undefined;
  }
}

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The non-empty string at `record[key]`, if there is one. */
export function stringField(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' && field.length > 0 ? field : undefined;
}

/** The array at `record[key]`, or an empty one. */
export function arrayField(value: unknown, key: string): readonly unknown[] {
  if (!isRecord(value)) return [];
  const field = value[key];
  return Array.isArray(field) ? field : [];
}
