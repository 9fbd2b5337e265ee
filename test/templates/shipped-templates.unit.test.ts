import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { anchorNames, getTemplate, listRegions, listTemplates, validateTemplate } from '../../core/templates/index.ts';
import type { Template } from '../../core/templates/index.ts';

const dataDir = new URL('../../core/templates/data/templates/', import.meta.url);
const files = readdirSync(dataDir).filter((file) => file.endsWith('.yaml'));

function paymentTotal(template: Template): number {
  let total = 0;
  for (const phase of template.phases) {
    for (const milestone of phase.milestones) {
      total += milestone.paymentBasisPoints ?? 0;
      for (const sub of milestone.subMilestones) total += sub.paymentBasisPoints ?? 0;
    }
  }
  return total;
}

describe('shipped templates', () => {
  it('ships one template for each of the ten industries', () => {
    const industries = listTemplates().map((summary) => summary.industry).sort();
    expect(industries).toEqual([
      'agriculture',
      'construction',
      'education',
      'financial-services',
      'healthcare',
      'it-services',
      'logistics',
      'manufacturing',
      'retail',
      'textiles',
    ]);
    expect(files).toHaveLength(10);
  });

  it.each(files)('%s validates and its payments sum to exactly 10000 bp', (file) => {
    const result = validateTemplate(parse(readFileSync(new URL(file, dataDir), 'utf8')));
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(`${result.template.id}.yaml`).toBe(file);
    expect(paymentTotal(result.template)).toBe(10_000);
  });

  it.each(files)('%s defines every anchor and has tax details on every payment', (file) => {
    const template = getTemplate(file.replace(/\.yaml$/, ''));
    expect(template).toBeDefined();
    if (template === undefined) return;
    const anchors = template.phases.flatMap((phase) => phase.milestones.flatMap((milestone) => milestone.anchors));
    expect([...anchors].sort()).toEqual([...anchorNames].sort());
    for (const phase of template.phases) {
      for (const milestone of phase.milestones) {
        if (milestone.paymentBasisPoints === undefined) continue;
        expect(milestone.gstRate ?? template.gstRate).toBeTypeOf('number');
        expect(milestone.hsnSac ?? template.hsnSac).toMatch(/^\d{4}(\d{2}){0,2}$/);
      }
    }
  });

  it('lists every template with a milestone count of 8 to 25 at scale 1 and every shipped region', () => {
    const regions = listRegions().map((region) => region.code);
    expect(regions).toEqual(expect.arrayContaining(['IN-MH', 'IN-KA', 'IN-TN', 'IN-DL', 'IN-GJ', 'IN-TG', 'IN-UP', 'IN-WB', 'IN-KL', 'IN-RJ']));
    for (const summary of listTemplates()) {
      expect(summary.milestoneCount, summary.id).toBeGreaterThanOrEqual(8);
      expect(summary.milestoneCount, summary.id).toBeLessThanOrEqual(25);
      expect(summary.name.length).toBeGreaterThan(0);
      expect(summary.description.length).toBeGreaterThan(0);
      expect(summary.regions).toEqual(expect.arrayContaining(['IN-MH', 'IN-KA']));
    }
  });

  it('uses the GST rates and codes the data files document', () => {
    expect(getTemplate('construction-residential-building')?.hsnSac).toBe('995411');
    expect(getTemplate('it-services-software-delivery')?.hsnSac).toBe('998314');
    expect(getTemplate('textiles-garment-job-work')?.gstRate).toBe(5);
    expect(getTemplate('agriculture-contract-farming-season')?.gstRate).toBe(0);
  });

  it('reads the data files once', () => {
    expect(listTemplates()).toBe(listTemplates());
    expect(getTemplate('retail-store-rollout')).toBe(getTemplate('retail-store-rollout'));
  });

  it('returns undefined for an unknown template id', () => {
    expect(getTemplate('no-such-template')).toBeUndefined();
  });
});
