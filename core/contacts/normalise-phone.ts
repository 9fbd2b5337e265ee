/**
 * A phone number in E.164, or undefined when it is not one. Without a country code, ten digits
 * (or 0 and ten digits) are an Indian number, which is how Indian numbers are usually written.
 *
 * @example normalisePhone('98765 43210') // '+919876543210'
 * @example normalisePhone('+44 20 7946 0958') // '+442079460958'
 */
export function normalisePhone(input: string): string | undefined {
  const compact = input.trim().replace(/[\s\-().]/g, '');
  if (compact.startsWith('+')) return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : undefined;
  if (/^[1-9]\d{9}$/.test(compact)) return `+91${compact}`;
  if (/^0[1-9]\d{9}$/.test(compact)) return `+91${compact.slice(1)}`;
  if (/^91[1-9]\d{9}$/.test(compact)) return `+${compact}`;
  return undefined;
}
