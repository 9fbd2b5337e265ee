import { isIP } from 'node:net';

/** What kind of address an IP is, for deciding whether the hub may call it. */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'unique-local'
  | 'invalid';

type V4Range = readonly [base: number, bits: number, kind: AddressKind];

const v4 = (text: string): number => text.split('.').reduce((n, part) => n * 256 + Number(part), 0);

// IANA IPv4 special-purpose registry, plus multicast and class E.
const V4_RANGES: readonly V4Range[] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'shared'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'documentation'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'documentation'],
  [v4('203.0.113.0'), 24, 'documentation'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('255.255.255.255'), 32, 'broadcast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

function classifyV4(n: number): AddressKind {
  for (const [base, bits, kind] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (n >= base && n < base + size) return kind;
  }
  return 'public';
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it does not parse. */
function groupsV6(text: string): number[] | undefined {
  let s = text.toLowerCase();
  const zone = s.indexOf('%');
  if (zone !== -1) s = s.slice(0, zone);
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    if (isIP(last) !== 4) return undefined;
    const n = v4(last);
    tail = [n >>> 16, n & 0xffff];
    s = s.slice(0, lastColon + 1);
    // Keep the '::' of '::a.b.c.d'; drop the lone separator of 'x:...:a.b.c.d'.
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const fixed = [...head, ...rest, ...tail].length;
  if (halves.length === 1 && fixed !== 8) return undefined;
  if (halves.length === 2 && fixed > 7) return undefined;
  const groups = halves.length === 2 ? [...head, ...new Array<number>(8 - fixed).fill(0), ...rest, ...tail] : [...head, ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

function classifyV6(groups: readonly number[]): AddressKind {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = g6 * 65536 + g7;
  const zeroTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g7 === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) carry an IPv4 address.
  if (zeroTo(5) && g5 === 0xffff) return classifyV4(embedded);
  if (zeroTo(6)) return classifyV4(embedded) === 'public' ? 'reserved' : classifyV4(embedded);
  // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) reaches the IPv4 address it embeds.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyV4(embedded);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'private';
  // 6to4 (2002::/16) embeds its IPv4 relay address in groups 1-2.
  if (g0 === 0x2002) return classifyV4(g1 * 65536 + g2);
  // Teredo (2001::/32) tunnels to addresses we cannot see; ORCHID and benchmarking are not routable.
  if (g0 === 0x2001 && g1 === 0) return 'reserved';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation';
  if (g0 === 0x2001 && g1 >= 0x10 && g1 <= 0x2f) return 'reserved';
  if (g0 === 0x2001 && g1 === 0x0002 && g2 === 0) return 'reserved';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // Only 2000::/3 is allocated as global unicast.
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/**
 * Classifies an IP address (v4, or v6 with or without brackets and zone). IPv6 forms that embed
 * an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the address they embed.
 * @example classifyAddress('169.254.169.254') // 'link-local'
 */
export function classifyAddress(ip: string): AddressKind {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(text.split('%')[0] ?? '');
  if (family === 4) return classifyV4(v4(text));
  if (family === 6) {
    const groups = groupsV6(text);
    return groups === undefined ? 'invalid' : classifyV6(groups);
  }
  return 'invalid';
}

/** True when the hub may call this address with private URLs disallowed. */
export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === 'public';
}
