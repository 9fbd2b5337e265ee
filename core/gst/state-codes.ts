/** A GST state or union-territory code, as the first two digits of a GSTIN. */
export interface GstState {
  code: string;
  name: string;
  /** The two-letter code GST returns and e-invoices use. */
  abbreviation: string;
  kind: 'state' | 'union_territory' | 'other';
  /** No longer issued: 25 merged into 26 in 2020; 28 is Andhra Pradesh before 2014 (now 37). */
  legacy?: true;
}

/** Every GST state code, in code order. */
export const GST_STATES: readonly GstState[] = Object.freeze(
  (
    [
      ['01', 'Jammu and Kashmir', 'JK', 'union_territory'],
      ['02', 'Himachal Pradesh', 'HP', 'state'],
      ['03', 'Punjab', 'PB', 'state'],
      ['04', 'Chandigarh', 'CH', 'union_territory'],
      ['05', 'Uttarakhand', 'UK', 'state'],
      ['06', 'Haryana', 'HR', 'state'],
      ['07', 'Delhi', 'DL', 'union_territory'],
      ['08', 'Rajasthan', 'RJ', 'state'],
      ['09', 'Uttar Pradesh', 'UP', 'state'],
      ['10', 'Bihar', 'BR', 'state'],
      ['11', 'Sikkim', 'SK', 'state'],
      ['12', 'Arunachal Pradesh', 'AR', 'state'],
      ['13', 'Nagaland', 'NL', 'state'],
      ['14', 'Manipur', 'MN', 'state'],
      ['15', 'Mizoram', 'MZ', 'state'],
      ['16', 'Tripura', 'TR', 'state'],
      ['17', 'Meghalaya', 'ML', 'state'],
      ['18', 'Assam', 'AS', 'state'],
      ['19', 'West Bengal', 'WB', 'state'],
      ['20', 'Jharkhand', 'JH', 'state'],
      ['21', 'Odisha', 'OD', 'state'],
      ['22', 'Chhattisgarh', 'CG', 'state'],
      ['23', 'Madhya Pradesh', 'MP', 'state'],
      ['24', 'Gujarat', 'GJ', 'state'],
      ['25', 'Daman and Diu', 'DD', 'union_territory', true],
      ['26', 'Dadra and Nagar Haveli and Daman and Diu', 'DN', 'union_territory'],
      ['27', 'Maharashtra', 'MH', 'state'],
      ['28', 'Andhra Pradesh (before division)', 'AP', 'state', true],
      ['29', 'Karnataka', 'KA', 'state'],
      ['30', 'Goa', 'GA', 'state'],
      ['31', 'Lakshadweep', 'LD', 'union_territory'],
      ['32', 'Kerala', 'KL', 'state'],
      ['33', 'Tamil Nadu', 'TN', 'state'],
      ['34', 'Puducherry', 'PY', 'union_territory'],
      ['35', 'Andaman and Nicobar Islands', 'AN', 'union_territory'],
      ['36', 'Telangana', 'TS', 'state'],
      ['37', 'Andhra Pradesh', 'AD', 'state'],
      ['38', 'Ladakh', 'LA', 'union_territory'],
      ['97', 'Other Territory', 'OT', 'other'],
      ['99', 'Centre Jurisdiction', 'CJ', 'other'],
    ] as const
  ).map(([code, name, abbreviation, kind, legacy]) =>
    Object.freeze({ code, name, abbreviation, kind, ...(legacy ? { legacy } : {}) }),
  ),
);

const BY_CODE = new Map(GST_STATES.map((s) => [s.code, s]));
const BY_ABBREVIATION = new Map(GST_STATES.map((s) => [s.abbreviation, s]));

/**
 * The state for a two-digit GST code.
 *
 * @example findGstState('27')?.name // 'Maharashtra'
 */
export function findGstState(code: string): GstState | undefined {
  return BY_CODE.get(code);
}

/**
 * The state for a two-letter abbreviation, in any case.
 *
 * @example findGstStateByAbbreviation('ka')?.code // '29'
 */
export function findGstStateByAbbreviation(abbreviation: string): GstState | undefined {
  return BY_ABBREVIATION.get(abbreviation.toUpperCase());
}

/** True for a code in {@link GST_STATES}, legacy codes included. */
export function isGstStateCode(code: string): boolean {
  return BY_CODE.has(code);
}
