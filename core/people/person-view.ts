import type { PersonDoc } from './collections.ts';

/** A person as the API and events show it. */
export interface PersonView {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  whatsapp?: string;
  channels: PersonDoc['channels'];
  managerId?: string;
  team?: string;
  department?: string;
  quietHours?: PersonDoc['quietHours'];
  locale?: string;
  apiKeyIds: string[];
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const OPTIONAL = ['email', 'phone', 'whatsapp', 'managerId', 'team', 'department', 'quietHours', 'locale'] as const;

/** The public view of a stored person. */
export function personView(doc: PersonDoc): PersonView {
  const view: PersonView = {
    id: doc._id,
    name: doc.name,
    channels: doc.channels ?? [],
    apiKeyIds: doc.apiKeyIds ?? [],
    version: doc.revision,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
  for (const field of OPTIONAL) if (doc[field] !== undefined) (view as unknown as Record<string, unknown>)[field] = doc[field];
  return view;
}
