/** How an SMS text is encoded and how many parts it takes. */
export interface SmsSegmentInfo {
  /** GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2 (Hindi, ₹, emoji). */
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
  /** Number of SMS parts billed; 0 for an empty text. */
  segments: number;
  /** Units per part at this length: 160/70 for one part, 153/67 once concatenated. */
  perSegment: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '\f^{}\\[~]|€';
const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/** True when every character of `text` can be sent in the GSM 7-bit alphabet. */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

/**
 * Counts the SMS parts a text takes. A concatenated message loses 7 septets (or 3 UCS-2
 * characters) per part to the header, and a part never splits a two-septet escape or a
 * surrogate pair, so the count matches what gateways bill.
 *
 * @example countSmsSegments('a'.repeat(161)) // { encoding: 'GSM-7', units: 161, segments: 2, perSegment: 153 }
 * @example countSmsSegments('नमस्ते') // { encoding: 'UCS-2', units: 6, segments: 1, perSegment: 70 }
 */
export function countSmsSegments(text: string): SmsSegmentInfo {
  const encoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const costs: number[] = [];
  for (const ch of text) costs.push(encoding === 'GSM-7' ? (EXTENDED.has(ch) ? 2 : 1) : ch.length);
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const limits = LIMITS[encoding];
  if (units === 0) return { encoding, units, segments: 0, perSegment: limits.single };
  if (units <= limits.single) return { encoding, units, segments: 1, perSegment: limits.single };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limits.multi) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, units, segments, perSegment: limits.multi };
}
