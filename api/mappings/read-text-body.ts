import type { Context } from 'hono';
import { parseDocument } from 'yaml';
import { parseMappingSpec } from '../../mappings/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';

const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']);

/** A JSON or YAML request body as data, with its media type and text (kept as the spec's source). */
export interface TextBody {
  data: unknown;
  mediaType: string;
  text: string;
}

/**
 * Reads a JSON or YAML body. Syntax errors are a 422 whose errors carry the line, column and
 * offset, as `parseMappingSpec` reports them.
 */
export async function readTextBody(c: Context<AppEnv>): Promise<TextBody> {
  const contentType = c.req.header('Content-Type') ?? 'application/json';
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const text = await c.req.text();
  if (text.trim() === '') throw new ApiError('validation_failed', { detail: 'The body is empty', errors: [{ path: 'body', message: 'send a JSON or YAML document', code: 'required' }] });
  const yaml = YAML_TYPES.has(mediaType);
  if (yaml) {
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length === 0) return { data: doc.toJS({ maxAliasCount: 100 }) as unknown, mediaType, text };
  } else {
    try {
      return { data: JSON.parse(text) as unknown, mediaType, text };
    } catch {
      // Fall through: parseMappingSpec words the error with its position.
    }
  }
  const parsed = parseMappingSpec(text, yaml ? mediaType : 'application/json');
  const syntax = parsed.ok ? [] : parsed.errors.filter((e) => e.code === 'invalid_syntax');
  throw new ApiError('unprocessable', { detail: `The body is not valid ${yaml ? 'YAML' : 'JSON'}; see errors`, errors: syntax.length > 0 ? syntax : [{ path: '', code: 'invalid_syntax', message: 'the body could not be parsed' }] });
}
