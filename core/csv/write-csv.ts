/**
 * One CSV record (RFC 4180, CRLF-terminated): fields holding a comma, quote, line break or
 * surrounding spaces are quoted, quotes doubled.
 *
 * @example csvRecord(['a', 'x, y', 'say "hi"']) // 'a,"x, y","say ""hi"""\r\n'
 */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
