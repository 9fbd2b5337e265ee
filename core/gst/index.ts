export { findGstState, findGstStateByAbbreviation, GST_STATES, isGstStateCode } from './state-codes.ts';
export type { GstState } from './state-codes.ts';
export { checkGstinState, gstinCheckCharacter, validateGstin } from './validate-gstin.ts';
export type { Gstin, GstinError, GstinResult } from './validate-gstin.ts';
