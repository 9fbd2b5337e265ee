import { expandTemplate } from './expand-template.ts';
import { issuesFromZod } from './issues-from-zod.ts';
import { templateSchema } from './template-schema.ts';
import type { Template } from './template-schema.ts';
import type { TemplateFailure } from './template-issue.ts';
import { complexityLevels } from './template-vocabulary.ts';

/** Result of {@link validateTemplate}. */
export type ValidateTemplateResult = { readonly ok: true; readonly template: Template } | TemplateFailure;

/**
 * Validates a template document (parsed JSON or YAML) against {@link templateSchema}, then expands
 * it at the highest complexity with two repetitions, alone and with each of its own regions, to
 * catch dependency cycles that only repetition or a region's anchors create. Two repetitions are
 * enough: any such cycle at a larger scale already shows between the first and the last.
 *
 * @example
 * const result = validateTemplate(YAML.parse(text));
 * if (!result.ok) for (const e of result.errors) console.log(e.code, e.path, e.message);
 */
export function validateTemplate(input: unknown): ValidateTemplateResult {
  const parsed = templateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesFromZod(parsed.error.issues) };
  const template = parsed.data;
  const complexity = complexityLevels[complexityLevels.length - 1];
  for (const region of [undefined, ...template.regions]) {
    const expanded = expandTemplate({ template, region, complexity, scale: 2 });
    if (!expanded.ok) {
      const context = region === undefined ? 'when repeated' : `with region ${region.code}`;
      return { ok: false, errors: expanded.errors.map((issue) => ({ ...issue, message: `${context}: ${issue.message}` })) };
    }
  }
  return { ok: true, template };
}
