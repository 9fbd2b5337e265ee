import { decodeCharset } from './decode-charset.ts';

/** A structured header (`Content-Type`, `Content-Disposition`): its value and parameters. */
export interface HeaderWithParams {
  /** Lower-cased, e.g. `multipart/alternative`, `attachment`. */
  value: string;
  /** Lower-cased names; RFC 2231 continuations and charsets already decoded. */
  params: Record<string, string>;
}

function tokens(input: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < input.length; i += 1) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '\\' && i + 1 < input.length) current += input[++i];
      else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function percentBytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, 'utf8'));
  }
  return bytes;
}

/**
 * Parses `type/subtype; name="value"; name*0*=utf-8''a%20b; name*1=c`. Quoted strings may hold
 * `;`; RFC 2231 continuations are joined in order and extended values percent-decoded.
 */
export function parseHeaderParams(header: string): HeaderWithParams {
  const [first = '', ...rest] = tokens(header);
  const params: Record<string, string> = {};
  const continued = new Map<string, { index: number; text: string; extended: boolean }[]>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const rawName = part.slice(0, eq).trim().toLowerCase();
    const text = part.slice(eq + 1).trim();
    const match = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(rawName);
    if (!match) continue;
    const [, name = '', index, star] = match;
    if (index === undefined && star === undefined) {
      params[name] = text;
      continue;
    }
    const pieces = continued.get(name) ?? [];
    pieces.push({ index: Number(index ?? 0), text, extended: star !== undefined });
    continued.set(name, pieces);
  }
  for (const [name, pieces] of continued) {
    pieces.sort((a, b) => a.index - b.index);
    let charset: string | undefined;
    // Bytes are gathered across pieces before decoding: a character may be split between two.
    const bytes: number[] = [];
    for (const [i, piece] of pieces.entries()) {
      let text = piece.text;
      if (piece.extended && i === 0) {
        const quote = /^([^']*)'[^']*'(.*)$/.exec(text);
        if (quote) {
          charset = quote[1] || undefined;
          text = quote[2] ?? '';
        }
      }
      bytes.push(...(piece.extended ? percentBytes(text) : Buffer.from(text, 'utf8')));
    }
    const value = decodeCharset(Uint8Array.from(bytes), charset);
    params[name] = value;
  }
  return { value: first.trim().toLowerCase(), params };
}
