import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { expandTemplate } from './expand-template.ts';
import { issuesFromZod } from './issues-from-zod.ts';
import { regionCatalogueSchema } from './region-catalogue-schema.ts';
import type { Region } from './region-schema.ts';
import type { Template } from './template-schema.ts';
import type { TemplateIssue } from './template-issue.ts';
import { validateTemplate } from './validate-template.ts';

const DATA_DIR = new URL('./data/', import.meta.url);

/** The templates and regions shipped under `data/`, validated. */
export interface ShippedData {
  /** By id, in file-name order. */
  readonly templates: ReadonlyMap<string, Template>;
  readonly regions: readonly Region[];
}

/**
 * Reads and validates every shipped data file, and checks that every template plans with every
 * region that applies to it. Invalid shipped data is a bug in this repository, so it throws.
 */
export function loadShippedData(): ShippedData {
  const templates = new Map<string, Template>();
  const files = readdirSync(new URL('templates/', DATA_DIR)).filter((file) => file.endsWith('.yaml')).sort();
  for (const file of files) {
    const result = validateTemplate(readYaml(`templates/${file}`));
    if (!result.ok) throw new Error(`data/templates/${file} is invalid:\n${describe(result.errors)}`);
    if (`${result.template.id}.yaml` !== file) throw new Error(`data/templates/${file} holds template '${result.template.id}'; name the file after its id`);
    templates.set(result.template.id, result.template);
  }
  const catalogue = regionCatalogueSchema.safeParse(readYaml('regional-overlays.yaml'));
  if (!catalogue.success) throw new Error(`data/regional-overlays.yaml is invalid:\n${describe(issuesFromZod(catalogue.error.issues))}`);
  const regions = catalogue.data.regions;
  for (const template of templates.values()) {
    for (const region of regions) {
      const expanded = expandTemplate({ template, region, complexity: 'enterprise', scale: 2 });
      if (!expanded.ok) throw new Error(`template '${template.id}' with region ${region.code}:\n${describe(expanded.errors)}`);
    }
  }
  return { templates, regions };
}

function readYaml(path: string): unknown {
  return parse(readFileSync(new URL(path, DATA_DIR), 'utf8'));
}

function describe(errors: readonly TemplateIssue[]): string {
  return errors.map((issue) => `  ${issue.code} at ${issue.path || '(root)'}: ${issue.message}`).join('\n');
}
