import type { HeaderSource } from './types.ts';

/** Case-insensitive header lookup; repeated headers are joined the way Fetch `Headers` joins them. */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  let found: string | undefined;
  // Node's header map (lower-case names) is read per request: no arrays built for a lookup.
  for (const key in headers) {
    if (key !== wanted && (key.length !== wanted.length || key.toLowerCase() !== wanted)) continue;
    const value = headers[key];
    if (value === undefined || (typeof value !== 'string' && value.length === 0)) continue;
    const text = typeof value === 'string' ? value : value.join(', ');
    found = found === undefined ? text : `${found}, ${text}`;
  }
  return found;
}
