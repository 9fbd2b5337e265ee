// A QR Code encoder (ISO/IEC 18004), byte mode, error correction level L, versions 1-40, so the
// CLI can show WhatsApp Web's link code in a terminal. Follows the structure of Project Nayuki's
// reference implementation.

/** Codewords of error correction per block, level L, by version (index 0 unused). */
const ECC_PER_BLOCK = [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30];
/** Error correction blocks, level L, by version. */
const BLOCKS = [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25];
/** Format bits of level L. */
const LEVEL_L_BITS = 1;

/** A QR Code: `modules[y][x]` is true for a dark module. */
export interface QrCode {
  version: number;
  size: number;
  mask: number;
  modules: boolean[][];
}

/** Raw data modules of a version: everything but function patterns and format/version bits. */
export function rawDataModules(version: number): number {
  let result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    result -= (25 * align - 10) * align - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

/** Data codewords (after error correction is taken out) of a version at level L. */
export function dataCodewords(version: number): number {
  return Math.floor(rawDataModules(version) / 8) - ECC_PER_BLOCK[version]! * BLOCKS[version]!;
}

/** Where the alignment patterns sit, per axis. */
export function alignmentPositions(version: number): number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const size = version * 4 + 17;
  const step = version === 32 ? 26 : Math.ceil((version * 4 + 4) / (count * 2 - 2)) * 2;
  const result = [6];
  for (let pos = size - 7; result.length < count; pos -= step) result.splice(1, 0, pos);
  return result;
}

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1. */
export function gfMultiply(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i -= 1) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

/** The Reed-Solomon generator polynomial of a degree, highest coefficient (1) omitted. */
export function reedSolomonDivisor(degree: number): number[] {
  const result = new Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i += 1) {
    for (let j = 0; j < degree; j += 1) {
      result[j] = gfMultiply(result[j]!, root);
      if (j + 1 < degree) result[j]! ^= result[j + 1]!;
    }
    root = gfMultiply(root, 0x02);
  }
  return result;
}

/** The error correction codewords of a block. */
export function reedSolomonRemainder(data: readonly number[], divisor: readonly number[]): number[] {
  const result = new Array<number>(divisor.length).fill(0);
  for (const b of data) {
    const factor = b ^ result.shift()!;
    result.push(0);
    divisor.forEach((coef, i) => {
      result[i]! ^= gfMultiply(coef, factor);
    });
  }
  return result;
}

/** Splits data into blocks, adds error correction and interleaves them, as the symbol stores them. */
function addEccAndInterleave(data: number[], version: number): number[] {
  const blocks = BLOCKS[version]!;
  const eccLen = ECC_PER_BLOCK[version]!;
  const raw = Math.floor(rawDataModules(version) / 8);
  const shortBlocks = blocks - (raw % blocks);
  const shortLen = Math.floor(raw / blocks);
  const divisor = reedSolomonDivisor(eccLen);
  const all: number[][] = [];
  for (let i = 0, k = 0; i < blocks; i += 1) {
    const dat = data.slice(k, k + shortLen - eccLen + (i < shortBlocks ? 0 : 1));
    k += dat.length;
    const ecc = reedSolomonRemainder(dat, divisor);
    if (i < shortBlocks) dat.push(0);
    all.push([...dat, ...ecc]);
  }
  const result: number[] = [];
  for (let i = 0; i < all[0]!.length; i += 1) {
    all.forEach((block, j) => {
      if (i !== shortLen - eccLen || j >= shortBlocks) result.push(block[i]!);
    });
  }
  return result;
}

/** True when mask `mask` inverts the module at column x, row y. */
export function masked(mask: number, x: number, y: number): boolean {
  switch (mask) {
    case 0: return (x + y) % 2 === 0;
    case 1: return y % 2 === 0;
    case 2: return x % 3 === 0;
    case 3: return (x + y) % 3 === 0;
    case 4: return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0;
    case 5: return ((x * y) % 2) + ((x * y) % 3) === 0;
    case 6: return (((x * y) % 2) + ((x * y) % 3)) % 2 === 0;
    default: return (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
  }
}

/** The 15 format bits (level L and a mask), BCH-protected and XOR-masked. */
export function formatBits(mask: number): number {
  const data = (LEVEL_L_BITS << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i += 1) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

/** The 18 version bits (versions 7 and up), BCH-protected. */
export function versionBits(version: number): number {
  let rem = version;
  for (let i = 0; i < 12; i += 1) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | rem;
}

/** The order data bits are placed in: column pairs from the right, snaking up and down. */
export function dataModuleOrder(size: number, isFunction: readonly boolean[][]): Array<[number, number]> {
  const order: Array<[number, number]> = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert += 1) {
      for (let j = 0; j < 2; j += 1) {
        const x = right - j;
        const upward = ((right + 1) & 2) === 0;
        const y = upward ? size - 1 - vert : vert;
        if (!isFunction[y]![x]) order.push([x, y]);
      }
    }
  }
  return order;
}

/** Encodes text (UTF-8) in the smallest version that holds it. */
export function encodeQr(text: string): QrCode {
  const bytes = [...Buffer.from(text, 'utf8')];
  let version = 1;
  for (; version <= 40; version += 1) {
    const countBits = version <= 9 ? 8 : 16;
    if (4 + countBits + bytes.length * 8 <= dataCodewords(version) * 8) break;
  }
  if (version > 40) throw new RangeError(`${bytes.length} bytes do not fit in a QR code`);
  const size = version * 4 + 17;
  const capacity = dataCodewords(version) * 8;

  const bits: number[] = [];
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i -= 1) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4);
  push(bytes.length, version <= 9 ? 8 : 16);
  for (const b of bytes) push(b, 8);
  push(0, Math.min(4, capacity - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) push(pad, 8);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((acc, bit) => (acc << 1) | bit, 0));

  const modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const isFunction = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const setFunction = (x: number, y: number, dark: boolean) => {
    modules[y]![x] = dark;
    isFunction[y]![x] = true;
  };
  for (let i = 0; i < size; i += 1) {
    setFunction(6, i, i % 2 === 0);
    setFunction(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]] as const) {
    for (let dy = -4; dy <= 4; dy += 1) {
      for (let dx = -4; dx <= 4; dx += 1) {
        const dist = Math.max(Math.abs(dx), Math.abs(dy));
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) setFunction(x, y, dist !== 2 && dist !== 4);
      }
    }
  }
  const align = alignmentPositions(version);
  align.forEach((ax, i) => {
    align.forEach((ay, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === align.length - 1) || (i === align.length - 1 && j === 0)) return;
      for (let dy = -2; dy <= 2; dy += 1) for (let dx = -2; dx <= 2; dx += 1) setFunction(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    });
  });
  const drawFormat = (mask: number) => {
    const f = formatBits(mask);
    const bit = (i: number) => ((f >>> i) & 1) === 1;
    for (let i = 0; i <= 5; i += 1) setFunction(8, i, bit(i));
    setFunction(8, 7, bit(6));
    setFunction(8, 8, bit(7));
    setFunction(7, 8, bit(8));
    for (let i = 9; i < 15; i += 1) setFunction(14 - i, 8, bit(i));
    for (let i = 0; i < 8; i += 1) setFunction(size - 1 - i, 8, bit(i));
    for (let i = 8; i < 15; i += 1) setFunction(8, size - 15 + i, bit(i));
    setFunction(8, size - 8, true);
  };
  drawFormat(0);
  if (version >= 7) {
    const v = versionBits(version);
    for (let i = 0; i < 18; i += 1) {
      const dark = ((v >>> i) & 1) === 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      setFunction(a, b, dark);
      setFunction(b, a, dark);
    }
  }

  const codewords = addEccAndInterleave(data, version);
  dataModuleOrder(size, isFunction).forEach(([x, y], i) => {
    if (i < codewords.length * 8) modules[y]![x] = ((codewords[i >>> 3]! >>> (7 - (i & 7))) & 1) === 1;
  });

  let best = { mask: 0, penalty: Infinity };
  for (let mask = 0; mask < 8; mask += 1) {
    applyMask(modules, isFunction, mask);
    drawFormat(mask);
    const penalty = penaltyOf(modules);
    if (penalty < best.penalty) best = { mask, penalty };
    applyMask(modules, isFunction, mask);
  }
  applyMask(modules, isFunction, best.mask);
  drawFormat(best.mask);
  return { version, size, mask: best.mask, modules };
}

function applyMask(modules: boolean[][], isFunction: readonly boolean[][], mask: number): void {
  for (let y = 0; y < modules.length; y += 1) {
    for (let x = 0; x < modules.length; x += 1) if (!isFunction[y]![x] && masked(mask, x, y)) modules[y]![x] = !modules[y]![x];
  }
}

/** Runs of one colour, 2×2 blocks and dark/light balance (rules 1, 2 and 4); any mask decodes, this only picks a clean one. */
function penaltyOf(modules: readonly boolean[][]): number {
  const size = modules.length;
  let penalty = 0;
  let dark = 0;
  for (let a = 0; a < size; a += 1) {
    let rowRun = 1;
    let colRun = 1;
    for (let b = 0; b < size; b += 1) {
      if (modules[a]![b]) dark += 1;
      if (b > 0) {
        rowRun = modules[a]![b] === modules[a]![b - 1] ? rowRun + 1 : 1;
        colRun = modules[b]![a] === modules[b - 1]![a] ? colRun + 1 : 1;
        if (rowRun === 5) penalty += 3;
        else if (rowRun > 5) penalty += 1;
        if (colRun === 5) penalty += 3;
        else if (colRun > 5) penalty += 1;
      }
      if (a > 0 && b > 0) {
        const c = modules[a]![b];
        if (c === modules[a - 1]![b] && c === modules[a]![b - 1] && c === modules[a - 1]![b - 1]) penalty += 3;
      }
    }
  }
  const k = Math.ceil(Math.abs(dark * 20 - size * size * 10) / (size * size)) - 1;
  return penalty + Math.max(0, k) * 10;
}

/**
 * The code as terminal text, two module rows per line with half blocks and a quiet zone. Light
 * modules are printed as blocks, for the usual dark terminal; `lightBackground` swaps them.
 */
export function qrToText(code: QrCode, { quietZone = 2, lightBackground = false }: { quietZone?: number; lightBackground?: boolean } = {}): string {
  const span = code.size + quietZone * 2;
  const darkAt = (x: number, y: number) => {
    const mx = x - quietZone;
    const my = y - quietZone;
    return mx >= 0 && my >= 0 && mx < code.size && my < code.size && code.modules[my]![mx]!;
  };
  const lines: string[] = [];
  for (let y = 0; y < span; y += 2) {
    let line = '';
    for (let x = 0; x < span; x += 1) {
      let top = !darkAt(x, y);
      let bottom = y + 1 < span ? !darkAt(x, y + 1) : !lightBackground;
      if (lightBackground) {
        top = !top;
        bottom = !bottom;
      }
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines.join('\n');
}
