import { getMappingVersion, loadMapping, type MappingDoc } from '../../core/mapping-store/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { defaultHubSchemas, mappingSpecSchema, type CompileCache, type CompiledMapping, type MappingSpec } from '../../mappings/index.ts';

/** A mapping's active version, parsed and compiled. */
export interface ActiveSpec {
  mapping: MappingDoc;
  version: number;
  spec: MappingSpec;
  compiled: CompiledMapping;
}

const hubSchemas: Readonly<Record<string, (typeof defaultHubSchemas)[keyof typeof defaultHubSchemas]>> = defaultHubSchemas;

// Parsed specs by mapping version: versions are immutable, so a parse is good for as long as it is kept.
const parsed = new Map<string, MappingSpec>();

const specKey = (tenantId: string | undefined, mappingId: string, version: number): string => `${tenantId ?? ''}/${mappingId}@${version}`;

/** Compiles a stored spec once per mapping version. */
export function compileActive(compile: CompileCache, mapping: MappingDoc, version: number, rawSpec: unknown): ActiveSpec {
  const key = specKey(mapping.tenantId, mapping._id, version);
  let spec = parsed.get(key);
  if (spec === undefined) {
    spec = mappingSpecSchema.parse(rawSpec);
    if (parsed.size > 2000) parsed.clear();
    parsed.set(key, spec);
  }
  const hubSchema = Object.hasOwn(hubSchemas, spec.hubObject) ? hubSchemas[spec.hubObject] : undefined;
  const compiled = compile.compile(spec, { key: { specId: mapping._id, version }, ...(hubSchema === undefined ? {} : { hubSchema }) });
  return { mapping, version, spec: compiled.spec, compiled };
}

/**
 * The current active version of a mapping, or null when it is deleted or has none: sync always
 * applies the current one. The mapping is read every time (an activation or a delete counts at
 * once); its version document only the first time, as versions never change once stored.
 */
export async function loadActiveSpec(db: TenantStore, compile: CompileCache, mappingId: string): Promise<ActiveSpec | null> {
  const mapping = await loadMapping(db, mappingId);
  if (mapping === null || mapping.activeVersion === null) return null;
  if (parsed.has(specKey(mapping.tenantId, mapping._id, mapping.activeVersion))) return compileActive(compile, mapping, mapping.activeVersion, undefined);
  const version = await getMappingVersion(db, mappingId, mapping.activeVersion);
  if (version === null) return null;
  return compileActive(compile, mapping, version.number, JSON.parse(version.spec) as unknown);
}
