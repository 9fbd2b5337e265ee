import type { Hono } from 'hono';
import { json, objectBody, type FakeContext } from './fake-context.ts';
import type { FakeRecord } from './record-store.ts';

const COLLECTION = 'contacts';

const render = (r: FakeRecord) => ({ ...r.fields, id: r.id, updated_at: r.updatedAt.toISOString() });
const cursorOf = (r: FakeRecord) => Buffer.from(`${r.updatedAt.getTime()}|${r.id}`).toString('base64url');

/**
 * `/api/contacts`: a modern JSON API with opaque cursors (`cursor`, `limit`, `meta.next_cursor`),
 * an inclusive `updated_since` filter, and writes that honour Idempotency-Key.
 */
export function registerCursorRoutes(app: Hono, ctx: FakeContext): void {
  app.get('/api/contacts', (c) => {
    const since = c.req.query('updated_since');
    const limit = Math.min(Number(c.req.query('limit') ?? 50) || 50, 200);
    const cursor = c.req.query('cursor');
    let rows = ctx.store.sorted(COLLECTION);
    if (since !== undefined) {
      const at = Date.parse(since);
      if (Number.isNaN(at)) return json(400, { error: 'invalid_request', message: 'updated_since must be an ISO 8601 instant' });
      rows = rows.filter((r) => r.updatedAt.getTime() >= at);
    }
    if (cursor !== undefined) {
      const [ms, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
      if (ms === undefined || id === undefined || Number.isNaN(Number(ms))) return json(400, { error: 'invalid_request', message: 'bad cursor' });
      rows = rows.filter((r) => r.updatedAt.getTime() > Number(ms) || (r.updatedAt.getTime() === Number(ms) && r.id > id));
    }
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? cursorOf(page[page.length - 1]!) : null;
    return json(200, { data: page.map(render), meta: { next_cursor: next } });
  });

  app.get('/api/contacts/:id', (c) => {
    const r = ctx.store.collection(COLLECTION).get(c.req.param('id'));
    return r === undefined ? json(404, { error: 'not_found' }) : json(200, render(r));
  });

  app.post('/api/contacts', async (c) => {
    const body = await objectBody(c.req.raw);
    if (body === undefined || typeof body.name !== 'string' || body.name === '') return json(400, { error: 'invalid_request', message: 'name is required' });
    const { id: _ignored, updated_at: _stamp, ...fields } = body;
    const id = `c_${String(ctx.store.nextNumber()).padStart(4, '0')}`;
    const record: FakeRecord = { id, updatedAt: ctx.clock.stamp(), version: 1, fields };
    ctx.store.collection(COLLECTION).set(id, record);
    return json(201, render(record));
  });

  const update = (replace: boolean) => async (c: { req: { param(n: string): string; raw: Request } }) => {
    const existing = ctx.store.collection(COLLECTION).get(c.req.param('id'));
    if (existing === undefined) return json(404, { error: 'not_found' });
    const body = await objectBody(c.req.raw);
    if (body === undefined) return json(400, { error: 'invalid_request', message: 'send a JSON object' });
    const { id: _ignored, updated_at: _stamp, ...fields } = body;
    existing.fields = replace ? fields : { ...existing.fields, ...fields };
    existing.updatedAt = ctx.clock.stamp();
    existing.version += 1;
    return json(200, render(existing));
  };
  app.patch('/api/contacts/:id', update(false));
  app.put('/api/contacts/:id', update(true));

  app.delete('/api/contacts/:id', (c) => {
    const removed = ctx.store.collection(COLLECTION).delete(c.req.param('id'));
    return removed ? new Response(null, { status: 204 }) : json(404, { error: 'not_found' });
  });
}
