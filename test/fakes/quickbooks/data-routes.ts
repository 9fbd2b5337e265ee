import type { Context, Hono } from 'hono';
import { changeDataCapture } from './change-data-capture.ts';
import { entityNamed } from './entity-fields.ts';
import { formatIntuitTime } from './intuit-time.ts';
import { runQuery } from './qbo-query.ts';
import { requiredMissing, unsupportedOperation } from './quickbooks-error.ts';
import type { QuickBooksContext, QuickBooksEnv } from './quickbooks-context.ts';
import { jsonBody, responseTime } from './quickbooks-context.ts';

/** The v3 data services: entity create/read/update/delete/void, query, CDC and company info. */
export function registerDataRoutes(app: Hono<QuickBooksEnv>, ctx: QuickBooksContext): void {
  const base = '/v3/company/:realmId';

  const query = (c: Context<QuickBooksEnv>, text: string | undefined) => {
    if (!text) throw requiredMissing('query');
    return c.json({ QueryResponse: runQuery(c.get('company'), text), time: responseTime(ctx) });
  };
  app.get(`${base}/query`, (c) => query(c, c.req.query('query')));
  // Intuit also takes the query as an application/text body.
  app.post(`${base}/query`, async (c) => query(c, (await c.req.text()) || c.req.query('query')));

  app.get(`${base}/cdc`, (c) =>
    c.json({
      ...changeDataCapture(c.get('company'), c.req.query('entities'), c.req.query('changedSince'), ctx.clock.now()),
      time: responseTime(ctx),
    }),
  );

  app.get(`${base}/companyinfo/:id`, (c) => {
    const company = c.get('company');
    if (c.req.param('id') !== company.realmId && c.req.param('id') !== '1') throw unsupportedOperation(new URL(c.req.url).pathname);
    const created = formatIntuitTime(company.createdAt, company.timeZone);
    return c.json({
      CompanyInfo: {
        CompanyName: company.companyName,
        LegalName: company.companyName,
        CompanyAddr: { Id: '1', Line1: '2600 Marine Way', City: 'Mountain View', CountrySubDivisionCode: 'CA', PostalCode: '94043' },
        Country: 'US',
        Email: { Address: 'accounts@milestone-hub.example' },
        FiscalYearStartMonth: 'January',
        SupportedLanguages: 'en',
        NameValue: [{ Name: 'OfferingSku', Value: 'QuickBooks Online Plus' }],
        domain: 'QBO',
        sparse: false,
        Id: '1',
        SyncToken: '0',
        MetaData: { CreateTime: created, LastUpdatedTime: created },
      },
      time: responseTime(ctx),
    });
  });

  app.post(`${base}/:entity`, async (c) => {
    const company = c.get('company');
    const name = entityNamed(c.req.param('entity'));
    if (!name) throw unsupportedOperation(new URL(c.req.url).pathname);
    const body = await jsonBody(c);
    const operation = (c.req.query('operation') ?? '').toLowerCase();
    const include = (c.req.query('include') ?? '').toLowerCase();
    const options = { allowDuplicateDocNum: include === 'allowduplicatedocnum' };
    if (operation === 'delete') {
      const deleted = ctx.ledger.delete(company, name, body);
      return c.json({ [name]: { domain: 'QBO', status: 'Deleted', Id: deleted.id }, time: responseTime(ctx) });
    }
    if (operation === 'void') {
      return c.json({ [name]: company.render(ctx.ledger.void(company, name, body)), time: responseTime(ctx) });
    }
    const isUpdate = operation === 'update' || (typeof body === 'object' && body !== null && 'Id' in body);
    const entity = isUpdate
      ? ctx.ledger.update(company, name, body, { ...options, voidPayment: include === 'void' })
      : ctx.ledger.create(company, name, body, options);
    return c.json({ [name]: company.render(entity), time: responseTime(ctx) });
  });

  app.get(`${base}/:entity/:id`, (c) => {
    const company = c.get('company');
    const name = entityNamed(c.req.param('entity'));
    if (!name) throw unsupportedOperation(new URL(c.req.url).pathname);
    return c.json({ [name]: company.render(company.get(name, c.req.param('id'))), time: responseTime(ctx) });
  });
}
