import type { z } from 'zod';
import type { VerifyInput } from './types.ts';

// Parsed options per schema and options object. A connection's options object is built once per
// change of the connection and never mutated, so each is parsed once, not on every request.
const parsed = new WeakMap<z.ZodType, WeakMap<object, { value: unknown }>>();
const NO_OPTIONS = {};

/** The scheme options, or undefined when they do not satisfy the scheme's schema. */
export function readOptions<T>(schema: z.ZodType<T>, input: Pick<VerifyInput, 'options'>): T | undefined {
  const options = input.options ?? NO_OPTIONS;
  let bySchema = parsed.get(schema);
  if (!bySchema) {
    bySchema = new WeakMap();
    parsed.set(schema, bySchema);
  }
  let hit = bySchema.get(options);
  if (!hit) {
    const result = schema.safeParse(options);
    hit = { value: result.success ? result.data : undefined };
    bySchema.set(options, hit);
  }
  return hit.value as T | undefined;
}
