/**
 * The bytes of a MIME body held as a binary (latin1) string, undoing its
 * Content-Transfer-Encoding: base64 (non-alphabet characters skipped), quoted-printable (soft line
 * breaks joined) or identity for 7bit, 8bit, binary and anything unknown.
 */
export function decodeTransferEncoding(binary: string, encoding: string | undefined): Uint8Array {
  const name = (encoding ?? '7bit').trim().toLowerCase();
  if (name === 'base64') return Buffer.from(binary.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (name === 'quoted-printable') return decodeQuotedPrintable(binary);
  return Buffer.from(binary, 'latin1');
}

/** RFC 2045 quoted-printable; a malformed `=` is kept as written, as mail clients do. */
export function decodeQuotedPrintable(binary: string): Uint8Array {
  const text = binary.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(ch & 0xff);
  }
  return Uint8Array.from(out);
}
