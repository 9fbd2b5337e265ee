/**
 * Folds a reply for matching: NFC, lower case, Devanagari digits as 0-9, nukta dropped and
 * chandrabindu as anusvara (people type both ways), zero-width characters, emoji variation
 * selectors and apostrophes removed. The lexicon is folded the same way.
 */
export function normalizeReplyText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u200B-\u200D\u2060\uFEFF\uFE0E\uFE0F]/g, '')
    .replace(/\u093C/g, '')
    .replace(/\u0901/g, '\u0902')
    .replace(/[\u0966-\u096F]/g, (d) => String(d.charCodeAt(0) - 0x0966))
    .replace(/['’‘`´]/g, '')
    .toLowerCase();
}

/** Words of a folded text: runs of letters (with their combining marks) and digits. */
export function tokenize(normalized: string): string[] {
  return normalized.split(/[^\p{L}\p{M}\p{N}]+/u).filter((token) => token.length > 0);
}
