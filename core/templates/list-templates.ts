import { expandTemplate } from './expand-template.ts';
import { loadShippedData } from './load-shipped-data.ts';
import type { ShippedData } from './load-shipped-data.ts';
import type { Region } from './region-schema.ts';
import type { Template } from './template-schema.ts';
import type { Complexity } from './template-vocabulary.ts';

/** What a template picker shows. */
export interface TemplateSummary {
  readonly id: string;
  readonly name: string;
  readonly industry: string;
  readonly complexity: Complexity;
  readonly description: string;
  /** Milestones, not counting sub-milestones, at the template's own complexity and scale 1. */
  readonly milestoneCount: number;
  /** Codes of the regions whose overlays apply to this template. */
  readonly regions: readonly string[];
}

/** What a region picker shows. */
export interface RegionSummary {
  readonly code: string;
  readonly name: string;
  /** Industries that get compliance steps; `*` when an overlay applies to every industry. */
  readonly industries: readonly string[];
}

let shipped: { readonly data: ShippedData; readonly summaries: readonly TemplateSummary[] } | undefined;

// Shipped files never change while the process runs, so they are read and checked once, on first use.
function catalogue(): { readonly data: ShippedData; readonly summaries: readonly TemplateSummary[] } {
  if (shipped !== undefined) return shipped;
  const data = loadShippedData();
  const summaries = [...data.templates.values()].map((template) => summarise(template, data.regions));
  shipped = { data, summaries };
  return shipped;
}

/** Every shipped template, in id order. Reads the data files on first call. */
export function listTemplates(): readonly TemplateSummary[] {
  return catalogue().summaries;
}

/** A shipped template by id, or undefined. */
export function getTemplate(id: string): Template | undefined {
  return catalogue().data.templates.get(id);
}

/** Every shipped region, in file order. */
export function listRegions(): readonly RegionSummary[] {
  return catalogue().data.regions.map((region) => ({
    code: region.code,
    name: region.name,
    industries: [...new Set(region.overlays.flatMap((overlay) => overlay.industries ?? ['*']))].sort(),
  }));
}

/**
 * A region by ISO 3166-2 code (`IN-MH`, any case), ready for `planFromTemplate`. Given a template,
 * the template's own overlays for that code are added to the shipped ones. Undefined when neither
 * exists.
 */
export function getRegion(code: string, template?: Template): Region | undefined {
  const wanted = code.toUpperCase();
  const shippedRegion = catalogue().data.regions.find((region) => region.code === wanted);
  const own = template?.regions.find((region) => region.code === wanted);
  if (own === undefined) return shippedRegion;
  if (shippedRegion === undefined) return own;
  return { code: wanted, name: shippedRegion.name, overlays: [...shippedRegion.overlays, ...own.overlays] };
}

function summarise(template: Template, regions: readonly Region[]): TemplateSummary {
  const expanded = expandTemplate({ template });
  const applies = (region: Region): boolean =>
    region.overlays.some((overlay) => overlay.industries === undefined || overlay.industries.includes(template.industry));
  const codes = new Set([...regions.filter(applies).map((region) => region.code), ...template.regions.map((region) => region.code)]);
  return {
    id: template.id,
    name: template.name,
    industry: template.industry,
    complexity: template.complexity,
    description: template.description,
    milestoneCount: expanded.ok ? expanded.milestones.filter((milestone) => milestone.kind === 'milestone').length : 0,
    regions: [...codes].sort(),
  };
}
