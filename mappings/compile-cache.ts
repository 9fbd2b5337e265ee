import { compileMapping } from './compile-mapping.ts';
import type { CompileOptions, CompiledMapping } from './compile-mapping.ts';
import { hashMapped } from './hash-mapped.ts';
import type { MappingSpecInput } from './mapping-spec-schema.ts';
import type { ObjectSchema } from './object-schema.ts';

/** Where a spec comes from; stored versions are immutable, so id and version identify content. */
export interface CacheKey {
  specId: string;
  version: string | number;
}

/** Compiles each spec version once and keeps the most recently used ones. */
export interface CompileCache {
  /**
   * Returns the compiled mapping for this spec, compiling it on first use. With a `key` the
   * lookup is by id and version and costs nothing; without, by a hash of the spec's content.
   */
  compile(spec: MappingSpecInput, options?: CompileOptions & { key?: CacheKey }): CompiledMapping;
  readonly size: number;
  clear(): void;
}

/**
 * Creates an LRU cache of compiled mappings. Each worker or app builds its own and passes it
 * where it is needed.
 * @example const cache = createCompileCache({ max: 500 }); cache.compile(spec, { key: { specId, version } })
 */
export function createCompileCache({ max = 256 }: { max?: number } = {}): CompileCache {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`createCompileCache: max must be a positive integer, got ${max}`);
  const entries = new Map<string, CompiledMapping>();
  const schemaIds = new WeakMap<ObjectSchema, string>();
  const schemaId = (schema: ObjectSchema | undefined): string => {
    if (schema === undefined) return '-';
    let id = schemaIds.get(schema);
    if (id === undefined) {
      id = hashMapped(schema).slice(0, 16);
      schemaIds.set(schema, id);
    }
    return id;
  };
  return {
    compile(spec, { key, ...options } = {}) {
      const id = key === undefined ? `#${hashMapped(spec)}` : `${key.specId}@${String(key.version)}`;
      const cacheKey = `${id}|${schemaId(options.hubSchema)}${options.fastExpressions === false ? '|jsonata' : ''}`;
      const hit = entries.get(cacheKey);
      if (hit !== undefined) {
        entries.delete(cacheKey);
        entries.set(cacheKey, hit);
        return hit;
      }
      const compiled = compileMapping(spec, options);
      entries.set(cacheKey, compiled);
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return compiled;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}
