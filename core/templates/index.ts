export { complexityLevels, milestoneTypes, dependencyTypes, verificationModes, anchorNames, weekendKinds } from './template-vocabulary.ts';
export type { Anchor, Complexity, DependencyType, MilestoneType, Verification, Weekend } from './template-vocabulary.ts';

export { templateSchema, templateShapeSchema } from './template-schema.ts';
export type { Template, TemplateInput, TemplatePhase, TemplateMilestone, TemplateSubMilestone } from './template-schema.ts';
export { regionSchema } from './region-schema.ts';
export type { Region, RegionOverlay, OverlayMilestone } from './region-schema.ts';
export type { TemplateFailure, TemplateIssue, TemplateIssueCode } from './template-issue.ts';

export { validateTemplate } from './validate-template.ts';
export type { ValidateTemplateResult } from './validate-template.ts';
export { expandTemplate, MAX_EXPANDED_ITEMS } from './expand-template.ts';
export type { ExpandTemplateOptions, ExpandTemplateResult, ExpandedTemplate, ExpandedPhase, ExpandedMilestone, PlanDependency } from './expand-template.ts';
export { planFromTemplate } from './apply-template.ts';
export type { PlanFromTemplateOptions, PlanFromTemplateResult, PlannedItem, PlannedPhase, PlannedMilestone } from './apply-template.ts';
export { listTemplates, getTemplate, listRegions, getRegion } from './list-templates.ts';
export type { TemplateSummary, RegionSummary } from './list-templates.ts';
