import { z } from 'zod';
import { objectSchemaSchema, type ObjectSchema } from '../../mappings/index.ts';
import { AuthExpiredError } from './auth-expired-error.ts';
import { checkRecord } from './check-record.ts';
import type { Connector, ConnectorCapabilities, ConnectorDescriptor, ObjectDescriptor } from './connector.ts';
import type { ConnectorContext } from './connector-context.ts';
import type { CheckResult, ConnectorDefinition, ConnectorExample, ObjectType, PerConfig, RateLimit } from './connector-definition.ts';
import { OutboundUrlRefusedError } from './outbound-url-refused-error.ts';
import { PUSH_OPS, type PushOp } from './push-types.ts';
import { RateLimitedError } from './rate-limited-error.ts';
import { settingIssues, unstorableKeys, type SettingResult } from './setting-issue.ts';
import { TransientVendorError } from './transient-vendor-error.ts';
import { UnrecoverableVendorError } from './unrecoverable-vendor-error.ts';
import type { WebhookSettings } from './webhook-types.ts';
import { isWebhookScheme } from './webhook-schemes.ts';

const ID_RE = /^[a-z][a-z0-9-]{1,39}$/;
/** Object names become storage keys and URL segments. */
export const OBJECT_NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Builds a connector from its definition, checking the definition now so a bad one fails at start-up:
 * the id, JSON Schema export of both schemas, fixed object schemas and their samples, push
 * operations, webhook schemes and shipped examples.
 * @example
 * export const jiraConnector = defineConnector({ id: 'jira', displayName: 'Jira', configSchema, credentialsSchema, check, capabilities: { pull, push } });
 */
export function defineConnector<C, K>(definition: ConnectorDefinition<C, K>): Connector {
  const { id, capabilities: caps = {} } = definition;
  const fail = (message: string): never => {
    throw new TypeError(`defineConnector(${JSON.stringify(id)}): ${message}`);
  };
  if (typeof id !== 'string' || !ID_RE.test(id)) fail('id must be 2-40 lower-case letters, digits or hyphens, starting with a letter');
  if (typeof definition.displayName !== 'string' || definition.displayName.trim() === '') fail('displayName is required');
  const configJson = jsonSchemaOf(definition.configSchema, 'configSchema', fail);
  const credentialsJson = jsonSchemaOf(definition.credentialsSchema, 'credentialsSchema', fail);

  const pushOps: PushOp[] = caps.push === undefined ? [] : [...caps.push.operations];
  if (caps.push !== undefined) {
    if (pushOps.length === 0) fail('push.operations is empty; leave push out instead');
    if (new Set(pushOps).size !== pushOps.length || pushOps.some((op) => !PUSH_OPS.includes(op))) fail(`push.operations must be distinct values of ${PUSH_OPS.join(', ')}`);
  }
  const schemes = caps.webhook === undefined ? [] : [...caps.webhook.schemes];
  if (caps.webhook !== undefined) {
    const unknown = schemes.filter((s) => !isWebhookScheme(s));
    if (schemes.length === 0 || unknown.length > 0) fail(`webhook.schemes must be known scheme ids; unknown: ${unknown.join(', ') || '(none given)'}`);
  }

  const objectsFromConfig = typeof definition.objects === 'function';
  const staticObjects = objectsFromConfig ? {} : ((definition.objects as Readonly<Record<string, ObjectType>> | undefined) ?? {});
  for (const [name, type] of Object.entries(staticObjects)) {
    const problem = objectProblem(name, type, pushOps);
    if (problem !== undefined) fail(problem);
  }

  const examples: readonly ConnectorExample[] = definition.examples?.() ?? [];
  for (const example of examples) {
    const parsed = definition.configSchema.safeParse(example.config);
    if (!parsed.success) fail(`example "${example.name}" does not fit configSchema: ${settingIssues(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }

  const capabilities: ConnectorCapabilities = {
    pull: caps.pull !== undefined,
    get: caps.get !== undefined,
    push: pushOps,
    webhook: caps.webhook !== undefined,
    messages: { send: caps.messages?.send !== undefined, receive: caps.messages?.receive !== undefined || caps.messages?.parseInbound !== undefined },
  };

  const typed = (ctx: ConnectorContext) => ctx as ConnectorContext<C, K>;
  const perConfig = <T>(value: PerConfig<C, T> | undefined, config: unknown, fallback: T): T =>
    value === undefined ? fallback : typeof value === 'function' ? (config === undefined ? fallback : (value as (c: C) => T)(config as C)) : value;
  const objects = (config?: unknown): Readonly<Record<string, ObjectType>> => perConfig(definition.objects, config, staticObjects);
  const rateLimits = (config?: unknown): readonly RateLimit[] => perConfig(definition.rateLimits, config, []);

  const objectFor = (config: unknown, name: string, op?: PushOp): ObjectType => {
    const all = objects(config);
    const type = Object.hasOwn(all, name) ? all[name] : undefined;
    if (type === undefined) throw new UnrecoverableVendorError(0, '', { message: `${id}: no object type "${name}"; it has ${Object.keys(all).join(', ') || 'none'}` });
    if (op !== undefined && !(type.operations ?? pushOps).includes(op)) {
      throw new UnrecoverableVendorError(0, '', { message: `${id}: object "${name}" does not take ${op}` });
    }
    return type;
  };

  const describeObjects = (all: Readonly<Record<string, ObjectType>>): ObjectDescriptor[] =>
    Object.entries(all).map(([name, t]) => ({
      name,
      ...(t.description === undefined ? {} : { description: t.description }),
      schema: t.schema,
      samples: [...(t.samples ?? [])],
      operations: [...(t.operations ?? pushOps)],
    }));

  let staticDescriptor: ConnectorDescriptor | undefined;
  const describe = (config?: unknown): ConnectorDescriptor => {
    if (config === undefined && staticDescriptor !== undefined) return staticDescriptor;
    const descriptor: ConnectorDescriptor = {
      id,
      displayName: definition.displayName,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      configSchema: configJson,
      credentialsSchema: credentialsJson,
      capabilities,
      objects: describeObjects(objects(config)),
      objectsFromConfig,
      rateLimits: [...rateLimits(config)],
      webhookScheme: schemes.length === 1 ? schemes[0]! : null,
      webhookSchemes: schemes,
      examples: [...examples],
    };
    if (config === undefined) staticDescriptor = descriptor;
    return descriptor;
  };

  const parseConfig = (input: unknown): SettingResult<unknown> => {
    const parsed = definition.configSchema.safeParse(input);
    if (!parsed.success) return { ok: false, issues: settingIssues(parsed.error) };
    const keys = unstorableKeys(parsed.data);
    return keys.length > 0 ? { ok: false, issues: keys } : { ok: true, value: parsed.data };
  };

  const parseCredentials = (input: unknown, config: unknown): SettingResult<unknown> => {
    // Without a parsed config only the general shape can be checked.
    const schema = (config === undefined ? undefined : definition.credentialsSchemaFor?.(config as C)) ?? definition.credentialsSchema;
    const parsed = schema.safeParse(input ?? {});
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: settingIssues(parsed.error) };
  };

  const webhook = caps.webhook;
  return Object.freeze({
    id,
    displayName: definition.displayName,
    description: definition.description,
    configSchema: definition.configSchema,
    credentialsSchema: definition.credentialsSchema,
    capabilities,
    parseConfig,
    parseCredentials,
    objects,
    objectSchema(config: unknown, name: string): ObjectSchema | undefined {
      const all = objects(config);
      return Object.hasOwn(all, name) ? all[name]!.schema : undefined;
    },
    rateLimits,
    outboundUrls: (config: unknown) => (definition.outboundUrls?.(config as C) ?? []).map((u) => (typeof u === 'string' ? { path: '', url: u } : u)),
    webhookSettings(config: unknown): WebhookSettings | undefined {
      if (webhook === undefined) return undefined;
      const settings = webhook.settings?.(config as C) ?? { scheme: webhook.schemes[0], options: {} };
      if (!webhook.schemes.includes(settings.scheme)) throw new TypeError(`${id}: webhook settings chose "${settings.scheme}", which is not among its schemes`);
      return settings;
    },
    examples: () => examples,
    check: async (ctx: ConnectorContext): Promise<CheckResult> => {
      try {
        return await definition.check(typed(ctx));
      } catch (err) {
        const result = checkFailure(err);
        if (result === undefined) throw err;
        return result;
      }
    },
    pull: caps.pull === undefined ? undefined : async (ctx, request) => {
      objectFor(ctx.config, request.object);
      return caps.pull!(typed(ctx), request);
    },
    get: caps.get === undefined ? undefined : async (ctx, request) => {
      objectFor(ctx.config, request.object);
      return caps.get!(typed(ctx), request);
    },
    push: caps.push === undefined ? undefined : async (ctx, request) => {
      objectFor(ctx.config, request.object, request.op);
      if (request.op !== 'create' && (request.id === undefined || request.id === '')) {
        throw new UnrecoverableVendorError(0, '', { message: `${id}: ${request.op} needs the record's id` });
      }
      if (request.op !== 'delete' && request.data === undefined) throw new UnrecoverableVendorError(0, '', { message: `${id}: ${request.op} needs data` });
      if (request.idempotencyKey === '') throw new UnrecoverableVendorError(0, '', { message: `${id}: an idempotency key is required` });
      return caps.push!.run(typed(ctx), request);
    },
    parseWebhook: webhook === undefined ? undefined : async (input, config) => webhook.parse(input, config as C),
    sendMessage: caps.messages?.send === undefined ? undefined : async (ctx, message) => caps.messages!.send!(typed(ctx), message),
    receiveMessages: caps.messages?.receive === undefined ? undefined : async (ctx, request) => caps.messages!.receive!(typed(ctx), request),
    parseInboundMessages: caps.messages?.parseInbound === undefined ? undefined : async (input, config) => caps.messages!.parseInbound!(input, config as C),
    describe,
  } satisfies Connector);
}

function jsonSchemaOf(schema: z.ZodType, what: string, fail: (message: string) => never): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  } catch (err) {
    return fail(`${what} cannot be exported as JSON Schema (${(err as Error).message}); avoid transforms and custom types`);
  }
}

function objectProblem(name: string, type: ObjectType, pushOps: readonly PushOp[]): string | undefined {
  if (!OBJECT_NAME_RE.test(name)) return `object name "${name}" must be a letter then letters, digits or _`;
  const schema = objectSchemaSchema.safeParse(type.schema);
  if (!schema.success) return `object "${name}": schema is invalid: ${schema.error.issues[0]?.message ?? ''}`;
  for (const [i, sample] of (type.samples ?? []).entries()) {
    const problems = checkRecord(type.schema, sample);
    if (problems.length > 0) return `object "${name}": samples[${i}] does not fit its schema: ${problems.join('; ')}`;
  }
  const extra = (type.operations ?? []).filter((op) => !pushOps.includes(op));
  if (extra.length > 0) return `object "${name}": operations ${extra.join(', ')} are not in push.operations`;
  return undefined;
}

/** A check's thrown vendor error as an admin-facing result; undefined for anything else (a bug). */
function checkFailure(err: unknown): CheckResult | undefined {
  if (err instanceof AuthExpiredError) return { ok: false, code: 'auth_failed', message: err.message };
  if (err instanceof OutboundUrlRefusedError) return { ok: false, code: 'refused_address', message: err.message };
  if (err instanceof RateLimitedError) return { ok: false, code: 'rate_limited', message: err.message };
  if (err instanceof TransientVendorError) return { ok: false, code: err.status === undefined ? 'unreachable' : 'vendor_error', message: err.message };
  if (err instanceof UnrecoverableVendorError) {
    return { ok: false, code: err.status === 403 ? 'auth_failed' : err.status === 0 ? 'misconfigured' : 'vendor_error', message: err.message };
  }
  return undefined;
}
