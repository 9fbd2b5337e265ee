export {
  workflowsCollection,
  workflowVersionsCollection,
  rulesCollection,
  customFieldsCollection,
  tenantTemplatesCollection,
} from './collections.ts';
export type { WorkflowDoc, WorkflowVersionDoc, RuleDoc, CustomFieldDoc, TenantTemplateDoc } from './collections.ts';
export type { DefinitionError, DefinitionIssue, DefinitionResult } from './definition-result.ts';

export {
  BUILT_IN_WORKFLOW_ID,
  BUILT_IN_WORKFLOW_VERSION,
  UnknownWorkflowError,
  defaultWorkflowId,
  findLatestWorkflow,
  findWorkflowVersion,
  getWorkflowForMilestone,
} from './get-workflow-for-milestone.ts';
export type { ResolvedWorkflow, WorkflowRef } from './get-workflow-for-milestone.ts';
export {
  copyWorkflow,
  createWorkflow,
  getWorkflow,
  listWorkflowVersions,
  listWorkflows,
  markDefaultWorkflow,
  publishWorkflowVersion,
  simulateTenantWorkflow,
  validateWorkflowDefinition,
} from './workflows.ts';
export type { SimulationRequest, WorkflowSummary, WorkflowVersionEntry, WorkflowVersionView } from './workflows.ts';

export { listActiveRules } from './list-active-rules.ts';
export { RULE_ID, createRule, deleteRule, dryRunRules, getRule, listRules, updateRule, validateRule } from './rules.ts';
export type { DryRun, DryRunRequest, RuleView } from './rules.ts';

export { getCustomFieldDefinitions } from './get-custom-field-definitions.ts';
export {
  MAX_CUSTOM_FIELDS,
  createCustomField,
  deleteCustomField,
  getCustomField,
  listCustomFields,
  updateCustomField,
  validateTenantCustomValues,
} from './custom-fields.ts';
export type { CustomFieldView } from './custom-fields.ts';

export { findTemplate, getTemplateForTenant } from './get-template-for-tenant.ts';
export type { TemplateSource } from './get-template-for-tenant.ts';
export {
  createTenantTemplate,
  deleteTenantTemplate,
  listTemplatesForTenant,
  previewTemplate,
  replaceTenantTemplate,
  summariseTemplate,
} from './tenant-templates.ts';
export type { PreviewOptions, TemplateListItem, TemplatePreview } from './tenant-templates.ts';
