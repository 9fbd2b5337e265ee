import { describe, expect, it } from 'vitest';
import { getTemplateForTenant } from '../../core/definitions/index.ts';
import { listTemplates } from '../../core/templates/index.ts';
import { testApp } from '../helpers/test-services.ts';
import { templateFixture } from '../templates/template-fixture.ts';
import { countDefinitionDocuments, keyWithRole } from './definitions-fixtures.ts';

type Problem = { status: number; code: string; detail: string; errors?: { path: string; message: string; code?: string }[] };
type Summary = { id: string; name: string; industry: string; complexity: string; description: string; milestoneCount: number; regions: string[]; source: string };
type PlanItem = { kind: string; key: string; plannedStart: string; dueDate: string; payment?: { amount: number } };
type Preview = {
  templateId: string;
  source: string;
  complexity: string;
  scale: number;
  region?: string;
  totals: { phases: number; milestones: number; subMilestones: number; payments: number; amount: number; start?: string; finish?: string };
  items: PlanItem[];
};

const SHIPPED = 'construction-residential-building';
const own = (id = 'acme-fit-out') =>
  templateFixture((t) => {
    t.id = id;
    t.name = 'Acme office fit-out';
  });

async function setup() {
  const t = testApp();
  const acme = await t.tenant('acme');
  return { ...t, key: acme.key, tenantId: acme.id };
}

describe('templates', () => {
  it('lists the shipped templates with what a picker shows', async () => {
    const { call, key } = await setup();
    const res = await call('GET', '/v1/templates', { key });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Summary[] };
    expect(items).toHaveLength(listTemplates().length);
    expect(new Set(items.map((i) => i.industry)).size).toBe(10);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['complexity', 'description', 'id', 'industry', 'milestoneCount', 'name', 'regions', 'source']);
      expect(item.source).toBe('shipped');
      expect(item.milestoneCount).toBeGreaterThan(0);
    }
    expect(items.find((i) => i.id === SHIPPED)?.regions).toContain('IN-MH');
  });

  it('returns a template in full, and 404 for an unknown id', async () => {
    const { call, key } = await setup();
    const res = await call('GET', `/v1/templates/${SHIPPED}`, { key });
    expect(res.status).toBe(200);
    const template = (await res.json()) as { id: string; source: string; phases: { milestones: unknown[] }[] };
    expect(template).toMatchObject({ id: SHIPPED, source: 'shipped', industry: 'construction' });
    expect(template.phases.length).toBeGreaterThan(1);
    const missing = await call('GET', '/v1/templates/no-such-template', { key });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as Problem).code).toBe('not_found');
    expect((await call('GET', '/v1/templates/no-such-template/preview?startDate=2025-04-01&contractValue=100', { key })).status).toBe(404);
  });

  it('previews a dated plan whose payments add up to the paisa, writing nothing', async () => {
    const { call, key, services } = await setup();
    const before = await countDefinitionDocuments(services.store);
    const contractValue = 4_99_99_999_97;
    const res = await call('GET', `/v1/templates/${SHIPPED}/preview?startDate=2025-04-01&contractValue=${contractValue}&scale=3&region=in-mh&complexity=complex`, { key });
    expect(res.status).toBe(200);
    const plan = (await res.json()) as Preview;
    expect(plan).toMatchObject({ templateId: SHIPPED, source: 'shipped', complexity: 'complex', scale: 3, region: 'IN-MH' });
    const paid = plan.items.reduce((sum, item) => sum + (item.payment?.amount ?? 0), 0);
    expect(paid).toBe(contractValue);
    expect(plan.totals.amount).toBe(contractValue);
    expect(plan.totals.milestones).toBe(plan.items.filter((i) => i.kind === 'milestone').length);
    expect(plan.items.some((i) => i.key.startsWith('in-mh:'))).toBe(true);
    expect(plan.totals.start! >= '2025-04-01').toBe(true);
    expect(plan.items.every((i) => i.plannedStart <= i.dueDate)).toBe(true);
    expect(await countDefinitionDocuments(services.store)).toEqual(before);

    const plain = (await (await call('GET', `/v1/templates/${SHIPPED}/preview?startDate=2025-04-01&contractValue=100000`, { key })).json()) as Preview;
    expect(plain.scale).toBe(1);
    expect(plain.region).toBeUndefined();
    expect(plain.totals.amount).toBe(100000);
  });

  it('refuses bad preview parameters with 400 naming the parameter', async () => {
    const { call, key } = await setup();
    const preview = async (query: string) => {
      const res = await call('GET', `/v1/templates/${SHIPPED}/preview?${query}`, { key });
      return { status: res.status, body: (await res.json()) as Problem };
    };
    const cases: [string, string][] = [
      ['contractValue=100', 'query.startDate'],
      ['startDate=2025-04-01', 'query.contractValue'],
      ['startDate=01-04-2025&contractValue=100', 'query.startDate'],
      ['startDate=2025-02-30&contractValue=100', 'query.startDate'],
      ['startDate=2025-04-01&contractValue=0', 'query.contractValue'],
      ['startDate=2025-04-01&contractValue=12.50', 'query.contractValue'],
      ['startDate=2025-04-01&contractValue=-5', 'query.contractValue'],
      ['startDate=2025-04-01&contractValue=99999999999999999', 'query.contractValue'],
      ['startDate=2025-04-01&contractValue=100&scale=0', 'query.scale'],
      ['startDate=2025-04-01&contractValue=100&scale=many', 'query.scale'],
      ['startDate=2025-04-01&contractValue=100&scale=5000', 'query.scale'],
      ['startDate=2025-04-01&contractValue=100&complexity=huge', 'query.complexity'],
      ['startDate=2025-04-01&contractValue=100&region=IN-ZZ', 'query.region'],
      ['startDate=2025-04-01&contractValue=100&region=Maharashtra', 'query.region'],
    ];
    for (const [query, path] of cases) {
      const { status, body } = await preview(query);
      expect(status, query).toBe(400);
      expect(body.errors?.map((e) => e.path), query).toContain(path);
    }
  });

  it('lists regions', async () => {
    const { call, key } = await setup();
    const { items } = (await (await call('GET', '/v1/regions', { key })).json()) as { items: { code: string; name: string; industries: string[] }[] };
    expect(items.find((r) => r.code === 'IN-MH')).toMatchObject({ name: 'Maharashtra' });
    expect(items.find((r) => r.code === 'IN-MH')?.industries).toContain('construction');
  });

  it('stores tenant templates, lists them alongside shipped ones and plans from them', async () => {
    const { call, key, services, tenantId } = await setup();
    const res = await call('POST', '/v1/templates', { key, body: own() });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: 'acme-fit-out', source: 'tenant', name: 'Acme office fit-out' });

    const { items } = (await (await call('GET', '/v1/templates', { key })).json()) as { items: Summary[] };
    expect(items).toHaveLength(listTemplates().length + 1);
    expect(items.find((i) => i.id === 'acme-fit-out')).toMatchObject({ source: 'tenant', industry: 'construction', milestoneCount: 3, complexity: 'standard' });
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort());

    expect(await (await call('GET', '/v1/templates/acme-fit-out', { key })).json()).toMatchObject({ source: 'tenant', phases: [{ key: 'only' }] });
    const plan = (await (await call('GET', '/v1/templates/acme-fit-out/preview?startDate=2025-04-07&contractValue=1000001', { key })).json()) as Preview;
    expect(plan.items.map((i) => i.key)).toEqual(['only', 'a', 'b', 'c']);
    expect(plan.items.find((i) => i.key === 'c')?.payment?.amount).toBe(1000001);

    const db = services.store.forTenant(tenantId);
    expect((await getTemplateForTenant(db, 'acme-fit-out'))?.name).toBe('Acme office fit-out');
    expect((await getTemplateForTenant(db, SHIPPED))?.id).toBe(SHIPPED);
    expect(await getTemplateForTenant(db, 'nothing')).toBeUndefined();

    const replaced = await call('PUT', '/v1/templates/acme-fit-out', { key, body: templateFixture((t) => { t.id = 'acme-fit-out'; t.name = 'Renamed'; }) });
    expect(replaced.status).toBe(200);
    expect(((await (await call('GET', '/v1/templates/acme-fit-out', { key })).json()) as { name: string }).name).toBe('Renamed');
    expect((await call('DELETE', '/v1/templates/acme-fit-out', { key })).status).toBe(204);
    expect((await call('GET', '/v1/templates/acme-fit-out', { key })).status).toBe(404);
    expect((await call('DELETE', '/v1/templates/acme-fit-out', { key })).status).toBe(404);
    expect((await call('PUT', '/v1/templates/acme-fit-out', { key, body: own() })).status).toBe(404);
  });

  it('refuses invalid and colliding tenant templates', async () => {
    const { call, key } = await setup();
    const shippedId = await call('POST', '/v1/templates', { key, body: templateFixture((t) => { t.id = SHIPPED; }) });
    expect(shippedId.status).toBe(409);
    expect(((await shippedId.json()) as Problem).detail).toMatch(/shipped/);
    expect((await call('POST', '/v1/templates', { key, body: own() })).status).toBe(201);
    expect((await call('POST', '/v1/templates', { key, body: own() })).status).toBe(409);

    const split = await call('POST', '/v1/templates', {
      key,
      body: templateFixture((t) => {
        t.id = 'bad-split';
        t.phases[0]!.milestones[2]!.paymentBasisPoints = 9_000;
      }),
    });
    expect(split.status).toBe(422);
    expect(((await split.json()) as Problem).errors?.[0]?.code).toBe('payment-total');

    const cycle = await call('POST', '/v1/templates', {
      key,
      body: templateFixture((t) => {
        t.id = 'cyclic';
        t.phases[0]!.milestones[0]!.dependsOn = [{ key: 'c' }];
      }),
    });
    expect(cycle.status).toBe(422);
    expect(((await cycle.json()) as Problem).errors?.[0]?.code).toBe('dependency-cycle');

    const shape = await call('POST', '/v1/templates', { key, body: { id: 'Bad Id', name: 'x' } });
    expect(shape.status).toBe(422);
    expect(((await shape.json()) as Problem).errors?.some((e) => e.path === 'body.id')).toBe(true);

    expect((await call('PUT', `/v1/templates/${SHIPPED}`, { key, body: own(SHIPPED) })).status).toBe(409);
    expect((await call('DELETE', `/v1/templates/${SHIPPED}`, { key })).status).toBe(409);
    expect((await call('PUT', '/v1/templates/acme-fit-out', { key, body: own('other-id') })).status).toBe(422);
  });

  it('lets only admins store templates; everyone browses and previews', async () => {
    const { call, key } = await setup();
    await call('POST', '/v1/templates', { key, body: own() });
    for (const role of ['manager', 'owner', 'viewer', 'integration'] as const) {
      const k = await keyWithRole(call, key, role);
      expect((await call('GET', '/v1/templates', { key: k })).status).toBe(200);
      expect((await call('GET', '/v1/regions', { key: k })).status).toBe(200);
      expect((await call('GET', '/v1/templates/acme-fit-out/preview?startDate=2025-04-01&contractValue=100', { key: k })).status).toBe(200);
      expect((await call('POST', '/v1/templates', { key: k, body: own(`by-${role}`) })).status).toBe(403);
      expect((await call('PUT', '/v1/templates/acme-fit-out', { key: k, body: own() })).status).toBe(403);
      expect((await call('DELETE', '/v1/templates/acme-fit-out', { key: k })).status).toBe(403);
    }
    expect((await call('GET', '/v1/templates')).status).toBe(401);
  });

  it("answers 404 for another tenant's templates", async () => {
    const { call, key, tenant, services } = await setup();
    await call('POST', '/v1/templates', { key, body: own() });
    const other = await tenant('beta');
    expect((await call('GET', '/v1/templates/acme-fit-out', { key: other.key })).status).toBe(404);
    expect((await call('GET', '/v1/templates/acme-fit-out/preview?startDate=2025-04-01&contractValue=100', { key: other.key })).status).toBe(404);
    expect((await call('PUT', '/v1/templates/acme-fit-out', { key: other.key, body: own() })).status).toBe(404);
    expect((await call('DELETE', '/v1/templates/acme-fit-out', { key: other.key })).status).toBe(404);
    const { items } = (await (await call('GET', '/v1/templates', { key: other.key })).json()) as { items: Summary[] };
    expect(items.map((i) => i.id)).not.toContain('acme-fit-out');
    expect(await getTemplateForTenant(services.store.forTenant(other.id), 'acme-fit-out')).toBeUndefined();
    expect((await call('POST', '/v1/templates', { key: other.key, body: own() })).status).toBe(201);
  });
});
