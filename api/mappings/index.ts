export { readTextBody, type TextBody } from './read-text-body.ts';
export { resolveSpec, type ResolvedSpec } from './resolve-spec.ts';
export { linkedTargets, type LinkedTarget } from './linked-targets.ts';
