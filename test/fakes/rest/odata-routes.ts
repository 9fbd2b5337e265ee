import type { Context, Hono } from 'hono';
import { json, objectBody, type FakeContext } from './fake-context.ts';
import type { FakeRecord } from './record-store.ts';

const COLLECTION = 'accounts';
const ITEM = /^\/odata\/accounts\(([^)]+)\)$/;

const etag = (r: FakeRecord) => `W/"${r.version}"`;
const odataError = (status: number, code: string, message: string) => json(status, { error: { code, message } });

function render(r: FakeRecord, select?: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = { '@odata.etag': etag(r), accountid: r.id, ...r.fields, modifiedon: r.updatedAt.toISOString() };
  if (select === undefined) return all;
  return Object.fromEntries(Object.entries(all).filter(([k]) => k === '@odata.etag' || k === 'accountid' || select.includes(k)));
}

/**
 * `/odata/accounts` in the style of an OData v4 service (Dataverse): `$top`/`$skip`, or server
 * pages of `Prefer: odata.maxpagesize` linked by `@odata.nextLink`; `$filter=modifiedon gt <instant>`;
 * `$select`; ETags with If-Match; `Prefer: return=representation` on writes.
 */
export function registerODataRoutes(app: Hono, ctx: FakeContext): void {
  app.get('/odata/accounts', (c) => {
    const url = new URL(c.req.url);
    const q = url.searchParams;
    let rows = ctx.store.sorted(COLLECTION);
    const filter = q.get('$filter');
    if (filter !== null) {
      const m = /^modifiedon gt (\S+)$/.exec(filter.trim());
      if (m === null || Number.isNaN(Date.parse(m[1]!))) return odataError(400, '0x80060888', `Could not parse $filter "${filter}"`);
      const at = Date.parse(m[1]!);
      rows = rows.filter((r) => r.updatedAt.getTime() > at);
    }
    const select = q.get('$select')?.split(',').map((s) => s.trim());
    const top = q.get('$top');
    const skip = Number(q.get('$skip') ?? 0) || 0;
    const context = `${ctx.origin()}/odata/$metadata#accounts`;
    if (top !== null) {
      const n = Math.max(0, Number(top) || 0);
      return json(200, { '@odata.context': context, value: rows.slice(skip, skip + n).map((r) => render(r, select)) });
    }
    const maxPage = /odata\.maxpagesize=(\d+)/.exec(c.req.header('prefer') ?? '')?.[1];
    if (maxPage === undefined) return json(200, { '@odata.context': context, value: rows.slice(skip).map((r) => render(r, select)) });
    const size = Number(maxPage);
    const from = Number(q.get('$skiptoken') ?? 0) || 0;
    const page = rows.slice(from, from + size);
    const body: Record<string, unknown> = { '@odata.context': context, value: page.map((r) => render(r, select)) };
    if (rows.length > from + size) {
      const next = new URL(`${ctx.origin()}/odata/accounts`);
      for (const [k, v] of q) if (k !== '$skiptoken') next.searchParams.append(k, v);
      next.searchParams.set('$skiptoken', String(from + size));
      body['@odata.nextLink'] = next.href;
    }
    return json(200, body, { 'preference-applied': `odata.maxpagesize=${size}` });
  });

  app.post('/odata/accounts', async (c) => {
    const body = await objectBody(c.req.raw);
    if (body === undefined || typeof body.name !== 'string' || body.name === '') return odataError(400, '0x80040203', 'name is required');
    const id = `00000000-0000-4000-8000-${String(ctx.store.nextNumber()).padStart(12, '0')}`;
    const { accountid: _id, modifiedon: _m, ...fields } = body;
    for (const key of Object.keys(fields)) if (key.startsWith('@')) delete fields[key];
    const record: FakeRecord = { id, updatedAt: ctx.clock.stamp(), version: 1, fields };
    ctx.store.collection(COLLECTION).set(id, record);
    return written(c, record, 201);
  });

  app.all('/odata/*', async (c) => {
    const m = ITEM.exec(new URL(c.req.url).pathname);
    if (m === null) return odataError(404, '0x8006088a', 'Resource not found for the segment');
    const id = decodeURIComponent(m[1]!);
    const records = ctx.store.collection(COLLECTION);
    const existing = records.get(id);
    if (existing === undefined) return odataError(404, '0x80040217', `account With Id = ${id} Does Not Exist`);
    const ifMatch = c.req.header('if-match');
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etag(existing) && c.req.method !== 'GET') {
      return odataError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");
    }
    switch (c.req.method) {
      case 'GET':
        return json(200, { '@odata.context': `${ctx.origin()}/odata/$metadata#accounts/$entity`, ...render(existing) });
      case 'PATCH': {
        const body = await objectBody(c.req.raw);
        if (body === undefined) return odataError(400, '0x80040203', 'Send a JSON object');
        const { accountid: _id, modifiedon: _m, ...fields } = body;
        for (const key of Object.keys(fields)) if (key.startsWith('@')) delete fields[key];
        existing.fields = { ...existing.fields, ...fields };
        existing.updatedAt = ctx.clock.stamp();
        existing.version += 1;
        return written(c, existing, 200);
      }
      case 'DELETE':
        records.delete(id);
        return new Response(null, { status: 204 });
      default:
        return odataError(405, '0x80060888', `${c.req.method} is not supported`);
    }
  });

  function written(c: Context, record: FakeRecord, status: number): Response {
    const headers = { etag: etag(record), 'odata-entityid': `${ctx.origin()}/odata/accounts(${record.id})` };
    if (/return=representation/.test(c.req.header('prefer') ?? '')) return json(status, { '@odata.context': `${ctx.origin()}/odata/$metadata#accounts/$entity`, ...render(record) }, headers);
    return new Response(null, { status: 204, headers });
  }
}
