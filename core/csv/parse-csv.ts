/** One record of a CSV file and the line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Why a CSV file could not be read. */
export interface CsvError {
  code: 'unterminated_quote' | 'stray_quote' | 'too_large';
  line: number;
  message: string;
}

/**
 * Parses RFC 4180 CSV: comma-separated fields, double-quoted fields that may hold commas, quotes
 * (doubled) and line breaks, CRLF or LF line ends, an optional UTF-8 byte order mark and a final
 * line break. Blank lines are skipped. A quote inside an unquoted field, or a quoted field that
 * never closes, is an error naming the line.
 *
 * @example parseCsv('a,b\r\n"x, y","say ""hi"""\r\n') // { ok: true, value: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x, y', 'say "hi"'] }] }
 */
export function parseCsv(text: string, options: { maxRecords?: number } = {}): { ok: true; value: CsvRecord[] } | { ok: false; error: CsvError } {
  const { maxRecords = 1_000_000 } = options;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quotedField = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !quotedField)) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quotedField = false;
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '"') {
      if (field !== '' || quotedField) return { ok: false, error: { code: 'stray_quote', line, message: `line ${line}: a quote inside a field that is not quoted` } };
      const start = line;
      quotedField = true;
      i += 1;
      for (;;) {
        if (i >= input.length) return { ok: false, error: { code: 'unterminated_quote', line: start, message: `line ${start}: a quoted field is never closed` } };
        const c = input[i]!;
        if (c === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (c === '\n') line += 1;
        field += c;
        i += 1;
      }
      const next = input[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        return { ok: false, error: { code: 'stray_quote', line, message: `line ${line}: text after a closing quote` } };
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      quotedField = false;
      i += 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      if (records.length > maxRecords) return { ok: false, error: { code: 'too_large', line, message: `more than ${maxRecords} records` } };
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    field += ch;
    i += 1;
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return { ok: true, value: records };
}
