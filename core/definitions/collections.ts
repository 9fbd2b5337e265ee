import type { CustomFieldDefinition } from '../custom-fields/index.ts';
import type { RuleAction, RuleEvent } from '../rules/index.ts';
import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Template } from '../templates/index.ts';
import type { Condition, Workflow } from '../workflow/index.ts';

/**
 * A tenant workflow's head: its name and whether it is the tenant's default. The definitions
 * themselves live in {@link workflowVersionsCollection}, one immutable document per version.
 */
export interface WorkflowDoc extends BaseDoc {
  workflowId: string;
  name: string;
  description?: string;
  /** Highest published version; the versions collection is the source of truth. */
  latestVersion: number;
  /** Set when the workflow was marked the tenant's default; the most recent mark wins. */
  defaultSince?: Date;
}

export const workflowsCollection: CollectionDef<WorkflowDoc> = {
  name: 'workflows',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, workflowId: 1 }, unique: true }],
};

/**
 * One published version of a workflow. Never updated: a change is a new version, so milestones
 * that started on a version keep its exact rules. (`version` is the store's own counter, hence
 * `workflowVersion`.)
 */
export interface WorkflowVersionDoc extends BaseDoc {
  workflowId: string;
  workflowVersion: number;
  definition: Workflow;
  createdBy?: string;
}

export const workflowVersionsCollection: CollectionDef<WorkflowVersionDoc> = {
  name: 'workflow_versions',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, workflowId: 1, workflowVersion: 1 }, unique: true }],
};

/** A tenant's business rule, stored flat so the store can select by event and state. */
export interface RuleDoc extends BaseDoc {
  ruleId: string;
  name: string;
  enabled: boolean;
  when: { event: RuleEvent; condition?: Condition };
  then: RuleAction[];
  priority: number;
}

export const rulesCollection: CollectionDef<RuleDoc> = {
  name: 'rules',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, ruleId: 1 }, unique: true }, { fields: { tenantId: 1, 'when.event': 1 } }],
};

/** A custom field definition; `key` is unique per tenant and `appliesTo`. */
export type CustomFieldDoc = BaseDoc & CustomFieldDefinition;

export const customFieldsCollection: CollectionDef<CustomFieldDoc> = {
  name: 'custom_fields',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, appliesTo: 1, key: 1 }, unique: true }],
};

/** A template a tenant wrote, validated like the shipped ones; its id never names a shipped one. */
export interface TenantTemplateDoc extends BaseDoc {
  templateId: string;
  template: Template;
  createdBy?: string;
}

export const tenantTemplatesCollection: CollectionDef<TenantTemplateDoc> = {
  name: 'tenant_templates',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, templateId: 1 }, unique: true }],
};
