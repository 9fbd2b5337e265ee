import { z } from 'zod';

/** The value kinds a mapped field can hold. `date` is an ISO 8601 date or date-time string. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'object' | 'array';

/**
 * One field of an object, JSON-Schema-like. An `object` without `properties` is open: any path
 * below it is accepted and not type-checked (e.g. `customFields`).
 */
export interface FieldSchema {
  type: FieldType;
  enum?: ReadonlyArray<string | number | boolean>;
  /** Informational here; connectors enforce it when they create records. */
  required?: boolean;
  /** The system computes this value; a mapping may read it but never write it. */
  readOnly?: boolean;
  description?: string;
  properties?: Readonly<Record<string, FieldSchema>>;
  items?: FieldSchema;
}

/** The fields of one object type on one side of a mapping (a hub object or a vendor object). */
export interface ObjectSchema {
  title?: string;
  description?: string;
  properties: Readonly<Record<string, FieldSchema>>;
}

const fieldTypeSchema = z.enum(['string', 'number', 'integer', 'boolean', 'date', 'object', 'array']);

/** Validates a field description loaded from data. */
export const fieldSchemaSchema: z.ZodType<FieldSchema> = z.lazy(() =>
  z.strictObject({
    type: fieldTypeSchema,
    enum: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
    required: z.boolean().optional(),
    readOnly: z.boolean().optional(),
    description: z.string().optional(),
    properties: z.record(z.string(), fieldSchemaSchema).optional(),
    items: fieldSchemaSchema.optional(),
  }),
);

/** Validates an object schema loaded from data (e.g. a connector's YAML). */
export const objectSchemaSchema: z.ZodType<ObjectSchema> = z.strictObject({
  title: z.string().optional(),
  description: z.string().optional(),
  properties: z.record(z.string(), fieldSchemaSchema),
});
