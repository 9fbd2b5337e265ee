import { parseDocument } from 'yaml';
import type { MappingIssue } from './mapping-issue.ts';
import { mappingSpecSchema } from './mapping-spec-schema.ts';
import type { MappingSpec } from './mapping-spec-schema.ts';
import { zodIssues } from './zod-issues.ts';

/** A spec whose text parsed and whose shape is right, or why not. */
export type ParsedMappingSpec = { ok: true; spec: MappingSpec } | { ok: false; errors: MappingIssue[] };

const JSON_TYPES = new Set(['application/json', 'json']);
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'yaml', 'yml']);

/**
 * Parses a spec from JSON or YAML text and checks its shape. Checks that need the object
 * schemas are left to `validateMapping`.
 * @example parseMappingSpec(body, 'application/yaml; charset=utf-8')
 */
export function parseMappingSpec(text: string, contentType: string): ParsedMappingSpec {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  let data: unknown;
  if (JSON_TYPES.has(mediaType) || mediaType.endsWith('+json')) {
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed;
    data = parsed.data;
  } else if (YAML_TYPES.has(mediaType)) {
    const parsed = parseYaml(text);
    if (!parsed.ok) return parsed;
    data = parsed.data;
  } else {
    return {
      ok: false,
      errors: [{ path: '', code: 'unsupported_media_type', message: `"${contentType}" is not JSON or YAML` }],
    };
  }
  const result = mappingSpecSchema.safeParse(data);
  return result.success ? { ok: true, spec: result.data } : { ok: false, errors: zodIssues(result.error) };
}

function parseJson(text: string): { ok: true; data: unknown } | { ok: false; errors: MappingIssue[] } {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const issue: MappingIssue = { path: '', code: 'invalid_syntax', message: `JSON: ${message}` };
    const at = /position (\d+)/.exec(message);
    if (at !== null) Object.assign(issue, { position: Number(at[1]) }, lineColumn(text, Number(at[1])));
    return { ok: false, errors: [issue] };
  }
}

function parseYaml(text: string): { ok: true; data: unknown } | { ok: false; errors: MappingIssue[] } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const position = error.pos[0];
        return {
          path: '',
          code: 'invalid_syntax' as const,
          message: `YAML ${error.code}: ${error.message.split('\n')[0] ?? ''}`,
          position,
          ...lineColumn(text, position),
        };
      }),
    };
  }
  return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) };
}

// 1-based line and column, as editors show them.
function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}
