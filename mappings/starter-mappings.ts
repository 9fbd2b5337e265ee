import { readdirSync, readFileSync } from 'node:fs';
import { defaultHubSchemas } from './hub-schemas.ts';
import type { MappingSpec } from './mapping-spec-schema.ts';
import type { ObjectSchema } from './object-schema.ts';
import { parseMappingSpec } from './parse-mapping-spec.ts';
import { starterRemoteSchema } from './starter-remote-schema.ts';
import { validateMapping } from './validate-mapping.ts';
import type { MappingSchemas } from './validate-mapping.ts';

const STARTERS_DIR = new URL('./starters/', import.meta.url);

/** A ready-made mapping shipped as data, with the schemas it was validated against. */
export interface StarterMapping {
  /** The file name without `.yaml`, e.g. `milestone-jira-issue`. */
  id: string;
  /** The connector it is for; in a starter, `spec.connectionId` holds it until installed. */
  connector: string;
  spec: MappingSpec;
  schemas: MappingSchemas;
}

/**
 * Loads and validates every starter mapping in `mappings/starters/`. A starter that fails
 * validation is a defect in shipped data, so it throws.
 * @default hubSchemas defaultHubSchemas
 */
export function starterMappings({ hubSchemas = defaultHubSchemas }: { hubSchemas?: Readonly<Record<string, ObjectSchema>> } = {}): StarterMapping[] {
  const ids = readdirSync(STARTERS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
  return ids.map((id) => {
    const file = `${id}.yaml`;
    const parsed = parseMappingSpec(readFileSync(new URL(file, STARTERS_DIR), 'utf8'), 'application/yaml');
    if (!parsed.ok) throw new TypeError(`starter ${file}: ${describe(parsed.errors)}`);
    const { spec } = parsed;
    const hub = Object.hasOwn(hubSchemas, spec.hubObject) ? hubSchemas[spec.hubObject] : undefined;
    const remote = starterRemoteSchema(spec.connectionId, spec.remoteObject);
    if (hub === undefined || remote === undefined) {
      throw new TypeError(`starter ${file}: no schema for ${hub === undefined ? `hub object "${spec.hubObject}"` : `${spec.connectionId} object "${spec.remoteObject}"`}`);
    }
    const validation = validateMapping(spec, { hub, remote });
    if (!validation.ok) throw new TypeError(`starter ${file}: ${describe(validation.errors)}`);
    return { id, connector: spec.connectionId, spec: validation.spec, schemas: { hub, remote } };
  });
}

function describe(errors: ReadonlyArray<{ path: string; message: string }>): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}
