import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread for each other (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const REF = /#\s?(P[2-9A-HJKMNP-Z]{3,6})(?![0-9A-Za-z])/gi;

/**
 * A short reference put in every probe (`#P7K2M`), so that a reply on any channel, even one
 * without threading, names the probe it answers. About 920,000 values; refs need only be
 * unique among a tenant's open probes, so callers retry on a clash.
 */
export function createProbeRef(random: (maxExclusive: number) => number = randomInt): string {
  let ref = '#P';
  for (let i = 0; i < 4; i += 1) ref += ALPHABET[random(ALPHABET.length)];
  return ref;
}

/** The probe refs in a text, upper-cased and with `#`, in order (`#p7k2m` → `#P7K2M`). */
export function findProbeRefs(text: string): string[] {
  return [...text.matchAll(REF)].map((m) => `#${(m[1] as string).toUpperCase()}`);
}

/** The text without probe refs. */
export function removeProbeRefs(text: string): string {
  return text.replace(REF, ' ');
}
