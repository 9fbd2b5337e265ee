import { describe, expect, it } from 'vitest';
import { csvRecord, parseCsv } from '../../core/csv/index.ts';
import { orderedIds, plainJson } from '../../core/domain/index.ts';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted commas, doubled quotes, line breaks in fields, CRLF and a byte order mark', () => {
    const parsed = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\n1,,3\n');
    expect(parsed).toEqual({
      ok: true,
      value: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['x, y', 'say "hi"', 'two\r\nlines'] },
        { line: 5, fields: ['1', '', '3'] },
      ],
    });
  });

  it('names the line of an unclosed quote or a stray one', () => {
    expect(parseCsv('a\n"open,\nstill open')).toMatchObject({ ok: false, error: { code: 'unterminated_quote', line: 2 } });
    expect(parseCsv('a\nb"c\n')).toMatchObject({ ok: false, error: { code: 'stray_quote', line: 2 } });
    expect(parseCsv('a\n"b"c\n')).toMatchObject({ ok: false, error: { code: 'stray_quote', line: 2 } });
  });

  it('round-trips what csvRecord writes', () => {
    const rows = [['id', 'title'], ['1', 'plain'], ['2', 'comma, and "quote"'], ['3', ' padded '], ['4', 'multi\nline'], ['5', '']];
    const text = rows.map(csvRecord).join('');
    expect(parseCsv(text)).toEqual({ ok: true, value: rows.map((fields, i) => ({ line: i === 5 ? 7 : i === 0 ? 1 : i + 1, fields })) });
  });
});

describe('orderedIds and plainJson', () => {
  it('makes unique ids in ascending order in the store’s format', () => {
    const ids = orderedIds('ms', 5000);
    expect(new Set(ids).size).toBe(5000);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^ms_[0-9a-hjkmnp-tv-z]{26}$/.test(id))).toBe(true);
  });

  it('copies like JSON.parse(JSON.stringify())', () => {
    const value = { a: 1, b: undefined, c: [1, undefined, new Date(0)], d: { e: 'x', f: undefined, g: Number.NaN }, h: null };
    expect(plainJson(value)).toEqual(JSON.parse(JSON.stringify(value)));
  });
});
