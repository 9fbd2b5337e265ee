import type { HeaderSource } from './verifiers/index.ts';
import type { StoredHeader } from './webhook-envelope.ts';

// Credentials a proxy or sender might add besides the scheme's own signature headers.
const ALWAYS_DROPPED = ['authorization', 'proxy-authorization', 'cookie'];

/** The lower-case names of the headers never stored: the scheme's signature headers and credentials. */
export function droppedHeaders(signatureHeaders: readonly string[]): ReadonlySet<string> {
  return new Set([...ALWAYS_DROPPED, ...signatureHeaders.map((h) => h.toLowerCase())]);
}

/**
 * The request headers worth keeping: lower-case names, those in `drop` (see {@link droppedHeaders})
 * left out, sorted by name and repeated ones joined with `, `, as a Fetch `Headers` lists them.
 */
export function storedHeaders(headers: HeaderSource, drop: ReadonlySet<string>): StoredHeader[] {
  const out: StoredHeader[] = [];
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      if (!drop.has(name)) out.push({ name, value });
    });
    return out;
  }
  // Node's header map already has lower-case names, each once: no merging needed.
  let lowerCase = true;
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined || drop.has(key)) continue;
    if (key.toLowerCase() !== key) {
      lowerCase = false;
      break;
    }
    out.push({ name: key, value: typeof value === 'string' ? value : value.join(', ') });
  }
  if (lowerCase) return out.sort(byHeaderName);
  out.length = 0;
  const byName = new Map<string, string>();
  for (const key in headers) {
    const value = headers[key];
    if (value === undefined) continue;
    const name = key.toLowerCase();
    if (drop.has(name)) continue;
    const text = typeof value === 'string' ? value : value.join(', ');
    const before = byName.get(name);
    byName.set(name, before === undefined ? text : `${before}, ${text}`);
  }
  for (const [name, value] of byName) out.push({ name, value });
  return out.sort(byHeaderName);
}

function byHeaderName(a: StoredHeader, b: StoredHeader): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `url` without the query parameters that carry credentials (and without a `?` when none is left). */
export function storedUrl(url: string, secretParams: readonly string[]): string {
  const at = url.indexOf('?');
  if (at < 0 || secretParams.length === 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  if (!secretParams.some((p) => params.has(p))) return url;
  for (const p of secretParams) params.delete(p);
  const rest = params.toString();
  return rest ? `${url.slice(0, at)}?${rest}` : url.slice(0, at);
}
