import { decodeCharset } from './decode-charset.ts';
import { decodeQuotedPrintable } from './decode-transfer-encoding.ts';

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * A header value with its RFC 2047 encoded words decoded. Whitespace between two adjacent
 * encoded words is dropped, as the RFC says; words in the same charset are joined before
 * decoding, so a multi-byte character split across two words survives.
 * @example decodeMimeWords('=?UTF-8?B?4KSu4KS/4KSyNQ==?= done') // 'मिल5 done'
 */
export function decodeMimeWords(value: string): string {
  const collapsed = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: number[] } | undefined;
  const flush = () => {
    if (pending) out += decodeCharset(Uint8Array.from(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (const match of collapsed.matchAll(ENCODED_WORD)) {
    const [whole, rawCharset = '', encoding = '', text = ''] = match;
    const at = match.index;
    if (at > last) {
      flush();
      out += collapsed.slice(last, at);
    }
    // RFC 2231 allows a language after '*': `utf-8*hi`.
    const charset = rawCharset.split('*')[0]!.toLowerCase();
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' '));
    if (pending && pending.charset !== charset) flush();
    pending ??= { charset, bytes: [] };
    pending.bytes.push(...bytes);
    last = at + whole.length;
  }
  flush();
  return out + collapsed.slice(last);
}
