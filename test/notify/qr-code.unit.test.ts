import { describe, expect, it } from 'vitest';
import { alignmentPositions, dataCodewords, dataModuleOrder, encodeQr, formatBits, gfMultiply, masked, qrToText, rawDataModules, reedSolomonDivisor, reedSolomonRemainder, type QrCode } from '../../cli/qr-code.ts';

const ECC_L = [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30];
const BLOCKS_L = [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25];

/** Function modules, worked out from the standard's drawings rather than from the encoder. */
function functionMap(version: number): boolean[][] {
  const size = version * 4 + 17;
  const map = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const mark = (x0: number, y0: number, w: number, h: number) => {
    for (let y = y0; y < y0 + h; y += 1) for (let x = x0; x < x0 + w; x += 1) if (x >= 0 && y >= 0 && x < size && y < size) map[y]![x] = true;
  };
  mark(0, 0, 9, 9); // finder, separator and format bits, top left
  mark(size - 8, 0, 8, 9);
  mark(0, size - 8, 9, 8);
  mark(6, 0, 1, size); // timing
  mark(0, 6, size, 1);
  const align = alignmentPositions(version);
  const last = align.length - 1;
  align.forEach((ax, i) => {
    align.forEach((ay, j) => {
      // Every crossing but the three finder corners, including those on the timing lines.
      if (!((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0))) mark(ax - 2, ay - 2, 5, 5);
    });
  });
  if (version >= 7) {
    mark(size - 11, 0, 3, 6);
    mark(0, size - 11, 6, 3);
  }
  return map;
}

/** Reads the text back out of a code: unmask, de-interleave, check every block's error correction, parse the byte segment. */
function decode(code: QrCode): string {
  const { version, size, modules } = code;
  // Format bits, first copy, as the standard places them.
  let format = 0;
  const formatCells: Array<[number, number]> = [[8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8]];
  formatCells.forEach(([x, y], i) => {
    if (modules[y]![x]) format |= 1 << i;
  });
  const formatData = (format ^ 0x5412) >>> 10;
  expect(formatData >>> 3).toBe(1); // level L
  const mask = formatData & 7;
  expect(formatBits(mask)).toBe(format);

  const order = dataModuleOrder(size, functionMap(version));
  expect(order.length).toBe(rawDataModules(version));
  const raw = Math.floor(rawDataModules(version) / 8);
  const codewords = new Array<number>(raw).fill(0);
  order.slice(0, raw * 8).forEach(([x, y], i) => {
    const bit = modules[y]![x]! !== masked(mask, x, y);
    if (bit) codewords[i >>> 3]! |= 1 << (7 - (i & 7));
  });

  const blocks = BLOCKS_L[version]!;
  const eccLen = ECC_L[version]!;
  const shortBlocks = blocks - (raw % blocks);
  const shortLen = Math.floor(raw / blocks);
  const data: number[][] = Array.from({ length: blocks }, () => []);
  const ecc: number[][] = Array.from({ length: blocks }, () => []);
  let k = 0;
  for (let i = 0; i < shortLen - eccLen + 1; i += 1) {
    for (let j = 0; j < blocks; j += 1) if (i < shortLen - eccLen || j >= shortBlocks) data[j]!.push(codewords[k++]!);
  }
  for (let i = 0; i < eccLen; i += 1) for (let j = 0; j < blocks; j += 1) ecc[j]!.push(codewords[k++]!);
  const divisor = reedSolomonDivisor(eccLen);
  for (let j = 0; j < blocks; j += 1) expect(reedSolomonRemainder(data[j]!, divisor)).toEqual(ecc[j]);
  const bytes = data.flat();
  expect(bytes.length).toBe(dataCodewords(version));

  let bitPos = 0;
  const read = (n: number) => {
    let v = 0;
    for (let i = 0; i < n; i += 1, bitPos += 1) v = (v << 1) | ((bytes[bitPos >>> 3]! >>> (7 - (bitPos & 7))) & 1);
    return v;
  };
  expect(read(4)).toBe(0b0100);
  const length = read(version <= 9 ? 8 : 16);
  return Buffer.from(Array.from({ length }, () => read(8))).toString('utf8');
}

describe('QR codes for the WhatsApp Web link', () => {
  it('uses the standard Reed-Solomon generator (7 codewords: α^0, α^87, α^229, α^146, α^149, α^238, α^102, α^21)', () => {
    const antilog = [1];
    for (let i = 1; i < 256; i += 1) antilog.push(gfMultiply(antilog[i - 1]!, 2));
    expect(reedSolomonDivisor(7)).toEqual([87, 229, 146, 149, 238, 102, 21].map((e) => antilog[e]));
  });

  it('has the capacities of the standard at level L', () => {
    expect([1, 2, 7, 10, 40].map(dataCodewords)).toEqual([19, 34, 156, 274, 2956]);
    expect(alignmentPositions(7)).toEqual([6, 22, 38]);
    expect(alignmentPositions(32)).toEqual([6, 34, 60, 86, 112, 138]);
  });

  it.each([
    ['short', 'hub'],
    ['a WhatsApp Web link payload', `2@${'Qm9vdHN0cmFwUGF5bG9hZA'.repeat(4)},${'a1B2c3D4e5F6g7H8i9J0'.repeat(2)}=,${'K'.repeat(43)}=,${'x'.repeat(24)}==`],
    ['UTF-8 text', 'नमस्ते — linked device'],
    ['long enough for version 20+', 'Z'.repeat(700)],
  ])('encodes %s so it reads back exactly, with finder patterns in three corners', (_label, text) => {
    const code = encodeQr(text);
    expect(code.size).toBe(code.version * 4 + 17);
    for (const [ox, oy] of [[0, 0], [code.size - 7, 0], [0, code.size - 7]] as const) {
      for (let y = 0; y < 7; y += 1) {
        for (let x = 0; x < 7; x += 1) {
          const ring = Math.max(Math.abs(x - 3), Math.abs(y - 3));
          expect(code.modules[oy + y]![ox + x]).toBe(ring !== 2);
        }
      }
    }
    expect(decode(code)).toBe(text);
  });

  it('prints two module rows per line with a quiet zone', () => {
    const code = encodeQr('hub');
    const text = qrToText(code).split('\n');
    expect(text).toHaveLength(Math.ceil((code.size + 4) / 2));
    expect(text.every((line) => [...line].length === code.size + 4)).toBe(true);
    expect(text[0]).toBe('█'.repeat(code.size + 4));
    expect(() => encodeQr('x'.repeat(3000))).toThrow(RangeError);
  });
});
