import type { Hono } from 'hono';
import { describeBasics, describeSObject } from './describe-sobject.ts';
import { SalesforceError, notFound } from './salesforce-error.ts';
import type { SalesforceContext, SalesforceEnv } from './salesforce-context.ts';
import { jsonBody, versionNumber } from './salesforce-context.ts';
import { formatDateTime, parseDateTime } from './salesforce-time.ts';

const THIRTY_DAYS_MS = 30 * 24 * 3600_000;

/** sObject Basic Information, Describe, Rows, Rows by External ID, Get Updated and Get Deleted. */
export function registerSObjectRoutes(app: Hono<SalesforceEnv>, ctx: SalesforceContext): void {
  const base = '/services/data/:version/sobjects';
  const { store } = ctx;

  app.get(base, (c) =>
    c.json({ encoding: 'UTF-8', maxBatchSize: 200, sobjects: store.schemas.map((s) => describeBasics(s, c.get('version'))) }),
  );

  app.get(`${base}/:type`, (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    return c.json({ objectDescribe: describeBasics(schema, c.get('version')), recentItems: [] });
  });

  app.post(`${base}/:type`, async (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    const body = await jsonBody(c);
    if (body && typeof body === 'object' && 'Id' in body) {
      throw new SalesforceError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.', { fields: ['Id'] });
    }
    const record = store.create(schema, body);
    return c.json({ id: record.values.Id, success: true, errors: [] }, 201);
  });

  app.get(`${base}/:type/describe`, (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    return c.json(describeSObject(schema, store.schemas, c.get('version')));
  });

  const window = (start: string | undefined, end: string | undefined): { from: number; to: number } => {
    const from = start ? parseDateTime(start) : undefined;
    const to = end ? parseDateTime(end) : undefined;
    if (from === undefined || to === undefined) {
      throw new SalesforceError(400, 'MALFORMED_QUERY', 'start and end must be valid dateTime values');
    }
    if (to < from) throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
    if (ctx.clock.now() - from > THIRTY_DAYS_MS) {
      throw new SalesforceError(400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
    }
    return { from, to: Math.min(to, Math.floor(ctx.clock.now() / 60_000) * 60_000) };
  };

  for (const path of [`${base}/:type/updated`, `${base}/:type/updated/`]) {
    app.get(path, (c) => {
      const schema = store.requireSchema(c.req.param('type') ?? '');
      const { from, to } = window(c.req.query('start'), c.req.query('end'));
      const ids = store
        .list(schema)
        .filter((r) => {
          const stamp = r.values.SystemModstamp as number;
          return stamp >= from && stamp < to;
        })
        .map((r) => r.values.Id);
      return c.json({ ids, latestDateCovered: formatDateTime(to) });
    });
  }

  for (const path of [`${base}/:type/deleted`, `${base}/:type/deleted/`]) {
    app.get(path, (c) => {
      const schema = store.requireSchema(c.req.param('type') ?? '');
      const { from, to } = window(c.req.query('start'), c.req.query('end'));
      const deletedRecords = store
        .list(schema, { includeDeleted: true })
        .filter((r) => r.deletedAt !== undefined && r.deletedAt >= from && r.deletedAt < to)
        .map((r) => ({ id: r.values.Id, deletedDate: formatDateTime(r.deletedAt!) }));
      return c.json({
        deletedRecords,
        earliestDateAvailable: formatDateTime(ctx.clock.now() - THIRTY_DAYS_MS),
        latestDateCovered: formatDateTime(to),
      });
    });
  }

  app.get(`${base}/:type/:id`, (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    const record = store.get(schema, c.req.param('id'));
    const fields = c.req.query('fields');
    return c.json(store.render(record, c.get('version'), fields ? fields.split(',').map((f) => f.trim()) : undefined));
  });

  app.patch(`${base}/:type/:id`, async (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    store.update(schema, c.req.param('id'), await jsonBody(c));
    return c.body(null, 204);
  });

  app.delete(`${base}/:type/:id`, (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    store.delete(schema, c.req.param('id'));
    return c.body(null, 204);
  });

  const byExternalId = (type: string, fieldName: string, value: string) => {
    const schema = store.requireSchema(type);
    const field = store.field(schema, fieldName);
    if (!field || !(field.externalId || field.name === 'Id')) {
      throw new SalesforceError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${fieldName}`);
    }
    return { schema, matches: field.name === 'Id' ? [store.get(schema, value)] : store.findByField(schema, field, value) };
  };

  app.get(`${base}/:type/:field/:value`, (c) => {
    const { schema, matches } = byExternalId(c.req.param('type'), c.req.param('field'), c.req.param('value'));
    const version = c.get('version');
    if (matches.length > 1) {
      return c.json(matches.map((m) => `/services/data/v${version}/sobjects/${schema.name}/${String(m.values.Id)}`), 300);
    }
    const [match] = matches;
    if (!match) throw notFound();
    return c.json(store.render(match, version));
  });

  app.patch(`${base}/:type/:field/:value`, async (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    const version = c.get('version');
    const { record, created } = store.upsert(schema, c.req.param('field'), c.req.param('value'), await jsonBody(c), {
      updateOnly: c.req.query('updateOnly') === 'true',
      version,
    });
    const id = record.values.Id;
    // From API 46.0 an update by external id answers 200 with a body; older versions answer 204.
    if (versionNumber(version) >= 46) {
      return c.json({ id, success: true, errors: [], created }, created ? 201 : 200);
    }
    return created ? c.json({ id, success: true, errors: [] }, 201) : c.body(null, 204);
  });

  app.delete(`${base}/:type/:field/:value`, (c) => {
    const { schema, matches } = byExternalId(c.req.param('type'), c.req.param('field'), c.req.param('value'));
    if (matches.length > 1) throw new SalesforceError(300, 'MULTIPLE_CHOICES', 'Multiple records found');
    const [match] = matches;
    if (!match) throw notFound();
    store.delete(schema, match.values.Id as string);
    return c.body(null, 204);
  });
}
