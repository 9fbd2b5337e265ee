import type { Hono } from 'hono';
import { json, objectBody, type FakeContext } from './fake-context.ts';
import type { FakeRecord } from './record-store.ts';

const COLLECTION = 'invoices';

// Zoho renders times in the organisation's zone: +0530 for India.
const zohoTime = (d: Date): string => `${new Date(d.getTime() + 330 * 60_000).toISOString().slice(0, 19)}+0530`;

function render(r: FakeRecord): Record<string, unknown> {
  const lines = Array.isArray(r.fields.line_items) ? (r.fields.line_items as Array<{ rate?: number; quantity?: number }>) : [];
  const total = lines.reduce((sum, l) => sum + (Number(l.rate) || 0) * (Number(l.quantity) || 1), 0);
  return { status: 'draft', ...r.fields, invoice_id: r.id, total, balance: r.fields.status === 'paid' ? 0 : total, last_modified_time: zohoTime(r.updatedAt) };
}

/**
 * `/books/v3/invoices` in the style of Zoho Books: `organization_id` on every call,
 * `page`/`per_page` with `page_context.has_more_page`, a `last_modified_time` filter, `code: 0`
 * envelopes, PUT updates.
 */
export function registerZohoRoutes(app: Hono, ctx: FakeContext): void {
  app.use('/books/v3/*', async (c, next) => {
    if (c.req.query('organization_id') !== ctx.organizationId) return json(400, { code: 6041, message: 'The organization_id is invalid or missing.' });
    await next();
  });

  app.get('/books/v3/invoices', (c) => {
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
    const perPage = Math.min(Math.max(1, Number(c.req.query('per_page') ?? 200) || 200), 200);
    let rows = ctx.store.sorted(COLLECTION);
    const since = c.req.query('last_modified_time');
    if (since !== undefined) {
      const at = Date.parse(since);
      if (Number.isNaN(at)) return json(400, { code: 2, message: 'Invalid value passed for last_modified_time' });
      rows = rows.filter((r) => r.updatedAt.getTime() >= at);
    }
    const slice = rows.slice((page - 1) * perPage, page * perPage);
    return json(200, {
      code: 0,
      message: 'success',
      invoices: slice.map(render),
      page_context: { page, per_page: perPage, has_more_page: rows.length > page * perPage, sort_column: 'last_modified_time', sort_order: 'A' },
    });
  });

  app.get('/books/v3/invoices/:id', (c) => {
    const r = ctx.store.collection(COLLECTION).get(c.req.param('id'));
    return r === undefined ? json(404, { code: 1002, message: 'Invoice does not exist.' }) : json(200, { code: 0, message: 'success', invoice: render(r) });
  });

  app.post('/books/v3/invoices', async (c) => {
    const body = await objectBody(c.req.raw);
    if (body === undefined || typeof body.customer_id !== 'string') return json(400, { code: 4, message: 'Invalid value passed for customer_id' });
    const id = `982000000${String(ctx.store.nextNumber()).padStart(6, '0')}`;
    const { invoice_id: _i, last_modified_time: _t, total: _total, balance: _balance, ...fields } = body;
    const record: FakeRecord = { id, updatedAt: ctx.clock.stamp(), version: 1, fields: { invoice_number: `INV-${id.slice(-6)}`, ...fields } };
    ctx.store.collection(COLLECTION).set(id, record);
    return json(201, { code: 0, message: 'The invoice has been created.', invoice: render(record) });
  });

  app.put('/books/v3/invoices/:id', async (c) => {
    const existing = ctx.store.collection(COLLECTION).get(c.req.param('id'));
    if (existing === undefined) return json(404, { code: 1002, message: 'Invoice does not exist.' });
    const body = await objectBody(c.req.raw);
    if (body === undefined) return json(400, { code: 4, message: 'Send a JSON object' });
    const { invoice_id: _i, last_modified_time: _t, total: _total, balance: _balance, ...fields } = body;
    existing.fields = { ...existing.fields, ...fields };
    existing.updatedAt = ctx.clock.stamp();
    existing.version += 1;
    return json(200, { code: 0, message: 'Invoice information has been updated.', invoice: render(existing) });
  });

  app.delete('/books/v3/invoices/:id', (c) => {
    const removed = ctx.store.collection(COLLECTION).delete(c.req.param('id'));
    return removed ? json(200, { code: 0, message: 'The invoice has been deleted.' }) : json(404, { code: 1002, message: 'Invoice does not exist.' });
  });
}
