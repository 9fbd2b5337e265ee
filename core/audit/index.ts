export { canonicalJson } from './canonical-json.ts';
export { chainEntry, computeEntryHash, GENESIS_HASH, verifyChain } from './hash-chain.ts';
export type { ChainBreak, ChainedEntry, ChainVerification } from './hash-chain.ts';
export { DEFAULT_IGNORED_FIELDS, fieldDiff } from './field-diff.ts';
export type { FieldChange } from './field-diff.ts';
