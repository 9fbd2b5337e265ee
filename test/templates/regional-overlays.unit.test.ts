import { describe, expect, it } from 'vitest';
import { getRegion, getTemplate, listRegions, planFromTemplate, regionSchema, validateTemplate } from '../../core/templates/index.ts';
import type { PlannedItem, PlannedMilestone, Template } from '../../core/templates/index.ts';
import { templateFixture } from './template-fixture.ts';

function mustGet(id: string): Template {
  const template = getTemplate(id);
  if (template === undefined) throw new Error(`missing shipped template ${id}`);
  return template;
}

function work(rows: readonly PlannedItem[]): Map<string, PlannedMilestone> {
  return new Map(rows.filter((row): row is PlannedMilestone => row.kind !== 'phase').map((row) => [row.key, row]));
}

const base = { startDate: '2025-04-01', contractValue: 2_50_00_000_00 };

describe('regional overlays', () => {
  it('adds Maharashtra’s construction steps and holds site mobilisation until they are done', () => {
    const plan = planFromTemplate({ template: mustGet('construction-residential-building'), region: getRegion('IN-MH'), ...base });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const rows = work(plan.milestones);
    const added = [...rows.values()].filter((row) => row.region === 'IN-MH');
    expect(added.map((row) => row.key)).toEqual(
      expect.arrayContaining(['in-mh:maharera-registration', 'in-mh:building-permission', 'in-mh:bocw-registration', 'in-mh:maharera-progress-reports']),
    );
    expect(added.every((row) => row.type === 'compliance' && row.payment === undefined && row.parentKey === 'region:in-mh')).toBe(true);
    expect(plan.milestones.find((row) => row.key === 'region:in-mh')).toMatchObject({ kind: 'phase', title: 'Regional compliance — Maharashtra' });
    const mobilisation = rows.get('site-mobilisation');
    for (const key of ['in-mh:maharera-registration', 'in-mh:building-permission', 'in-mh:bocw-registration']) {
      expect(mobilisation?.dependencies).toContainEqual({ onKey: key, type: 'finish-to-start', lagDays: 0 });
      expect((mobilisation?.plannedStart ?? '') > (rows.get(key)?.dueDate ?? '9999')).toBe(true);
    }
    // Quarterly reports run from the start of work and must be filed before handover.
    expect(rows.get('in-mh:maharera-progress-reports')?.dependencies).toContainEqual({ onKey: 'site-mobilisation', type: 'finish-to-start', lagDays: 0 });
    expect(rows.get('building-handover')?.dependencies).toContainEqual({ onKey: 'in-mh:maharera-progress-reports', type: 'finish-to-start', lagDays: 0 });
  });

  it.each([
    ['IN-KA', 'construction-residential-building', 'in-ka:plan-sanction', /BBMP/],
    ['IN-DL', 'manufacturing-component-supply', 'in-dl:consent-to-establish', /Delhi Pollution Control Committee/],
    ['IN-TN', 'textiles-garment-job-work', 'in-tn:consent-to-operate', /TNPCB/],
    ['IN-GJ', 'retail-store-rollout', 'in-gj:shops-establishments', /Gujarat Shops and Establishments/],
    ['IN-WB', 'healthcare-diagnostic-centre-setup', 'in-wb:clinical-establishment-licence', /West Bengal Clinical Establishments/],
    ['IN-UP', 'agriculture-contract-farming-season', 'in-up:fssai-licence', /FSSAI/],
    ['IN-KL', 'logistics-warehousing-3pl', 'in-kl:headload-workers', /Kerala Headload Workers Act/],
    ['IN-RJ', 'manufacturing-component-supply', 'in-rj:factory-licence', /Rajasthan/],
    ['IN-TG', 'education-corporate-training-programme', 'in-tg:shops-establishments', /Telangana Shops and Establishments Act/],
  ])('%s adds its step to %s', (code, id, key, title) => {
    const plan = planFromTemplate({ template: mustGet(id), region: getRegion(code), ...base });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    expect(work(plan.milestones).get(key)?.title).toMatch(title);
  });

  it('gates every repetition of a repeated anchor', () => {
    // Stores open (operations-start) only after Shops and Establishments registration.
    const plan = planFromTemplate({ template: mustGet('retail-store-rollout'), region: getRegion('IN-KA'), scale: 3, ...base });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const rows = work(plan.milestones);
    for (const n of [1, 2, 3]) {
      expect(rows.get(`store-launch:${n}`)?.dependencies).toContainEqual({ onKey: 'in-ka:shops-establishments', type: 'finish-to-start', lagDays: 0 });
    }
  });

  it('adds only the steps for the template’s industry', () => {
    const plan = planFromTemplate({ template: mustGet('it-services-software-delivery'), region: getRegion('IN-MH'), ...base });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const added = [...work(plan.milestones).values()].filter((row) => row.region !== undefined).map((row) => row.key);
    expect(added).toEqual(['in-mh:shops-establishments']);
  });

  it('drops optional region steps below their complexity', () => {
    const template = mustGet('construction-residential-building');
    const simple = planFromTemplate({ template, region: getRegion('IN-KA'), complexity: 'simple', ...base });
    const standard = planFromTemplate({ template, region: getRegion('IN-KA'), complexity: 'standard', ...base });
    if (!simple.ok || !standard.ok) throw new Error('plan failed');
    expect(work(simple.milestones).has('in-ka:consent-for-establishment')).toBe(false);
    expect(work(standard.milestones).has('in-ka:consent-for-establishment')).toBe(true);
  });

  it('finds regions by code in any case and merges a template’s own overlays', () => {
    expect(getRegion('in-mh')?.name).toBe('Maharashtra');
    expect(getRegion('IN-ZZ')).toBeUndefined();
    expect(listRegions()).toHaveLength(10);
    const own = validateTemplate(
      templateFixture((t) => {
        const first = t.phases[0]?.milestones[0];
        if (first !== undefined) first.anchors = ['work-start'];
        t.regions = [
          { code: 'IN-MH', name: 'Maharashtra', overlays: [{ milestones: [{ key: 'society-noc', title: 'Housing society NOC', durationDays: 5, before: ['work-start'] }] }] },
          { code: 'IN-GA', name: 'Goa', overlays: [{ milestones: [{ key: 'panchayat-licence', title: 'Village panchayat construction licence', durationDays: 10 }] }] },
        ];
      }),
    );
    if (!own.ok) throw new Error(JSON.stringify(own.errors));
    const merged = getRegion('IN-MH', own.template);
    const plan = planFromTemplate({ template: own.template, region: merged, ...base });
    if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
    const rows = work(plan.milestones);
    expect(rows.has('in-mh:society-noc')).toBe(true);
    expect(rows.has('in-mh:maharera-registration')).toBe(true);
    expect(rows.get('a')?.dependencies).toContainEqual({ onKey: 'in-mh:society-noc', type: 'finish-to-start', lagDays: 0 });
    expect(getRegion('IN-GA', own.template)?.name).toBe('Goa');
    expect(getRegion('IN-GA')).toBeUndefined();
  });

  it('rejects a region with clashing keys, unknown dependencies, cycles or a bad code', () => {
    const result = regionSchema.safeParse({
      code: 'Maharashtra',
      name: 'Maharashtra',
      overlays: [
        {
          industries: ['construction'],
          milestones: [
            { key: 'x', title: 'X', durationDays: 1, dependsOn: [{ key: 'y' }] },
            { key: 'y', title: 'Y', durationDays: 1, dependsOn: [{ key: 'x' }] },
            { key: 'z', title: 'Z', durationDays: 1, dependsOn: [{ key: 'nowhere' }], after: 'handover', before: ['handover'] },
          ],
        },
        { industries: ['construction', 'retail'], milestones: [{ key: 'x', title: 'X again', durationDays: 1 }] },
        { industries: ['textiles'], milestones: [{ key: 'y', title: 'Y for textiles', durationDays: 1 }] },
      ],
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? [];
    expect(issues).toEqual(
      expect.arrayContaining([
        ['code', 'must be an ISO 3166-2 code such as IN-MH'],
        ['overlays.1.milestones.0.key', expect.stringMatching(/key 'x' is already used at overlays\[0\]\.milestones\[0\]/)],
        ['overlays.0.milestones.2.dependsOn.0.key', "'nowhere' is not a milestone of this overlay"],
        ['overlays.0.milestones.2.before', "cannot be both after and before the 'handover' anchor"],
      ]),
    );
    // Overlays for disjoint industries may reuse a key.
    expect(issues.some(([path]) => path === 'overlays.2.milestones.0.key')).toBe(false);
  });

  it('rejects a cycle inside an overlay', () => {
    const result = regionSchema.safeParse({
      code: 'IN-MH',
      name: 'Maharashtra',
      overlays: [{ milestones: [{ key: 'x', title: 'X', durationDays: 1, dependsOn: [{ key: 'y' }] }, { key: 'y', title: 'Y', durationDays: 1, dependsOn: [{ key: 'x' }] }] }],
    });
    expect(result.error?.issues).toEqual([expect.objectContaining({ message: 'dependency cycle: x → y → x', params: { code: 'dependency-cycle' } })]);
  });
});
