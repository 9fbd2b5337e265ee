import { starterRemoteSchema, type FieldSchema, type ObjectSchema } from '../../mappings/index.ts';
import type { ObjectType } from '../sdk/index.ts';
import type { SalesforceConfig } from './salesforce-settings.ts';

// The shipped starter schemas describe Opportunity and Account as jsforce returns them; the
// connector serves the same ones, so starter mappings and connections agree.
let standard: { Opportunity: ObjectSchema; Account: ObjectSchema } | undefined;
function standardSchemas(): { Opportunity: ObjectSchema; Account: ObjectSchema } {
  standard ??= {
    Opportunity: starterRemoteSchema('salesforce', 'Opportunity')!,
    Account: starterRemoteSchema('salesforce', 'Account')!,
  };
  return standard;
}

const readOnlyDate: FieldSchema = { type: 'date', readOnly: true };

/** Fields every custom object has. */
const CUSTOM_OBJECT_BASE: Readonly<Record<string, FieldSchema>> = {
  attributes: { type: 'object', readOnly: true, properties: { type: { type: 'string' }, url: { type: 'string' } } },
  Id: { type: 'string', readOnly: true },
  Name: { type: 'string' },
  OwnerId: { type: 'string' },
  CreatedDate: readOnlyDate,
  LastModifiedDate: readOnlyDate,
  SystemModstamp: readOnlyDate,
};

const SYSTEM_FIELDS: Readonly<Record<string, FieldSchema>> = {
  IsDeleted: { type: 'boolean', readOnly: true, description: 'True for a record in the recycle bin; pulls report it as a deletion.' },
};

const OPPORTUNITY_SAMPLE = {
  attributes: { type: 'Opportunity', url: '/services/data/v62.0/sobjects/Opportunity/006J8000003xYzQIAU' },
  Id: '006J8000003xYzQIAU',
  Name: 'Tower B — foundation slab',
  AccountId: '001J8000002aBcDIAU',
  StageName: 'Negotiation/Review',
  CloseDate: '2025-06-30',
  Amount: 1250000,
  Probability: 90,
  IsClosed: false,
  IsWon: false,
  IsDeleted: false,
  OwnerId: '005J8000001qRsTIAU',
  CreatedDate: '2025-03-02T09:12:44.000+0000',
  LastModifiedDate: '2025-04-01T06:30:00.000+0000',
  SystemModstamp: '2025-04-01T06:30:00.000+0000',
};

const ACCOUNT_SAMPLE = {
  attributes: { type: 'Account', url: '/services/data/v62.0/sobjects/Account/001J8000002aBcDIAU' },
  Id: '001J8000002aBcDIAU',
  Name: 'Acme Infra Pvt Ltd',
  Type: 'Customer - Direct',
  Industry: 'Construction',
  Phone: '+91 80 4000 1234',
  Website: 'https://acme-infra.example.in',
  BillingStreet: '14 MG Road',
  BillingCity: 'Bengaluru',
  BillingState: 'Karnataka',
  BillingPostalCode: '560001',
  BillingCountry: 'India',
  IsDeleted: false,
  OwnerId: '005J8000001qRsTIAU',
  CreatedDate: '2025-01-10T04:00:00.000+0000',
  LastModifiedDate: '2025-03-28T11:45:10.000+0000',
  SystemModstamp: '2025-03-28T11:45:10.000+0000',
};

function customSample(type: string): Record<string, unknown> {
  return {
    attributes: { type, url: `/services/data/v62.0/sobjects/${type}/a0XJ8000000mNoPMAU` },
    Id: 'a0XJ8000000mNoPMAU',
    Name: 'Slab casting',
    IsDeleted: false,
    OwnerId: '005J8000001qRsTIAU',
    CreatedDate: '2025-03-02T09:12:44.000+0000',
    LastModifiedDate: '2025-04-01T06:30:00.000+0000',
    SystemModstamp: '2025-04-01T06:30:00.000+0000',
  };
}

function withConfiguredFields(schema: ObjectSchema, type: string, config: SalesforceConfig): ObjectSchema {
  const extra: Record<string, FieldSchema> = {};
  for (const [name, fieldType] of Object.entries(config.extraFields?.[type] ?? {})) extra[name] = { type: fieldType };
  const marker = config.externalIdField ?? config.idempotencyField;
  if (marker !== undefined) {
    extra[marker] = {
      type: 'string',
      description: config.externalIdField !== undefined ? 'External id: creates upsert on it.' : 'Idempotency marker the connector stamps on create.',
    };
  }
  return { ...schema, properties: { ...schema.properties, ...SYSTEM_FIELDS, ...extra } };
}

/**
 * The object types of a Salesforce connection, named as Salesforce names them: the milestone
 * object (`Opportunity` or a custom one such as `Milestone__c`) and `Account` for clients.
 */
export function salesforceObjects(config: SalesforceConfig): Record<string, ObjectType> {
  const { Opportunity, Account } = standardSchemas();
  const type = config.milestoneObject;
  const milestone: ObjectType =
    type === 'Opportunity'
      ? { schema: withConfiguredFields(Opportunity, type, config), samples: [OPPORTUNITY_SAMPLE], description: 'Milestones with a payment, as opportunities' }
      : {
          schema: withConfiguredFields({ title: `Salesforce ${type}`, properties: CUSTOM_OBJECT_BASE }, type, config),
          samples: [customSample(type)],
          description: `Milestones, as the custom object ${type}`,
        };
  return {
    [type]: milestone,
    Account: { schema: withConfiguredFields(Account, 'Account', config), samples: [ACCOUNT_SAMPLE], description: 'Clients, as accounts' },
  };
}
