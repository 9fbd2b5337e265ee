import { describe, expect, it } from 'vitest';
import { templateSchema, validateTemplate } from '../../core/templates/index.ts';
import type { TemplateInput, TemplateIssue } from '../../core/templates/index.ts';
import { templateFixture } from './template-fixture.ts';

function errorsOf(input: unknown): readonly TemplateIssue[] {
  const result = validateTemplate(input);
  return result.ok ? [] : result.errors;
}

function milestone(t: TemplateInput, index: number): NonNullable<TemplateInput['phases'][number]['milestones'][number]> {
  const found = t.phases[0]?.milestones[index];
  if (found === undefined) throw new Error(`fixture has no milestone ${index}`);
  return found;
}

describe('invalid templates', () => {
  it('accepts the fixture itself', () => {
    expect(errorsOf(templateFixture())).toEqual([]);
  });

  it('rejects a dependency cycle and names it', () => {
    const errors = errorsOf(templateFixture((t) => void (milestone(t, 0).dependsOn = [{ key: 'c' }])));
    expect(errors).toEqual([{ code: 'dependency-cycle', path: 'phases[0].milestones[0].dependsOn', message: 'dependency cycle: a → b → c → a' }]);
  });

  it('rejects a milestone that depends on itself', () => {
    expect(errorsOf(templateFixture((t) => void (milestone(t, 1).dependsOn = [{ key: 'b' }])))).toEqual([
      { code: 'dependency-cycle', path: 'phases[0].milestones[1].dependsOn[0].key', message: "'b' depends on itself" },
    ]);
  });

  it('rejects a cycle through a parent and its sub-milestone', () => {
    const errors = errorsOf(
      templateFixture((t) => {
        milestone(t, 1).subMilestones = [{ key: 'b-part', title: 'Part', durationDays: 1, dependsOn: [{ key: 'b' }] }];
      }),
    );
    expect(errors.map((error) => error.code)).toEqual(['dependency-cycle']);
  });

  it('rejects an unknown dependsOn key, and a dependency on a phase', () => {
    const errors = errorsOf(
      templateFixture((t) => {
        milestone(t, 1).dependsOn = [{ key: 'nowhere' }, { key: 'only' }];
      }),
    );
    expect(errors).toEqual([
      { code: 'unknown-dependency', path: 'phases[0].milestones[1].dependsOn[0].key', message: "no milestone or sub-milestone has key 'nowhere'" },
      { code: 'unknown-dependency', path: 'phases[0].milestones[1].dependsOn[1].key', message: "'only' is a phase; depend on one of its milestones instead" },
    ]);
  });

  it.each([
    [9_999, 'payments sum to 9999 bp (99.99%); they must sum to exactly 10000 bp (100%)'],
    [5_000, 'payments sum to 5000 bp (50.00%); they must sum to exactly 10000 bp (100%)'],
  ])('rejects payments that sum to %i bp', (basisPoints, message) => {
    expect(errorsOf(templateFixture((t) => void (milestone(t, 2).paymentBasisPoints = basisPoints)))).toEqual([{ code: 'payment-total', path: 'phases', message }]);
  });

  it('rejects payments above 100% spread over milestones', () => {
    const errors = errorsOf(
      templateFixture((t) => {
        milestone(t, 0).paymentBasisPoints = 5_000;
        milestone(t, 1).paymentBasisPoints = 5_001;
      }),
    );
    expect(errors.map((error) => error.code)).toEqual(['payment-total']);
    expect(errors[0]?.message).toMatch(/20001 bp \(200\.01%\)/);
  });

  it('rejects percentages instead of whole basis points', () => {
    const errors = errorsOf(templateFixture((t) => void (milestone(t, 2).paymentBasisPoints = 99.5)));
    expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'invalid-shape', path: 'phases[0].milestones[2].paymentBasisPoints' })]));
  });

  it('rejects duplicate keys across phases, milestones and sub-milestones', () => {
    const errors = errorsOf(
      templateFixture((t) => {
        milestone(t, 1).key = 'a';
        milestone(t, 2).subMilestones = [{ key: 'only', title: 'Clash', durationDays: 1 }];
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        { code: 'duplicate-key', path: 'phases[0].milestones[1].key', message: "key 'a' is already used at phases[0].milestones[0]" },
        { code: 'duplicate-key', path: 'phases[0].milestones[2].subMilestones[0].key', message: "key 'only' is already used at phases[0]" },
      ]),
    );
  });

  it('rejects payments on optional milestones and payments without tax details', () => {
    const errors = errorsOf(
      templateFixture((t) => {
        delete t.gstRate;
        milestone(t, 2).minComplexity = 'complex';
      }),
    );
    expect(errors.map((error) => [error.code, error.path])).toEqual([
      ['optional-payment', 'phases[0].milestones[2].paymentBasisPoints'],
      ['missing-tax-details', 'phases[0].milestones[2].gstRate'],
    ]);
  });

  it('rejects nested repetition, stray repeat settings and misplaced anchors', () => {
    const errors = errorsOf(
      templateFixture((t) => {
        const phase = t.phases[0];
        if (phase === undefined) return;
        phase.repeatable = true;
        milestone(t, 0).repeatable = true;
        milestone(t, 1).repeatDependency = { type: 'start-to-start' };
        milestone(t, 0).anchors = ['contract'];
        milestone(t, 1).anchors = ['contract'];
        milestone(t, 1).minComplexity = 'enterprise';
      }),
    );
    expect(errors.map((error) => [error.code, error.path])).toEqual(
      expect.arrayContaining([
        ['invalid-repeat', 'phases[0].milestones[0].repeatable'],
        ['invalid-repeat', 'phases[0].milestones[1].repeatDependency'],
        ['invalid-anchor', 'phases[0].milestones[1].anchors[0]'],
      ]),
    );
  });

  it('rejects a cycle that only repetition creates', () => {
    // x waits for the last s; every q waits for x; repetition 2 starts (p:2) after repetition 1's
    // last milestones (q:1 and s:1). So s:2 → x → q:1 → p:2 → s:2, though the template alone has no cycle.
    const input = templateFixture((t) => {
      milestone(t, 2).dependsOn = [{ key: 'b' }, { key: 's' }];
      t.phases.push({
        key: 'looping',
        title: 'Looping',
        repeatable: true,
        milestones: [
          { key: 'p', title: 'P', type: 'deliverable', category: 'work', durationDays: 1 },
          { key: 'q', title: 'Q', type: 'deliverable', category: 'work', durationDays: 1, dependsOn: [{ key: 'c' }] },
          { key: 's', title: 'S', type: 'deliverable', category: 'work', durationDays: 1, dependsOn: [{ key: 'p' }] },
        ],
      });
    });
    expect(templateSchema.safeParse(input).success).toBe(true);
    expect(errorsOf(input)).toEqual([expect.objectContaining({ code: 'dependency-cycle', message: expect.stringMatching(/^when repeated: dependency cycle: .*q:1/) })]);
  });

  it('reports shape problems with their paths', () => {
    const errors = errorsOf(
      templateFixture((t) => {
        t.currency = 'USD' as 'INR';
        t.hsnSac = '99541';
        milestone(t, 0).key = 'Site Survey';
        milestone(t, 1).dependsOn = [{ key: 'a', type: 'finish-to-finish' as 'finish-to-start' }];
        (milestone(t, 2) as Record<string, unknown>)['dependOn'] = [];
        milestone(t, 2).durationDays = -1;
      }),
    );
    expect(errors.every((error) => error.code === 'invalid-shape')).toBe(true);
    expect(errors.map((error) => error.path)).toEqual(
      expect.arrayContaining([
        'currency',
        'hsnSac',
        'phases[0].milestones[0].key',
        'phases[0].milestones[1].dependsOn[0].type',
        'phases[0].milestones[2]',
        'phases[0].milestones[2].durationDays',
      ]),
    );
    expect(errors.find((error) => error.path === 'hsnSac')?.message).toBe('must be a 4, 6 or 8 digit HSN or SAC code, as a string');
  });

  it('rejects things that are not templates at all', () => {
    expect(errorsOf(null)).toEqual([expect.objectContaining({ code: 'invalid-shape', path: '' })]);
    expect(errorsOf({ phases: [] }).length).toBeGreaterThan(3);
  });

  it('exposes the same rules through the zod schema', () => {
    const result = templateSchema.safeParse(templateFixture((t) => void (milestone(t, 2).paymentBasisPoints = 1)));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'custom', params: { code: 'payment-total' } });
  });
});
