import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  createCustomField,
  deleteCustomField,
  getCustomField,
  listCustomFields,
  updateCustomField,
  validateTenantCustomValues,
  type CustomFieldView,
} from '../../core/definitions/index.ts';
import { CUSTOM_FIELD_TYPES } from '../../core/custom-fields/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError, definitionProblem } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

// Field definitions shape every milestone and project write, so only admins change them.
const EDITORS = ['admin'] as const;

const APPLIES_TO = ['milestone', 'project'] as const;

const FieldDocument = z.record(z.string(), z.unknown()).openapi('CustomFieldDefinition', {
  description:
    '`key` (siteArea), `label`, `type` (' + CUSTOM_FIELD_TYPES.join(', ') + '), `appliesTo` (milestone | project), ' +
    '`required`?, `enumValues`? (enum), `min`/`max`? (number, integer), `pattern`? (string; a safe regular expression), ' +
    '`maxLength`? (string, email, url). Problems answer 422; a key already defined for the same appliesTo answers 409.',
  example: { key: 'siteArea', label: 'Site area (sq ft)', type: 'number', min: 0, appliesTo: 'milestone' },
});

const CustomFieldSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    label: z.string(),
    type: z.enum(CUSTOM_FIELD_TYPES),
    appliesTo: z.enum(APPLIES_TO),
    required: z.boolean().optional(),
    enumValues: z.array(z.string()).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    pattern: z.string().optional(),
    maxLength: z.number().int().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CustomField');

const fieldOut = (f: CustomFieldView): z.infer<typeof CustomFieldSchema> => ({
  ...f,
  createdAt: f.createdAt.toISOString(),
  updatedAt: f.updatedAt.toISOString(),
});

const ListQuery = z.object({
  appliesTo: z.enum(APPLIES_TO).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
});

const PatchBody = z.record(z.string(), z.unknown()).openapi('CustomFieldPatch', {
  description: 'A JSON merge patch over the definition; `key` and `appliesTo` cannot change. A numeric `version` makes the write conditional (409 when stale).',
  example: { label: 'Built-up area (sq ft)', version: 1 },
});

const ValidateBody = z
  .object({ appliesTo: z.enum(APPLIES_TO), values: z.unknown(), partial: z.boolean().optional() })
  .strict()
  .openapi('ValidateCustomValues', { example: { appliesTo: 'milestone', values: { siteArea: 1200 } } });

const ValidationSchema = z
  .object({
    valid: z.boolean(),
    values: z.record(z.string(), z.unknown()).optional().openapi({ description: 'The values as they would be stored (trimmed, phones in E.164)' }),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .openapi('CustomValuesValidation');

const tags = ['custom fields'];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const list = createRoute({
  method: 'get',
  path: '/v1/custom-fields',
  tags,
  summary: 'List custom field definitions',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: ListQuery },
  responses: { 200: { description: 'Definitions', ...json(pageOf(CustomFieldSchema)) }, ...problemResponses(400, 401) },
});

const create = createRoute({
  method: 'post',
  path: '/v1/custom-fields',
  tags,
  summary: 'Define a custom field (admin)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { body: { required: true, ...json(FieldDocument) } },
  responses: { 201: { description: 'Created', ...json(CustomFieldSchema) }, ...problemResponses(400, 401, 403, 409, 415, 422) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/custom-fields/{id}',
  tags,
  summary: 'One custom field definition',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The definition', ...json(CustomFieldSchema) }, ...problemResponses(401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/custom-fields/{id}',
  tags,
  summary: 'Change a custom field definition (admin)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam, body: { required: true, ...json(PatchBody) } },
  responses: { 200: { description: 'Changed', ...json(CustomFieldSchema) }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/custom-fields/{id}',
  tags,
  summary: 'Delete a custom field definition (admin)',
  description:
    'Values already stored under the key stay on their milestones and projects; writes naming the key are refused as ' +
    'unknown until a field with that key is defined again, which makes the kept values valid once more.',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
});

const validate = createRoute({
  method: 'post',
  path: '/v1/custom-fields/validate',
  tags,
  summary: 'Check custom field values against the current definitions, as writes do; stores nothing',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { body: { required: true, ...json(ValidateBody) } },
  responses: { 200: { description: 'Whether the values are valid, and every problem', ...json(ValidationSchema) }, ...problemResponses(400, 401, 415) },
});

function versionFrom(version: unknown): { expectedVersion?: number } {
  if (version === undefined) return {};
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ApiError('validation_failed', { detail: 'version must be a whole number', errors: [{ path: 'body.version', message: 'must be a whole number' }] });
  }
  return { expectedVersion: version };
}

export function registerCustomFieldRoutes(app: OpenAPIHono<AppEnv>): void {
  // Registered before /v1/custom-fields/{id} routes so that "validate" is never taken for an id.
  app.openapi(validate, async (c) => {
    const { appliesTo, values, partial } = c.req.valid('json');
    const result = await validateTenantCustomValues(c.get('db'), appliesTo, values ?? {}, partial === undefined ? {} : { partial });
    if (result.ok) return c.json({ valid: true, values: result.value }, 200);
    return c.json({ valid: false, errors: result.error.issues }, 200);
  });
  app.openapi(list, async (c) => {
    const { appliesTo, limit, cursor } = c.req.valid('query');
    const page = await listCustomFields(c.get('db'), {
      ...(appliesTo === undefined ? {} : { appliesTo }),
      ...(limit === undefined ? {} : { limit }),
      cursor: cursor ?? null,
    });
    return c.json({ items: page.items.map(fieldOut), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(create, async (c) => {
    const result = await createCustomField(c.get('db'), c.req.valid('json'));
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(fieldOut(result.value), 201);
  });
  app.openapi(get, async (c) => {
    const result = await getCustomField(c.get('db'), c.req.valid('param').id);
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(fieldOut(result.value), 200);
  });
  app.openapi(patch, async (c) => {
    const { version, ...changes } = c.req.valid('json');
    const result = await updateCustomField(c.get('db'), c.req.valid('param').id, changes, versionFrom(version));
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(fieldOut(result.value), 200);
  });
  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deleteCustomField(c.get('db'), id))) throw new ApiError('not_found', { detail: `No custom field '${id}'` });
    return c.body(null, 204);
  });
}
