import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { objectSchemaSchema } from './object-schema.ts';
import type { ObjectSchema } from './object-schema.ts';

const SCHEMAS_DIR = new URL('./starters/schemas/', import.meta.url);

/**
 * The shipped object schema of a vendor object used by the starter mappings, by connector id
 * and object name: `starterRemoteSchema('jira', 'issue')`, `('quickbooks', 'Invoice')`.
 * Connectors will own their object schemas; until then these are the reference.
 */
export function starterRemoteSchema(connector: string, object: string): ObjectSchema | undefined {
  const name = `${connector}-${object}`.toLowerCase();
  if (!/^[a-z0-9]+-[a-z0-9]+$/.test(name) || !starterRemoteSchemaNames().includes(name)) return undefined;
  const text = readFileSync(new URL(`${name}.yaml`, SCHEMAS_DIR), 'utf8');
  const parsed = objectSchemaSchema.safeParse(parse(text));
  if (!parsed.success) throw new TypeError(`starter schema ${name}.yaml is invalid: ${parsed.error.message}`);
  return parsed.data;
}

/** The names of the shipped remote schemas, as `connector-object` (e.g. `jira-issue`). */
export function starterRemoteSchemaNames(): string[] {
  return readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
}
