import { parseHeaderParams, type HeaderWithParams } from './parse-header-params.ts';

/** One MIME entity: a whole message or one part of a multipart body. */
export interface MimeEntity {
  /** Unfolded headers in order, names lower-cased, values as sent (encoded words not decoded). */
  headers: { name: string; value: string }[];
  contentType: HeaderWithParams;
  /** The body as a binary (latin1) string: one character per byte, transfer encoding not undone. */
  body: string;
  /** The parts of a multipart body (or the message of a message/rfc822 part); empty otherwise. */
  parts: MimeEntity[];
}

/** Limits that keep a hostile message from costing more than a real one. */
export interface MimeLimits {
  /** @default 8 */
  maxDepth?: number;
  /** Parts across the whole tree. @default 200 */
  maxParts?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// RFC 6532 allows raw UTF-8 in headers; read it as UTF-8 when it is valid, as latin1 otherwise.
function headerText(binary: string): string {
  if (!/[\x80-\xff]/.test(binary)) return binary;
  try {
    return utf8.decode(Buffer.from(binary, 'latin1'));
  } catch {
    return binary;
  }
}

function splitHeaderBlock(binary: string): { head: string; body: string } {
  const crlf = binary.indexOf('\r\n\r\n');
  const lf = binary.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { head: binary.slice(0, crlf), body: binary.slice(crlf + 4) };
  if (lf >= 0) return { head: binary.slice(0, lf), body: binary.slice(lf + 2) };
  // Only headers, or a part that starts with its blank line.
  if (binary.startsWith('\r\n')) return { head: '', body: binary.slice(2) };
  if (binary.startsWith('\n')) return { head: '', body: binary.slice(1) };
  return { head: binary, body: '' };
}

/** Unfolded headers of a header block; a line that is not a header (no colon) is dropped. */
export function parseHeaderBlock(head: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length > 0) {
      out[out.length - 1]!.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    out.push({ name, value: headerText(line.slice(colon + 1).trim()) });
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The bodies between the boundary lines; the line break before a delimiter belongs to it. */
function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let start: number | undefined;
  for (const match of body.matchAll(delimiter)) {
    if (start !== undefined) parts.push(body.slice(start, match.index));
    if (match[1] === '--') return parts;
    const lineEnd = body.indexOf('\n', match.index + match[0].length);
    start = lineEnd < 0 ? body.length : lineEnd + 1;
  }
  // No closing delimiter: keep what came after the last one, as mail clients do.
  if (start !== undefined) parts.push(body.slice(start));
  return parts;
}

/**
 * Parses an RFC 5322 message (or a MIME part) held as a binary string into its entity tree.
 * Defaults follow RFC 2045/2046: no Content-Type means text/plain (message/rfc822 inside
 * multipart/digest). Structure beyond the limits is kept as an opaque body.
 */
export function parseMimeEntity(binary: string, limits: MimeLimits = {}, depth = 0, budget = { parts: limits.maxParts ?? 200 }): MimeEntity {
  const { head, body } = splitHeaderBlock(binary);
  const headers = parseHeaderBlock(head);
  const typeHeader = headers.find((h) => h.name === 'content-type')?.value;
  const contentType = typeHeader === undefined ? { value: 'text/plain', params: {} } : parseHeaderParams(typeHeader);
  if (!contentType.value.includes('/')) contentType.value = 'text/plain';
  const entity: MimeEntity = { headers, contentType, body, parts: [] };
  if (depth >= (limits.maxDepth ?? 8)) return entity;

  const boundary = contentType.params['boundary'];
  if (contentType.value.startsWith('multipart/') && boundary) {
    const childDefault = contentType.value === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    for (const part of splitMultipart(body, boundary)) {
      if (budget.parts <= 0) break;
      budget.parts -= 1;
      const child = parseMimeEntity(part, limits, depth + 1, budget);
      if (!child.headers.some((h) => h.name === 'content-type')) child.contentType = { value: childDefault, params: {} };
      if (child.contentType.value === 'message/rfc822' && child.parts.length === 0) child.parts = [parseMimeEntity(child.body, limits, depth + 2, budget)];
      entity.parts.push(child);
    }
  } else if (contentType.value === 'message/rfc822') {
    entity.parts = [parseMimeEntity(body, limits, depth + 1, budget)];
  }
  return entity;
}

/** The first value of a header, or undefined. */
export function headerValue(entity: Pick<MimeEntity, 'headers'>, name: string): string | undefined {
  return entity.headers.find((h) => h.name === name)?.value;
}
