// Lines that introduce the quoted original in the replies of common mail clients.
const ATTRIBUTION = [
  /^On\b.{0,300}\bwrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /(^|\s)ने लिखा:\s*$/, // Gmail in Hindi
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook, older clients
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{20,}\s*$/, // Outlook's divider line
];

function isOutlookHeader(lines: readonly string[], at: number): boolean {
  if (!/^\*?From:\*?\s/i.test(lines[at] ?? '')) return false;
  return lines.slice(at + 1, at + 5).some((line) => /^\*?(Sent|Date):\*?\s/i.test(line));
}

/**
 * What a person wrote in a reply, without the quoted original below it: text is cut at the
 * client's attribution line ("On … wrote:", also when wrapped over two lines), an Outlook header
 * block or a signature separator, and `>` lines are dropped. When nothing is left (the answer was
 * written inline between quotes), the unquoted lines of the whole text are returned instead.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`;
    if (line === '--' || lines[i] === '-- ' || isOutlookHeader(lines, i) || ATTRIBUTION.some((re) => re.test(line))) {
      end = i;
      break;
    }
    if (/^On\b/i.test(line) && ATTRIBUTION[0]!.test(joined)) {
      end = i;
      break;
    }
  }
  const own = lines.slice(0, end).filter((line) => !/^\s*>/.test(line)).join('\n').trim();
  if (own !== '') return own;
  return lines.filter((line) => !/^\s*>/.test(line) && !ATTRIBUTION.some((re) => re.test(line.trim()))).join('\n').trim();
}
