import type { FieldSchema } from './object-schema.ts';

type Scalar = string | number | boolean | null;

/** A value map ready for lookups both ways. `inverse` is absent when the map is not one-to-one. */
export interface CompiledValueMap {
  forward: ReadonlyMap<string, Scalar>;
  inverse: ReadonlyMap<Scalar, unknown> | undefined;
  /** Remote values that more than one hub value maps to. */
  collisions: ReadonlyArray<{ remote: Scalar; hubKeys: string[] }>;
}

/**
 * Builds lookup tables. Keys are text (JSON object keys always are); when the hub field's schema
 * is known, inverse results are turned back into its type so `"1"` returns as the number 1.
 */
export function compileValueMap(valueMap: Readonly<Record<string, Scalar>>, hubField?: FieldSchema): CompiledValueMap {
  const forward = new Map<string, Scalar>();
  const byRemote = new Map<Scalar, string[]>();
  for (const [key, remote] of Object.entries(valueMap)) {
    forward.set(key, remote);
    const keys = byRemote.get(remote);
    if (keys === undefined) byRemote.set(remote, [key]);
    else keys.push(key);
  }
  const collisions = [...byRemote].filter(([, keys]) => keys.length > 1).map(([remote, hubKeys]) => ({ remote, hubKeys }));
  const inverse = collisions.length > 0
    ? undefined
    : new Map<Scalar, unknown>([...byRemote].map(([remote, keys]) => [remote, hubKeyValue(keys[0] as string, hubField)]));
  return { forward, inverse, collisions };
}

/** The hub value a value-map key stands for, given the hub field's type. */
export function hubKeyValue(key: string, hubField: FieldSchema | undefined): unknown {
  if (hubField === undefined) return key;
  if ((hubField.type === 'number' || hubField.type === 'integer') && key.trim() !== '' && Number.isFinite(Number(key))) {
    return Number(key);
  }
  if (hubField.type === 'boolean' && (key === 'true' || key === 'false')) return key === 'true';
  return key;
}

/** The key under which a hub value is looked up; undefined for values a map cannot hold. */
export function valueMapKey(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
