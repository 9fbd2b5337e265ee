import type { FakeClock } from '../shared/index.ts';
import { SalesforceError, entityIsDeleted, notFound } from './salesforce-error.ts';
import type { IdMinter } from './salesforce-ids.ts';
import { normalizeId } from './salesforce-ids.ts';
import { formatDateTime, isDate, parseDateTime, truncateToSecond } from './salesforce-time.ts';
import type { FieldDef, SObjectSchema } from './sobject-schema.ts';

/** Datetimes are held as epoch milliseconds and rendered only on the way out. */
export type FieldValue = string | number | boolean | null;

export interface StoredRecord {
  schema: SObjectSchema;
  values: Record<string, FieldValue>;
  deletedAt?: number;
}

export interface WriteOptions {
  /** The user recorded as LastModifiedById; a user edit in the UI is another user than the API's. */
  asUserId?: string;
}

const STAGE_PROBABILITY: Record<string, number> = {
  Prospecting: 10,
  Qualification: 10,
  'Needs Analysis': 20,
  'Value Proposition': 50,
  'Proposal/Price Quote': 75,
  'Negotiation/Review': 90,
  'Closed Won': 100,
  'Closed Lost': 0,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonParserError(field: FieldDef, value: unknown, kind: string): SalesforceError {
  return new SalesforceError(
    400,
    'JSON_PARSER_ERROR',
    `Cannot deserialize instance of ${kind} from VALUE_STRING value ${String(value)} or request may be missing a required field at [line:1, column:1]`,
    { fields: [field.name] },
  );
}

/**
 * In-memory records for every object in the schema, with the write-time validation the REST API
 * applies: unknown and read-only fields, required fields, types, lengths, restricted picklists,
 * lookups and unique external ids.
 */
export class RecordStore {
  readonly #schemas = new Map<string, SObjectSchema>();
  readonly #byPrefix = new Map<string, SObjectSchema>();
  readonly #records = new Map<string, StoredRecord>();
  readonly #clock: FakeClock;
  readonly #ids: IdMinter;
  defaultUserId = '';

  constructor({ schemas, clock, ids }: { schemas: readonly SObjectSchema[]; clock: FakeClock; ids: IdMinter }) {
    for (const schema of schemas) {
      this.#schemas.set(schema.name.toLowerCase(), schema);
      this.#byPrefix.set(schema.keyPrefix, schema);
    }
    this.#clock = clock;
    this.#ids = ids;
  }

  get schemas(): SObjectSchema[] {
    return [...this.#schemas.values()];
  }

  schema(type: string): SObjectSchema | undefined {
    return this.#schemas.get(type.toLowerCase());
  }

  requireSchema(type: string): SObjectSchema {
    const schema = this.schema(type);
    if (!schema) throw notFound();
    return schema;
  }

  field(schema: SObjectSchema, name: string): FieldDef | undefined {
    const lower = name.toLowerCase();
    return schema.fields.find((f) => f.name.toLowerCase() === lower);
  }

  /** Any record by id, deleted ones included. */
  find(idText: string): StoredRecord | undefined {
    const id = normalizeId(idText);
    return id ? this.#records.get(id) : undefined;
  }

  get(schema: SObjectSchema, idText: string): StoredRecord {
    const id = normalizeId(idText);
    if (!id || !id.startsWith(schema.keyPrefix)) {
      throw new SalesforceError(400, 'MALFORMED_ID', `${schema.label} ID: id value of incorrect type: ${idText}`);
    }
    const record = this.#records.get(id);
    if (!record) throw notFound();
    if (record.deletedAt !== undefined) throw entityIsDeleted();
    return record;
  }

  list(schema: SObjectSchema, { includeDeleted = false } = {}): StoredRecord[] {
    const out: StoredRecord[] = [];
    for (const record of this.#records.values()) {
      if (record.schema !== schema) continue;
      if (record.deletedAt !== undefined && !includeDeleted) continue;
      out.push(record);
    }
    return out;
  }

  findByField(schema: SObjectSchema, field: FieldDef, value: string): StoredRecord[] {
    const wanted = field.caseSensitive ? value : value.toLowerCase();
    return this.list(schema).filter((record) => {
      const current = record.values[field.name];
      if (current === null || current === undefined) return false;
      const text = String(current);
      return (field.caseSensitive ? text : text.toLowerCase()) === wanted;
    });
  }

  create(schema: SObjectSchema, input: unknown, options: WriteOptions = {}): StoredRecord {
    const values = this.#coerce(schema, input, 'create');
    const now = truncateToSecond(this.#clock.now());
    const userId = options.asUserId ?? this.defaultUserId;
    const record: StoredRecord = { schema, values: {} };
    for (const f of schema.fields) record.values[f.name] = null;
    if (this.field(schema, 'IsDeleted')) record.values.IsDeleted = false;
    if (this.field(schema, 'OwnerId')) record.values.OwnerId = userId;
    for (const f of schema.fields) {
      if (f.type === 'boolean' && record.values[f.name] === null) record.values[f.name] = false;
    }
    Object.assign(record.values, values);
    this.#checkRequired(schema, record.values);
    this.#checkUnique(schema, values, undefined);
    this.#derive(schema, record.values, values);
    const id = this.#ids.next(schema.keyPrefix);
    Object.assign(record.values, {
      Id: id,
      CreatedDate: now,
      CreatedById: userId,
      LastModifiedDate: now,
      LastModifiedById: userId,
      SystemModstamp: now,
    });
    this.#records.set(id, record);
    return record;
  }

  update(schema: SObjectSchema, idText: string, input: unknown, options: WriteOptions = {}): StoredRecord {
    const record = this.get(schema, idText);
    const values = this.#coerce(schema, input, 'update', record.values.Id as string);
    const next = { ...record.values, ...values };
    this.#checkRequired(schema, next);
    this.#checkUnique(schema, values, record.values.Id as string);
    this.#derive(schema, next, values);
    const now = truncateToSecond(this.#clock.now());
    next.LastModifiedDate = now;
    next.LastModifiedById = options.asUserId ?? this.defaultUserId;
    next.SystemModstamp = now;
    record.values = next;
    return record;
  }

  delete(schema: SObjectSchema, idText: string): StoredRecord {
    const record = this.get(schema, idText);
    const now = truncateToSecond(this.#clock.now());
    record.deletedAt = now;
    record.values.IsDeleted = true;
    record.values.SystemModstamp = now;
    return record;
  }

  /**
   * PATCH by external id: no match creates, one match updates, several answer 300. This is what
   * lets a connector retry a create after a crash without making a duplicate.
   */
  upsert(
    schema: SObjectSchema,
    fieldName: string,
    value: string,
    input: unknown,
    { updateOnly = false, version }: { updateOnly?: boolean; version: string },
  ): { record: StoredRecord; created: boolean } {
    const field = this.field(schema, fieldName);
    if (!field || !(field.externalId || field.name === 'Id')) {
      throw new SalesforceError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`);
    }
    if (!isPlainObject(input)) throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    const bodyKey = Object.keys(input).find((k) => k.toLowerCase() === field.name.toLowerCase());
    if (bodyKey !== undefined && String(input[bodyKey]).toLowerCase() !== value.toLowerCase()) {
      throw new SalesforceError(400, 'INVALID_FIELD', `The value of ${field.name} in the request body must match the value in the URL`, {
        fields: [field.name],
      });
    }
    const rest = { ...input };
    if (bodyKey !== undefined) delete rest[bodyKey];
    if (field.name === 'Id') return { record: this.update(schema, value, rest), created: false };
    const matches = this.findByField(schema, field, value);
    if (matches.length > 1) {
      throw new SalesforceError(300, 'MULTIPLE_CHOICES', 'Multiple records found', {
        body: matches.map((m) => `/services/data/v${version}/sobjects/${schema.name}/${String(m.values.Id)}`),
      });
    }
    const [match] = matches;
    if (match) return { record: this.update(schema, match.values.Id as string, rest), created: false };
    if (updateOnly) throw notFound();
    return { record: this.create(schema, { ...rest, [field.name]: value }), created: true };
  }

  /** A copy of every record, so an all-or-none collection call can roll back. */
  snapshot(): Map<string, StoredRecord> {
    const copy = new Map<string, StoredRecord>();
    for (const [id, r] of this.#records) {
      copy.set(id, { schema: r.schema, values: { ...r.values }, ...(r.deletedAt === undefined ? {} : { deletedAt: r.deletedAt }) });
    }
    return copy;
  }

  restore(snapshot: Map<string, StoredRecord>): void {
    this.#records.clear();
    for (const [id, r] of snapshot) this.#records.set(id, r);
  }

  /** A record as the REST API returns it: `attributes` first, then every field in schema order. */
  render(record: StoredRecord, version: string, fieldNames?: string[]): Record<string, unknown> {
    const { schema } = record;
    const out: Record<string, unknown> = {
      attributes: { type: schema.name, url: `/services/data/v${version}/sobjects/${schema.name}/${String(record.values.Id)}` },
    };
    const fields = fieldNames
      ? fieldNames.map((n) => {
          const f = this.field(schema, n);
          if (!f) throw new SalesforceError(400, 'INVALID_FIELD', `No such column '${n}' on entity '${schema.name}'.`);
          return f;
        })
      : schema.fields;
    for (const f of fields) out[f.name] = renderValue(f, record.values[f.name] ?? null);
    return out;
  }

  #coerce(schema: SObjectSchema, input: unknown, mode: 'create' | 'update', selfId?: string): Record<string, FieldValue> {
    if (!isPlainObject(input)) {
      throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
    }
    const out: Record<string, FieldValue> = {};
    const refused: string[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const f = this.field(schema, key);
      if (!f) {
        throw new SalesforceError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.name}`);
      }
      if (f.name === 'Id' && mode === 'update' && typeof raw === 'string' && normalizeId(raw) === selfId) continue;
      if ((mode === 'create' && !f.createable) || (mode === 'update' && !f.updateable)) {
        refused.push(f.name);
        continue;
      }
      out[f.name] = this.#coerceValue(f, raw);
    }
    if (refused.length > 0) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${refused.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        { fields: refused },
      );
    }
    return out;
  }

  #coerceValue(f: FieldDef, raw: unknown): FieldValue {
    if (raw === null || raw === undefined) return f.type === 'boolean' ? false : null;
    switch (f.type) {
      case 'boolean':
        if (typeof raw === 'boolean') return raw;
        if (raw === 'true' || raw === 'false') return raw === 'true';
        throw jsonParserError(f, raw, 'boolean');
      case 'currency':
      case 'double':
      case 'percent':
      case 'int': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
        if (!Number.isFinite(n)) throw jsonParserError(f, raw, f.type === 'int' ? 'int' : 'double');
        const scale = f.type === 'int' ? 0 : (f.scale ?? 2);
        const factor = 10 ** scale;
        return Math.round(n * factor) / factor;
      }
      case 'date': {
        const text = String(raw);
        if (isDate(text)) return text;
        const at = parseDateTime(text);
        if (at !== undefined) return new Date(at).toISOString().slice(0, 10);
        throw jsonParserError(f, raw, 'date');
      }
      case 'datetime': {
        const at = typeof raw === 'string' ? parseDateTime(raw) : undefined;
        if (at === undefined) throw jsonParserError(f, raw, 'datetime');
        return at;
      }
      case 'reference':
      case 'id':
        return this.#checkReference(f, String(raw));
      default: {
        if (typeof raw === 'object') throw jsonParserError(f, JSON.stringify(raw), 'string');
        const text = String(raw);
        if (f.length !== undefined && text.length > f.length) {
          throw new SalesforceError(
            400,
            'STRING_TOO_LONG',
            `${f.label}: data value too large: ${text.slice(0, 40)} (max length=${f.length})`,
            { fields: [f.name] },
          );
        }
        if (f.type === 'picklist' && f.restrictedPicklist && !(f.picklistValues ?? []).includes(text)) {
          throw new SalesforceError(
            400,
            'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            `${f.label}: bad value for restricted picklist field: ${text}`,
            { fields: [f.name] },
          );
        }
        return text;
      }
    }
  }

  #checkReference(f: FieldDef, text: string): string {
    const id = normalizeId(text);
    const targets = (f.referenceTo ?? []).map((t) => this.schema(t)).filter((s): s is SObjectSchema => !!s);
    if (!id || !targets.some((t) => id.startsWith(t.keyPrefix))) {
      throw new SalesforceError(400, 'FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${text}`, {
        fields: [f.name],
      });
    }
    const target = this.#records.get(id);
    if (!target) {
      throw new SalesforceError(
        400,
        'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
        `insufficient access rights on cross-reference id: ${text}`,
        { fields: [] },
      );
    }
    if (target.deletedAt !== undefined) throw new SalesforceError(400, 'ENTITY_IS_DELETED', 'entity is deleted', { fields: [] });
    return id;
  }

  #checkRequired(schema: SObjectSchema, values: Record<string, FieldValue>): void {
    const missing = schema.fields
      .filter((f) => f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean')
      .filter((f) => values[f.name] === null || values[f.name] === undefined || values[f.name] === '')
      .map((f) => f.name);
    if (missing.length > 0) {
      throw new SalesforceError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, {
        fields: missing,
      });
    }
  }

  #checkUnique(schema: SObjectSchema, values: Record<string, FieldValue>, selfId: string | undefined): void {
    for (const [name, value] of Object.entries(values)) {
      const f = this.field(schema, name);
      if (!f?.unique || value === null) continue;
      const clash = this.findByField(schema, f, String(value)).find((r) => r.values.Id !== selfId);
      if (clash) {
        throw new SalesforceError(
          400,
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${String(clash.values.Id)}`,
          { fields: [] },
        );
      }
    }
  }

  /** Opportunity's formula-like fields follow its stage the way the standard picklist does. */
  #derive(schema: SObjectSchema, values: Record<string, FieldValue>, written: Record<string, FieldValue>): void {
    if (schema.name !== 'Opportunity') return;
    const stage = String(values.StageName ?? '');
    values.IsClosed = stage === 'Closed Won' || stage === 'Closed Lost';
    values.IsWon = stage === 'Closed Won';
    if ('StageName' in written && !('Probability' in written)) values.Probability = STAGE_PROBABILITY[stage] ?? null;
  }
}

export function renderValue(f: FieldDef, value: FieldValue): unknown {
  if (value === null) return null;
  if (f.type === 'datetime' && typeof value === 'number') return formatDateTime(value);
  return value;
}
