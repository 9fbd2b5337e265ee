import type { ProjectDoc } from './collections.ts';

/** A project as the API and events show it. */
export interface ProjectView {
  id: string;
  name: string;
  code?: string;
  description?: string;
  client: ProjectDoc['client'];
  contractValue: number;
  currency: 'INR';
  timeZone: string;
  status: ProjectDoc['status'];
  startDate?: string;
  tags: string[];
  customFields?: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt?: Date;
}

/** The public view of a stored project. */
export function projectView(doc: ProjectDoc): ProjectView {
  return {
    id: doc._id,
    name: doc.name,
    ...(doc.code === undefined ? {} : { code: doc.code }),
    ...(doc.description === undefined ? {} : { description: doc.description }),
    client: doc.client,
    contractValue: doc.contractValue,
    currency: doc.currency,
    timeZone: doc.timeZone,
    status: doc.status,
    ...(doc.startDate === undefined ? {} : { startDate: doc.startDate }),
    tags: doc.tags ?? [],
    ...(doc.customFields === undefined ? {} : { customFields: doc.customFields }),
    version: doc.revision,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    ...(doc.archivedAt === undefined ? {} : { archivedAt: doc.archivedAt }),
  };
}
