/** Lines that start the quoted part of a reply, or the signature, whatever follows them. */
const CUT_LINES: readonly RegExp[] = [
  /^-{2,}\s*original message\s*-{2,}$/i,
  /^-{2,}\s*forwarded message\s*-{2,}$/i,
  /^_{10,}$/, // Outlook's rule above the quoted header
  /^(?:from|von|de):\s.+$/i, // Outlook header block, checked with the next lines below
  /^sent from my \w+/i,
  /^get outlook for \w+/i,
  /^-- ?$/, // signature delimiter
];

const WROTE = /^(?:(?:on|el|le|am)\s.+\s)?(?:wrote|schrieb|escribió|a écrit)\s*:\s*$/i;
const WROTE_HI = /ने\s+लिखा\s*:?\s*$/;

/**
 * The new part of an email reply: quoted history ("> " lines), the "On … wrote:" line (also
 * when a client wraps it onto two lines, and Gmail's Hindi "… ने लिखा:"), Outlook's
 * "-----Original Message-----", underscore rule and From:/Sent: header block, and mobile
 * signatures are cut. Leaves a text without any of them as it is, trimmed.
 */
export function stripEmailQuotes(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] as string).trim();
    if (line.startsWith('>')) continue;
    if (startsQuote(lines, i)) break;
    kept.push(lines[i] as string);
  }
  return kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function startsQuote(lines: readonly string[], i: number): boolean {
  const line = (lines[i] as string).trim();
  const next = (lines[i + 1] ?? '').trim();
  const afterNext = (lines[i + 2] ?? '').trim();
  if (WROTE.test(line) || WROTE_HI.test(line)) return true;
  // "On Mon, 1 Dec 2026 at 10:00, Ramesh <r@x.in>" + "wrote:" on the next line.
  if (/^on\s.+\d/i.test(line) && (/^.*wrote:\s*$/i.test(next) || (next === '' && /^wrote:\s*$/i.test(afterNext)))) return true;
  if (/^(?:from|von|de):\s/i.test(line)) {
    // A From: line only starts a quote inside an Outlook header block.
    const block = [next, afterNext, (lines[i + 3] ?? '').trim()];
    return block.some((l) => /^(?:sent|date|to|subject|gesendet|enviado):\s/i.test(l));
  }
  return CUT_LINES.some((pattern) => pattern.test(line));
}
