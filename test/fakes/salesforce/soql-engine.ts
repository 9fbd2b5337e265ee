import type { FieldValue, RecordStore, StoredRecord } from './record-store.ts';
import { renderValue } from './record-store.ts';
import { SalesforceError } from './salesforce-error.ts';
import { normalizeId } from './salesforce-ids.ts';
import type { FieldDef, SObjectSchema } from './sobject-schema.ts';
import type { FieldPath, SoqlCondition, SoqlLiteral, SoqlQuery } from './soql-parser.ts';
import { malformed, parseSoql } from './soql-parser.ts';

/** A field path checked against the schema: the lookups to follow, then the field to read. */
interface ResolvedPath {
  relations: Array<{ field: FieldDef; target: SObjectSchema }>;
  leaf: FieldDef;
}

export interface SoqlResult {
  totalSize: number;
  records: Array<Record<string, unknown>>;
  countOnly: boolean;
}

const TYPE_NAMES: Partial<Record<FieldDef['type'], string>> = {
  datetime: 'dateTime',
  date: 'date',
  currency: 'double',
  double: 'double',
  percent: 'double',
  int: 'int',
  boolean: 'boolean',
};

function literalMatchesType(field: FieldDef, literal: SoqlLiteral): boolean {
  if (literal.kind === 'null') return true;
  switch (field.type) {
    case 'datetime':
      return literal.kind === 'datetime';
    case 'date':
      return literal.kind === 'date';
    case 'currency':
    case 'double':
    case 'percent':
    case 'int':
      return literal.kind === 'number';
    case 'boolean':
      return literal.kind === 'boolean';
    default:
      return literal.kind === 'string';
  }
}

function compareValues(field: FieldDef, left: FieldValue, right: FieldValue): number {
  if (field.type === 'id' || field.type === 'reference') {
    const a = normalizeId(String(left)) ?? String(left);
    const b = normalizeId(String(right)) ?? String(right);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'boolean' && typeof right === 'boolean') return Number(left) - Number(right);
  // SOQL compares text without regard to case.
  const a = String(left).toLowerCase();
  const b = String(right).toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) source += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function literalValue(literal: SoqlLiteral): FieldValue {
  return literal.kind === 'null' ? null : literal.value;
}

/** Runs parsed SOQL against the record store, with the same errors Salesforce gives for bad names. */
export class SoqlEngine {
  readonly #store: RecordStore;

  constructor(store: RecordStore) {
    this.#store = store;
  }

  run(text: string, { includeDeleted, version }: { includeDeleted: boolean; version: string }): SoqlResult {
    const query = parseSoql(text);
    const schema = this.#store.schema(query.from.path);
    if (!schema) {
      throw new SalesforceError(
        400,
        'INVALID_TYPE',
        `\n${query.text}\n${' '.repeat(query.from.column - 1)}^\nERROR at Row:1:Column:${query.from.column}\nsObject type '${query.from.path}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const selected = this.#selected(query, schema);
    if (query.where) this.#check(query, schema, query.where);
    const orders = query.orderBy.map((o) => ({ ...o, resolved: this.#resolve(query, schema, o.field) }));

    let rows = this.#store
      .list(schema, { includeDeleted })
      .filter((record) => !query.where || this.#matches(query, schema, record, query.where));
    if (orders.length > 0) {
      rows = [...rows].sort((a, b) => {
        for (const order of orders) {
          const left = this.#read(a, order.resolved);
          const right = this.#read(b, order.resolved);
          if (left === null && right === null) continue;
          if (left === null) return order.nullsLast ? 1 : -1;
          if (right === null) return order.nullsLast ? -1 : 1;
          const diff = compareValues(order.resolved.leaf, left, right);
          if (diff !== 0) return order.descending ? -diff : diff;
        }
        return 0;
      });
    }
    const offset = query.offset ?? 0;
    const end = query.limit === undefined ? undefined : offset + query.limit;
    rows = rows.slice(offset, end);
    if (query.select.kind === 'count') return { totalSize: rows.length, records: [], countOnly: true };
    return {
      totalSize: rows.length,
      records: rows.map((record) => this.#project(record, selected, version)),
      countOnly: false,
    };
  }

  #selected(query: SoqlQuery, schema: SObjectSchema): Array<{ path: FieldPath; resolved: ResolvedPath }> {
    const { select } = query;
    if (select.kind === 'count') return [];
    if (select.kind === 'fieldsFunction') {
      if (select.which !== 'STANDARD' && (query.limit === undefined || query.limit > 200)) {
        throw malformed(query.text, 1, 'The SOQL FIELDS function must have a LIMIT of at most 200');
      }
      return schema.fields
        .filter((f) => select.which === 'ALL' || (select.which === 'CUSTOM') === Boolean(f.custom))
        .map((f) => ({ path: { path: f.name, column: 1 }, resolved: { relations: [], leaf: f } }));
    }
    const seen = new Set<string>();
    for (const path of select.fields) {
      const key = path.path.toLowerCase();
      if (seen.has(key)) throw malformed(query.text, path.column, `duplicate field selected: ${path.path}`);
      seen.add(key);
    }
    return select.fields.map((path) => ({ path, resolved: this.#resolve(query, schema, path) }));
  }

  #resolve(query: SoqlQuery, schema: SObjectSchema, path: FieldPath): ResolvedPath {
    const segments = path.path.split('.');
    const relations: ResolvedPath['relations'] = [];
    let current = schema;
    for (const segment of segments.slice(0, -1)) {
      const lower = segment.toLowerCase();
      const field = current.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
      const target = field?.referenceTo?.[0] ? this.#store.schema(field.referenceTo[0]) : undefined;
      if (!field || !target) {
        throw new SalesforceError(
          400,
          'INVALID_FIELD',
          `\n${query.text}\n${' '.repeat(path.column - 1)}^\nERROR at Row:1:Column:${path.column}\nDidn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      relations.push({ field, target });
      current = target;
    }
    const leafName = segments[segments.length - 1]!;
    const leaf = this.#store.field(current, leafName);
    if (!leaf) {
      throw new SalesforceError(
        400,
        'INVALID_FIELD',
        `\n${query.text}\n${' '.repeat(path.column - 1)}^\nERROR at Row:1:Column:${path.column}\nNo such column '${leafName}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return { relations, leaf };
  }

  #check(query: SoqlQuery, schema: SObjectSchema, condition: SoqlCondition): void {
    switch (condition.kind) {
      case 'and':
      case 'or':
        this.#check(query, schema, condition.left);
        this.#check(query, schema, condition.right);
        return;
      case 'not':
        this.#check(query, schema, condition.inner);
        return;
      case 'like': {
        const { leaf } = this.#resolve(query, schema, condition.field);
        if (TYPE_NAMES[leaf.type]) {
          throw malformed(query.text, condition.field.column, `invalid operator on ${TYPE_NAMES[leaf.type]} field: ${leaf.name}`);
        }
        return;
      }
      case 'compare':
      case 'in': {
        const { leaf } = this.#resolve(query, schema, condition.field);
        const values = condition.kind === 'compare' ? [condition.value] : condition.values;
        for (const value of values) {
          if (literalMatchesType(leaf, value)) continue;
          const typeName = TYPE_NAMES[leaf.type] ?? 'string';
          const quoting = typeName === 'string' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
          throw malformed(
            query.text,
            condition.field.column,
            `value of filter criterion for field '${leaf.name}' must be of type ${typeName} and ${quoting}`,
          );
        }
        if (condition.kind === 'compare' && values[0]?.kind === 'null' && condition.op !== '=' && condition.op !== '!=') {
          throw malformed(query.text, condition.field.column, `invalid operator on null: ${condition.op}`);
        }
        return;
      }
    }
  }

  #matches(query: SoqlQuery, schema: SObjectSchema, record: StoredRecord, condition: SoqlCondition): boolean {
    switch (condition.kind) {
      case 'and':
        return this.#matches(query, schema, record, condition.left) && this.#matches(query, schema, record, condition.right);
      case 'or':
        return this.#matches(query, schema, record, condition.left) || this.#matches(query, schema, record, condition.right);
      case 'not':
        return !this.#matches(query, schema, record, condition.inner);
      case 'like': {
        const value = this.#read(record, this.#resolve(query, schema, condition.field));
        return value !== null && likeToRegExp(condition.pattern).test(String(value));
      }
      case 'in': {
        const resolved = this.#resolve(query, schema, condition.field);
        const value = this.#read(record, resolved);
        const found = condition.values.some((literal) => {
          const other = literalValue(literal);
          if (value === null || other === null) return value === other;
          return compareValues(resolved.leaf, value, other) === 0;
        });
        return condition.negated ? !found : found;
      }
      case 'compare': {
        const resolved = this.#resolve(query, schema, condition.field);
        const value = this.#read(record, resolved);
        const other = literalValue(condition.value);
        if (other === null || value === null) {
          const same = value === other;
          return condition.op === '=' ? same : condition.op === '!=' ? !same : false;
        }
        const diff = compareValues(resolved.leaf, value, other);
        switch (condition.op) {
          case '=':
            return diff === 0;
          case '!=':
            return diff !== 0;
          case '<':
            return diff < 0;
          case '<=':
            return diff <= 0;
          case '>':
            return diff > 0;
          case '>=':
            return diff >= 0;
        }
      }
    }
  }

  #parent(record: StoredRecord, relations: ResolvedPath['relations']): StoredRecord | undefined {
    let current: StoredRecord | undefined = record;
    for (const { field } of relations) {
      const id: FieldValue | undefined = current?.values[field.name];
      current = typeof id === 'string' ? this.#store.find(id) : undefined;
      if (!current || current.deletedAt !== undefined) return undefined;
    }
    return current;
  }

  #read(record: StoredRecord, resolved: ResolvedPath): FieldValue {
    const holder = this.#parent(record, resolved.relations);
    return holder ? (holder.values[resolved.leaf.name] ?? null) : null;
  }

  #project(
    record: StoredRecord,
    selected: Array<{ path: FieldPath; resolved: ResolvedPath }>,
    version: string,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: this.#attributes(record, version) };
    for (const { resolved } of selected) {
      let target = out;
      let current: StoredRecord | undefined = record;
      let broken = false;
      for (const { field } of resolved.relations) {
        const key = field.relationshipName!;
        const id: FieldValue | undefined = current?.values[field.name];
        current = typeof id === 'string' ? this.#store.find(id) : undefined;
        if (!current || current.deletedAt !== undefined) {
          if (!(key in target)) target[key] = null;
          broken = true;
          break;
        }
        const existing = target[key];
        if (existing && typeof existing === 'object') {
          target = existing as Record<string, unknown>;
        } else {
          const nested: Record<string, unknown> = { attributes: this.#attributes(current, version) };
          target[key] = nested;
          target = nested;
        }
      }
      if (broken || !current) continue;
      target[resolved.leaf.name] = renderValue(resolved.leaf, current.values[resolved.leaf.name] ?? null);
    }
    return out;
  }

  #attributes(record: StoredRecord, version: string): { type: string; url: string } {
    return {
      type: record.schema.name,
      url: `/services/data/v${version}/sobjects/${record.schema.name}/${String(record.values.Id)}`,
    };
  }
}
