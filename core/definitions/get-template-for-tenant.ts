import type { TenantStore } from '../store/index.ts';
import { getTemplate, type Template } from '../templates/index.ts';
import { tenantTemplatesCollection } from './collections.ts';

/** Where a template comes from: shipped with the hub, or stored by the tenant. */
export type TemplateSource = 'shipped' | 'tenant';

/** A template by id with its source; undefined when neither the hub nor the tenant has it. */
export async function findTemplate(db: TenantStore, id: string): Promise<{ template: Template; source: TemplateSource } | undefined> {
  const shipped = getTemplate(id);
  if (shipped) return { template: shipped, source: 'shipped' };
  const doc = await db.collection(tenantTemplatesCollection).findOne({ templateId: id });
  return doc ? { template: doc.template, source: 'tenant' } : undefined;
}

/**
 * A template by id: a shipped one, else one the tenant stored; undefined when neither exists.
 * Ids of tenant templates never collide with shipped ones.
 *
 * @example
 * const template = await getTemplateForTenant(db, body.templateId);
 * if (!template) throw new ApiError('not_found', { detail: `No template '${body.templateId}'` });
 */
export async function getTemplateForTenant(db: TenantStore, id: string): Promise<Template | undefined> {
  return (await findTemplate(db, id))?.template;
}
