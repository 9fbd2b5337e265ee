import { inflateSync } from 'node:zlib';

/**
 * The text a PDF draws, one string per `TJ`/`Tj` operator, for tests. Content streams are
 * inflated when compressed; pdfkit writes text as hex strings inside `TJ` arrays, split at
 * kerning adjustments, so the pieces of one array are joined.
 */
export function pdfTextRuns(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const contents: string[] = [];
  const streamRe = /<<([\s\S]*?)>>\s*stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = streamRe.exec(raw)) !== null) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    const bytes = pdf.subarray(start, end);
    if (/\/FlateDecode/.test(m[1] ?? '')) {
      try {
        contents.push(inflateSync(bytes).toString('latin1'));
      } catch {
        // Not a content stream we can read (images may use other filters).
      }
    } else contents.push(bytes.toString('latin1'));
  }
  const runs: string[] = [];
  const decode = (piece: string): string =>
    piece.startsWith('<')
      ? Buffer.from(piece.slice(1, -1).replace(/\s+/g, ''), 'hex').toString('latin1')
      : piece.slice(1, -1).replace(/\\([()\\])/g, '$1');
  for (const content of contents) {
    for (const op of content.matchAll(/\[((?:<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\)|[-\d.\s])*)\]\s*TJ|(<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\))\s*Tj/g)) {
      const body = op[1] ?? op[2] ?? '';
      const pieces = body.match(/<[0-9a-fA-F\s]*>|\((?:\\.|[^\\)])*\)/g) ?? [];
      runs.push(pieces.map(decode).join(''));
    }
  }
  return runs;
}
