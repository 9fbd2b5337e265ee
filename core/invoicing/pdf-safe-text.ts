// The characters WinAnsi (the encoding of PDF's standard fonts) adds above Latin-1's control range.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the PDF's built-in Helvetica can draw: `₹` becomes `Rs.`, accented letters lose their
 * accents when that leaves a Latin letter, and anything else outside WinAnsi becomes `?`
 * (Helvetica has no glyphs for Devanagari and other scripts, and no font is embedded).
 */
export function pdfSafeText(text: string): string {
  let out = '';
  for (const ch of text.replace(/₹\s?/g, 'Rs. ')) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(ch)) {
      out += ch;
    } else if (ch === '\n' || ch === '\t') {
      out += ch === '\t' ? ' ' : ch;
    } else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      // Control characters print nothing useful.
    } else {
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += base.length > 0 && [...base].every((c) => c.codePointAt(0)! <= 0xff) ? base : '?';
    }
  }
  return out;
}
