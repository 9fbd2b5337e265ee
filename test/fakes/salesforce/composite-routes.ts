import type { Hono } from 'hono';
import type { StoredRecord } from './record-store.ts';
import { SalesforceError } from './salesforce-error.ts';
import type { SalesforceContext, SalesforceEnv } from './salesforce-context.ts';
import { jsonBody } from './salesforce-context.ts';

const MAX_RECORDS = 200;

interface SaveResult {
  id?: string;
  success: boolean;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
  created?: boolean;
}

function failure(error: unknown, id?: string): SaveResult {
  if (!(error instanceof SalesforceError)) throw error;
  const detail = Array.isArray(error.body) ? (error.body[0] as { fields?: string[] } | undefined) : undefined;
  // Collections report `statusCode` where single-record calls say `errorCode`.
  return { ...(id ? { id } : {}), success: false, errors: [{ statusCode: error.errorCode, message: error.message, fields: detail?.fields ?? [] }] };
}

function readCollection(body: unknown): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { records?: unknown }).records)) {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array');
  }
  const { allOrNone = false, records } = body as { allOrNone?: boolean; records: Array<Record<string, unknown>> };
  if (records.length > MAX_RECORDS) {
    throw new SalesforceError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
  }
  return { allOrNone: Boolean(allOrNone), records };
}

/** sObject Collections: up to 200 records per call, optionally all-or-none. */
export function registerCompositeRoutes(app: Hono<SalesforceEnv>, ctx: SalesforceContext): void {
  const { store } = ctx;
  const base = '/services/data/:version/composite/sobjects';

  const runAll = (allOrNone: boolean, work: Array<() => SaveResult>): SaveResult[] => {
    const before = store.snapshot();
    const results = work.map((step) => step());
    if (allOrNone && results.some((r) => !r.success)) {
      store.restore(before);
      return results.map((r) =>
        r.success
          ? {
              ...(r.id ? { id: r.id } : {}),
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            }
          : r,
      );
    }
    return results;
  };

  const typeOf = (record: Record<string, unknown>) => {
    const attributes = record.attributes as { type?: string } | undefined;
    if (!attributes?.type) throw new SalesforceError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    return store.requireSchema(attributes.type);
  };

  app.post(base, async (c) => {
    const { allOrNone, records } = readCollection(await jsonBody(c));
    return c.json(
      runAll(
        allOrNone,
        records.map((record) => () => {
          try {
            const created = store.create(typeOf(record), record);
            return { id: created.values.Id as string, success: true, errors: [] };
          } catch (error) {
            return failure(error);
          }
        }),
      ),
    );
  });

  app.patch(base, async (c) => {
    const { allOrNone, records } = readCollection(await jsonBody(c));
    return c.json(
      runAll(
        allOrNone,
        records.map((record) => () => {
          const id = String(record.id ?? record.Id ?? '');
          try {
            const { id: _lower, Id: _upper, ...rest } = record;
            store.update(typeOf(record), id, rest);
            return { id, success: true, errors: [] };
          } catch (error) {
            return failure(error, id || undefined);
          }
        }),
      ),
    );
  });

  app.delete(base, (c) => {
    const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean);
    if (ids.length > MAX_RECORDS) throw new SalesforceError(400, 'EXCEEDED_ID_LIMIT', `cannot delete more than ${MAX_RECORDS} records`);
    return c.json(
      runAll(
        c.req.query('allOrNone') === 'true',
        ids.map((id) => () => {
          try {
            const found = store.find(id);
            if (!found) throw new SalesforceError(404, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
            store.delete(found.schema, id);
            return { id: found.values.Id as string, success: true, errors: [] };
          } catch (error) {
            return failure(error, id);
          }
        }),
      ),
    );
  });

  app.post(`${base}/:type`, async (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    const body = (await jsonBody(c)) as { ids?: string[]; fields?: string[] } | undefined;
    if (!body?.ids || !body.fields) throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'ids and fields are required');
    const version = c.get('version');
    return c.json(
      body.ids.map((id) => {
        let record: StoredRecord | undefined;
        try {
          record = store.get(schema, id);
        } catch {
          return null;
        }
        return store.render(record, version, body.fields);
      }),
    );
  });

  app.patch(`${base}/:type/:field`, async (c) => {
    const schema = store.requireSchema(c.req.param('type'));
    const fieldName = c.req.param('field');
    const { allOrNone, records } = readCollection(await jsonBody(c));
    const version = c.get('version');
    return c.json(
      runAll(
        allOrNone,
        records.map((record) => () => {
          try {
            const key = Object.keys(record).find((k) => k.toLowerCase() === fieldName.toLowerCase());
            const value = key === undefined ? undefined : record[key];
            if (value === undefined || value === null || value === '') {
              throw new SalesforceError(400, 'MISSING_ARGUMENT', `${fieldName} not specified`, { fields: [fieldName] });
            }
            const { attributes: _attributes, ...rest } = record;
            const { record: saved, created } = store.upsert(schema, fieldName, String(value), rest, { version });
            return { id: saved.values.Id as string, success: true, errors: [], created };
          } catch (error) {
            return failure(error);
          }
        }),
      ),
    );
  });
}
