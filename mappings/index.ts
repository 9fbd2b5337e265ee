// The public surface of mappings/. Everything else in this folder is internal.

export { mappingSpecSchema, fieldMappingSchema } from './mapping-spec-schema.ts';
export type {
  MappingSpec,
  MappingSpecInput,
  FieldMapping,
  MappingDirection,
  FieldOwner,
  DeletePolicy,
  JsonValue,
} from './mapping-spec-schema.ts';
export { objectSchemaSchema, fieldSchemaSchema } from './object-schema.ts';
export type { ObjectSchema, FieldSchema, FieldType } from './object-schema.ts';
export type { MappingIssue, MappingIssueCode } from './mapping-issue.ts';

export { parseMappingSpec } from './parse-mapping-spec.ts';
export type { ParsedMappingSpec } from './parse-mapping-spec.ts';
export { validateMapping } from './validate-mapping.ts';
export type { MappingSchemas, MappingValidation } from './validate-mapping.ts';

export { compileMapping } from './compile-mapping.ts';
export type { CompiledMapping, CompileOptions, MapResult } from './compile-mapping.ts';
export { createCompileCache } from './compile-cache.ts';
export type { CompileCache, CacheKey } from './compile-cache.ts';
export { previewMapping } from './preview-mapping.ts';
export type { PreviewRequest, PreviewItem, DiffOp } from './preview-mapping.ts';
export { hashMapped } from './hash-mapped.ts';
export { diffSpecs } from './diff-specs.ts';
export type { SpecDiff, FieldRef, FieldSetting, SpecSetting } from './diff-specs.ts';

export { effectiveOwner } from './effective-owner.ts';
export { resolveField } from './resolve-field.ts';
export type { FieldResolution, FieldResolutionInput, ResolutionReason, Timestamp } from './resolve-field.ts';
export { mergeInbound } from './merge-inbound.ts';
export type { InboundMerge, InboundMergeInput, FieldDecision } from './merge-inbound.ts';
export { linkSnapshot, projectHub } from './link-snapshot.ts';
export type { LinkSnapshot } from './link-snapshot.ts';

export { defaultHubSchemas } from './hub-schemas.ts';
export { starterMappings } from './starter-mappings.ts';
export type { StarterMapping } from './starter-mappings.ts';
export { starterRemoteSchema, starterRemoteSchemaNames } from './starter-remote-schema.ts';
