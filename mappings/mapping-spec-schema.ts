import { z } from 'zod';

/** A JSON value as it can appear in a spec (`default`, `valueMap` values). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const jsonScalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const jsonValueSchema: z.ZodType<JsonValue, JsonValue> = z.lazy(() =>
  z.union([jsonScalarSchema, z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);

/**
 * One mapped field.
 *
 * - `hub` / `remote`: paths, dot-separated keys with `[n]` for array indexes (`Line[0].Amount`).
 * - `toRemote`: JSONata over the hub record, `$value` bound to the value at `hub`.
 * - `toHub`: JSONata over the remote record, `$value` bound to the value at `remote`.
 * - `valueMap`: hub value (as text) → remote value; reversed for inbound when one-to-one.
 * - `default`: a hub-side value. Outbound it replaces a missing hub value before the transform;
 *   inbound it replaces a missing result after the transform.
 * - `required`: a missing (undefined or null) result is an error for that record.
 * - `owner`: which side wins in two-way sync.
 */
export const fieldMappingSchema = z.strictObject({
  hub: z.string().min(1),
  remote: z.string().min(1),
  toRemote: z.string().min(1).optional(),
  toHub: z.string().min(1).optional(),
  valueMap: z.record(z.string(), jsonScalarSchema).optional(),
  default: jsonValueSchema.optional(),
  required: z.boolean().optional(),
  owner: z.enum(['hub', 'remote', 'newest']).optional(),
});

/**
 * A mapping between one hub object type and one remote object type on one connection, as admins
 * write it in JSON or YAML. `filter` is a JSONata predicate over the source record of the
 * direction being applied, with `$direction` bound to `"out"` or `"in"`. `deletePolicy` says what
 * a hub delete does remotely.
 * @default deletePolicy "ignore"
 */
export const mappingSpecSchema = z.strictObject({
  connectionId: z.string().min(1),
  name: z.string().min(1),
  hubObject: z.string().min(1),
  remoteObject: z.string().min(1),
  direction: z.enum(['in', 'out', 'both']),
  match: z.strictObject({ hub: z.string().min(1), remote: z.string().min(1) }).optional(),
  filter: z.string().min(1).optional(),
  fields: z.array(fieldMappingSchema).min(1),
  deletePolicy: z.enum(['ignore', 'delete', 'close']).default('ignore'),
});

/** A validated spec, defaults applied. */
export type MappingSpec = z.output<typeof mappingSpecSchema>;
/** A spec as written, before defaults. */
export type MappingSpecInput = z.input<typeof mappingSpecSchema>;
/** One mapped field. */
export type FieldMapping = z.output<typeof fieldMappingSchema>;
/** `out`: hub → remote; `in`: remote → hub; `both`: two-way. */
export type MappingDirection = MappingSpec['direction'];
/** Which side wins a field in two-way sync. */
export type FieldOwner = NonNullable<FieldMapping['owner']>;
/** What a hub delete does to the linked remote record. */
export type DeletePolicy = MappingSpec['deletePolicy'];
