import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createRule, deleteRule, dryRunRules, getRule, listRules, updateRule, type RuleView } from '../../core/definitions/index.ts';
import { RULE_EVENTS } from '../../core/rules/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError, definitionProblem } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

// Managers tune business rules day to day, so they may change them as well as admins.
const EDITORS = ['admin', 'manager'] as const;

const RuleDocument = z.record(z.string(), z.unknown()).openapi('RuleDefinition', {
  description:
    'A business rule: `id`? (generated when omitted), `name`, `enabled`? (default true), `priority`? (higher runs first), ' +
    '`when`: { event: one of ' + RULE_EVENTS.join(', ') + ', condition?: json-rules-engine condition }, ' +
    '`then`: actions { type: set, field, value } | { type: add-tag, tag } | { type: block-transition, reason } | ' +
    '{ type: notify, to, template? } | { type: escalate, level? }. Problems answer 422, one entry per issue.',
  example: {
    id: 'tag-ready-to-bill',
    name: 'Tag complete payment milestones',
    when: { event: 'milestone.updated', condition: { all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] } },
    then: [{ type: 'add-tag', tag: 'ready-to-bill' }],
  },
});

const RuleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    priority: z.number().int(),
    when: z.object({ event: z.enum(RULE_EVENTS), condition: z.record(z.string(), z.unknown()).optional() }),
    then: z.array(z.object({ type: z.string() }).passthrough()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Rule');

const ruleOut = (r: RuleView): z.infer<typeof RuleSchema> => ({
  id: r.id,
  name: r.name,
  enabled: r.enabled,
  priority: r.priority,
  when: r.when.condition === undefined ? { event: r.when.event } : { event: r.when.event, condition: r.when.condition },
  then: r.then,
  version: r.version,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const ListQuery = z.object({
  event: z.enum(RULE_EVENTS).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
});

const PatchBody = z
  .record(z.string(), z.unknown())
  .openapi('RulePatch', {
    description:
      'A JSON merge patch over the rule: `{ "enabled": false }`, `{ "priority": 10 }`, `{ "when": { "condition": null } }`. ' +
      'A numeric `version` makes the write conditional on the stored version (409 when stale).',
    example: { enabled: false, version: 1 },
  });

const DryRunBody = z
  .object({
    event: z.enum(RULE_EVENTS),
    facts: z.record(z.string(), z.unknown()),
    ruleIds: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
    rules: z.array(z.unknown()).min(1).max(50).optional(),
  })
  .strict()
  .refine((body) => body.ruleIds === undefined || body.rules === undefined, { message: 'send ruleIds or rules, not both', path: ['rules'] })
  .openapi('RuleDryRun', {
    description: 'Without ruleIds or rules, the tenant’s enabled rules for the event run. Named or inline rules run even when disabled.',
    example: { event: 'milestone.updated', facts: { percentComplete: 100, tags: [] } },
  });

const DryRunSchema = z
  .object({
    event: z.string(),
    matched: z.array(z.object({ ruleId: z.string(), name: z.string(), priority: z.number() })),
    actions: z.array(z.object({ ruleId: z.string(), action: z.object({ type: z.string() }).passthrough() })),
    effects: z.object({
      set: z.record(z.string(), z.unknown()),
      addTags: z.array(z.string()),
      blocks: z.array(z.object({ ruleId: z.string(), reason: z.string() })),
      notifications: z.array(z.object({ ruleId: z.string(), to: z.string(), template: z.string().optional() })),
      escalations: z.array(z.object({ ruleId: z.string(), level: z.number().int() })),
    }),
    blocked: z.boolean(),
    errors: z.array(z.object({ ruleId: z.string(), message: z.string() })),
    result: z.record(z.string(), z.unknown()).openapi({ description: 'The facts as the set and add-tag effects would leave them' }),
  })
  .openapi('RuleDryRunResult');

const tags = ['rules'];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const list = createRoute({
  method: 'get',
  path: '/v1/rules',
  tags,
  summary: 'List the tenant’s business rules',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: ListQuery },
  responses: { 200: { description: 'Rules', ...json(pageOf(RuleSchema)) }, ...problemResponses(400, 401) },
});

const create = createRoute({
  method: 'post',
  path: '/v1/rules',
  tags,
  summary: 'Create a business rule (admin, manager)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { body: { required: true, ...json(RuleDocument) } },
  responses: { 201: { description: 'Created', ...json(RuleSchema) }, ...problemResponses(400, 401, 403, 409, 415, 422) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/rules/{id}',
  tags,
  summary: 'One business rule',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The rule', ...json(RuleSchema) }, ...problemResponses(401, 404) },
});

const patch = createRoute({
  method: 'patch',
  path: '/v1/rules/{id}',
  tags,
  summary: 'Change a rule: enable, disable, reprioritise or rewrite it (admin, manager)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam, body: { required: true, ...json(PatchBody) } },
  responses: { 200: { description: 'Changed', ...json(RuleSchema) }, ...problemResponses(400, 401, 403, 404, 409, 415, 422) },
});

const remove = createRoute({
  method: 'delete',
  path: '/v1/rules/{id}',
  tags,
  summary: 'Delete a rule (admin, manager)',
  security: bearerSecurity,
  middleware: [requireAuth(...EDITORS)] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 403, 404) },
});

const dryRun = createRoute({
  method: 'post',
  path: '/v1/rules/dry-run',
  tags,
  summary: 'Run rules over sample facts and return what they would do; applies nothing',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { body: { required: true, ...json(DryRunBody) } },
  responses: { 200: { description: 'Matched rules, their actions and merged effects', ...json(DryRunSchema) }, ...problemResponses(400, 401, 415, 422) },
});

function versionFrom(version: unknown): { expectedVersion?: number } {
  if (version === undefined) return {};
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw new ApiError('validation_failed', { detail: 'version must be a whole number', errors: [{ path: 'body.version', message: 'must be a whole number' }] });
  }
  return { expectedVersion: version };
}

export function registerRuleRoutes(app: OpenAPIHono<AppEnv>): void {
  // Registered before /v1/rules/{id} routes so that "dry-run" is never taken for a rule id.
  app.openapi(dryRun, async (c) => {
    const body = c.req.valid('json');
    const result = await dryRunRules(c.get('db'), body);
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(result.value, 200);
  });
  app.openapi(list, async (c) => {
    const { event, enabled, limit, cursor } = c.req.valid('query');
    const page = await listRules(c.get('db'), {
      ...(event === undefined ? {} : { event }),
      ...(enabled === undefined ? {} : { enabled: enabled === 'true' }),
      ...(limit === undefined ? {} : { limit }),
      cursor: cursor ?? null,
    });
    return c.json({ items: page.items.map(ruleOut), nextCursor: page.nextCursor }, 200);
  });
  app.openapi(create, async (c) => {
    const result = await createRule(c.get('db'), c.req.valid('json'));
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(ruleOut(result.value), 201);
  });
  app.openapi(get, async (c) => {
    const result = await getRule(c.get('db'), c.req.valid('param').id);
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(ruleOut(result.value), 200);
  });
  app.openapi(patch, async (c) => {
    const { version, ...changes } = c.req.valid('json');
    const result = await updateRule(c.get('db'), c.req.valid('param').id, changes, versionFrom(version));
    if (!result.ok) throw definitionProblem(result.error);
    return c.json(ruleOut(result.value), 200);
  });
  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await deleteRule(c.get('db'), id))) throw new ApiError('not_found', { detail: `No rule '${id}'` });
    return c.body(null, 204);
  });
}
