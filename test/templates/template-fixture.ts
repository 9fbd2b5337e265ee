import type { TemplateInput } from '../../core/templates/index.ts';

/**
 * A small valid template for tests: a → b → c in one phase, with c carrying the whole payment.
 * `change` edits a deep copy, so each test states only what it breaks.
 */
export function templateFixture(change: (template: TemplateInput) => void = () => {}): TemplateInput {
  const template: TemplateInput = {
    id: 'fixture',
    name: 'Fixture',
    industry: 'construction',
    description: 'A template made for tests.',
    complexity: 'standard',
    currency: 'INR',
    gstRate: 18,
    hsnSac: '995411',
    phases: [
      {
        key: 'only',
        title: 'Only phase',
        milestones: [
          { key: 'a', title: 'A', type: 'deliverable', category: 'work', durationDays: 1 },
          { key: 'b', title: 'B', type: 'deliverable', category: 'work', durationDays: 1, dependsOn: [{ key: 'a' }] },
          { key: 'c', title: 'C', type: 'payment', category: 'finance', durationDays: 1, paymentBasisPoints: 10_000, dependsOn: [{ key: 'b' }] },
        ],
      },
    ],
  };
  const copy = structuredClone(template);
  change(copy);
  return copy;
}
