/**
 * A payment or document reference reduced to what people reliably copy: upper case letters and
 * digits, without spaces, slashes, dashes or other punctuation.
 *
 * @example normaliseReference(' inv / 26-27 / 000123 ') // 'INV2627000123'
 */
export function normaliseReference(reference: string): string {
  return reference.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

const SUFFIXES = /\b(private limited|pvt ltd|pvt|private|limited|ltd|llp|inc|incorporated|co|company|corp|corporation)\b/g;

/**
 * A business name reduced for comparison: lower case, `&` as `and`, punctuation and the usual
 * legal suffixes (Pvt Ltd, Private Limited, LLP…) removed.
 *
 * @example normaliseClientName('Acme Tools Pvt. Ltd.') === normaliseClientName('ACME TOOLS PRIVATE LIMITED') // true
 */
export function normaliseClientName(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9\u0900-\u097f]+/g, ' ')
    .replace(SUFFIXES, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * True when `text` contains `reference` as a whole token, whatever spaces, slashes or dashes
 * separate its parts: `UPI/INV-26-27-000123/ACME` contains `INV/26-27/000123`, but
 * `INV/26-27/0001234` does not.
 */
export function containsReference(text: string, reference: string): boolean {
  const chunks = reference.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  if (chunks.length === 0) return false;
  const pattern = new RegExp(`(?<![A-Z0-9])${chunks.join('[^A-Z0-9]*')}(?![A-Z0-9])`);
  return pattern.test(text.toUpperCase());
}
