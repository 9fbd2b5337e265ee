/**
 * How GST treats a place: a State (SGST), a Union Territory with its own legislature (SGST too:
 * Delhi, Puducherry, Jammu and Kashmir), a Union Territory without one (UTGST), or a country
 * outside India (place of supply only).
 */
export type GstTerritoryKind = 'state' | 'ut-with-legislature' | 'ut' | 'foreign';

/** One entry of the GST state code list. */
export interface GstStateCode {
  readonly code: string;
  readonly name: string;
  readonly kind: GstTerritoryKind;
  /** The code of the same territory today, when this one was merged or replaced. */
  readonly sameAs?: string;
}

/** The GST state codes of GSTINs and places of supply, keyed by their two-digit code. */
export const GST_STATE_CODES: ReadonlyMap<string, GstStateCode> = new Map(
  (
    [
      ['01', 'Jammu and Kashmir', 'ut-with-legislature'],
      ['02', 'Himachal Pradesh', 'state'],
      ['03', 'Punjab', 'state'],
      ['04', 'Chandigarh', 'ut'],
      ['05', 'Uttarakhand', 'state'],
      ['06', 'Haryana', 'state'],
      ['07', 'Delhi', 'ut-with-legislature'],
      ['08', 'Rajasthan', 'state'],
      ['09', 'Uttar Pradesh', 'state'],
      ['10', 'Bihar', 'state'],
      ['11', 'Sikkim', 'state'],
      ['12', 'Arunachal Pradesh', 'state'],
      ['13', 'Nagaland', 'state'],
      ['14', 'Manipur', 'state'],
      ['15', 'Mizoram', 'state'],
      ['16', 'Tripura', 'state'],
      ['17', 'Meghalaya', 'state'],
      ['18', 'Assam', 'state'],
      ['19', 'West Bengal', 'state'],
      ['20', 'Jharkhand', 'state'],
      ['21', 'Odisha', 'state'],
      ['22', 'Chhattisgarh', 'state'],
      ['23', 'Madhya Pradesh', 'state'],
      ['24', 'Gujarat', 'state'],
      ['25', 'Daman and Diu', 'ut', '26'],
      ['26', 'Dadra and Nagar Haveli and Daman and Diu', 'ut'],
      ['27', 'Maharashtra', 'state'],
      ['28', 'Andhra Pradesh (before 2014)', 'state', '37'],
      ['29', 'Karnataka', 'state'],
      ['30', 'Goa', 'state'],
      ['31', 'Lakshadweep', 'ut'],
      ['32', 'Kerala', 'state'],
      ['33', 'Tamil Nadu', 'state'],
      ['34', 'Puducherry', 'ut-with-legislature'],
      ['35', 'Andaman and Nicobar Islands', 'ut'],
      ['36', 'Telangana', 'state'],
      ['37', 'Andhra Pradesh', 'state'],
      ['38', 'Ladakh', 'ut'],
      ['96', 'Other Country', 'foreign'],
      ['97', 'Other Territory', 'ut'],
    ] as const
  ).map(([code, name, kind, sameAs]: readonly [string, string, GstTerritoryKind, string?]) => [
    code,
    sameAs === undefined ? { code, name, kind } : { code, name, kind, sameAs },
  ]),
);
