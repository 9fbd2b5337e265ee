import type { FieldDef, SObjectSchema } from './sobject-schema.ts';

/**
 * The objects this fake serves. Standard objects carry the fields a milestone-billing connector
 * touches; each gets an external-id field so upserts can be made idempotent.
 */

function field(name: string, label: string, type: FieldDef['type'], rest: Partial<FieldDef> = {}): FieldDef {
  return { name, label, type, createable: true, updateable: true, nillable: true, custom: name.endsWith('__c'), ...rest };
}

function readOnly(name: string, label: string, type: FieldDef['type'], rest: Partial<FieldDef> = {}): FieldDef {
  return field(name, label, type, { createable: false, updateable: false, nillable: false, defaultedOnCreate: true, ...rest });
}

function auditFields(): FieldDef[] {
  return [
    readOnly('CreatedDate', 'Created Date', 'datetime'),
    readOnly('CreatedById', 'Created By ID', 'reference', { referenceTo: ['User'], relationshipName: 'CreatedBy', length: 18 }),
    readOnly('LastModifiedDate', 'Last Modified Date', 'datetime'),
    readOnly('LastModifiedById', 'Last Modified By ID', 'reference', {
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
      length: 18,
    }),
    readOnly('SystemModstamp', 'System Modstamp', 'datetime'),
  ];
}

function idField(): FieldDef {
  return readOnly('Id', 'Record ID', 'id', { length: 18 });
}

function isDeletedField(): FieldDef {
  return readOnly('IsDeleted', 'Deleted', 'boolean');
}

function ownerField(): FieldDef {
  return field('OwnerId', 'Owner ID', 'reference', {
    referenceTo: ['User'],
    relationshipName: 'Owner',
    length: 18,
    nillable: false,
    defaultedOnCreate: true,
  });
}

function hubExternalId(name: string): FieldDef {
  return field(name, 'Milestone Hub ID', 'string', { length: 64, externalId: true, unique: true, custom: true });
}

const user: SObjectSchema = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: '005',
  custom: false,
  fields: [
    idField(),
    field('Username', 'Username', 'string', { length: 80, nillable: false, unique: true }),
    field('Name', 'Full Name', 'string', { length: 121, createable: false, updateable: false }),
    field('Email', 'Email', 'email', { length: 128, nillable: false }),
    field('IsActive', 'Active', 'boolean', { nillable: false, defaultedOnCreate: true }),
    ...auditFields(),
  ],
};

const account: SObjectSchema = {
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  custom: false,
  fields: [
    idField(),
    isDeletedField(),
    field('Name', 'Account Name', 'string', { length: 255, nillable: false }),
    field('AccountNumber', 'Account Number', 'string', { length: 40 }),
    field('Type', 'Account Type', 'picklist', {
      length: 255,
      picklistValues: ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Other'],
    }),
    field('Industry', 'Industry', 'picklist', {
      length: 255,
      picklistValues: ['Construction', 'Consulting', 'Education', 'Engineering', 'Manufacturing', 'Technology', 'Other'],
    }),
    field('Phone', 'Account Phone', 'phone', { length: 40 }),
    field('Website', 'Website', 'url', { length: 255 }),
    field('BillingStreet', 'Billing Street', 'textarea', { length: 255 }),
    field('BillingCity', 'Billing City', 'string', { length: 40 }),
    field('BillingState', 'Billing State/Province', 'string', { length: 80 }),
    field('BillingPostalCode', 'Billing Zip/Postal Code', 'string', { length: 20 }),
    field('BillingCountry', 'Billing Country', 'string', { length: 80 }),
    field('Description', 'Account Description', 'textarea', { length: 32000 }),
    ownerField(),
    hubExternalId('Hub_External_Id__c'),
    ...auditFields(),
  ],
};

const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

const opportunity: SObjectSchema = {
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: '006',
  custom: false,
  fields: [
    idField(),
    isDeletedField(),
    field('AccountId', 'Account ID', 'reference', { referenceTo: ['Account'], relationshipName: 'Account', length: 18 }),
    field('Name', 'Name', 'string', { length: 120, nillable: false }),
    field('Description', 'Description', 'textarea', { length: 32000 }),
    field('StageName', 'Stage', 'picklist', {
      length: 255,
      nillable: false,
      picklistValues: OPPORTUNITY_STAGES,
      restrictedPicklist: true,
    }),
    field('Amount', 'Amount', 'currency', { precision: 18, scale: 2 }),
    field('Probability', 'Probability (%)', 'percent', { precision: 3, scale: 0, defaultedOnCreate: true }),
    field('CloseDate', 'Close Date', 'date', { nillable: false }),
    field('Type', 'Opportunity Type', 'picklist', {
      length: 255,
      picklistValues: ['Existing Customer - Upgrade', 'Existing Customer - Replacement', 'New Customer'],
    }),
    field('NextStep', 'Next Step', 'string', { length: 255 }),
    readOnly('IsClosed', 'Closed', 'boolean', { calculated: false }),
    readOnly('IsWon', 'Won', 'boolean'),
    ownerField(),
    hubExternalId('Hub_External_Id__c'),
    ...auditFields(),
  ],
};

const milestone: SObjectSchema = {
  name: 'Milestone__c',
  label: 'Milestone',
  labelPlural: 'Milestones',
  keyPrefix: 'a0X',
  custom: true,
  fields: [
    idField(),
    isDeletedField(),
    field('Name', 'Milestone Name', 'string', { length: 80, nillable: false }),
    field('Opportunity__c', 'Opportunity', 'reference', {
      referenceTo: ['Opportunity'],
      relationshipName: 'Opportunity__r',
      length: 18,
    }),
    field('Amount__c', 'Amount', 'currency', { precision: 16, scale: 2 }),
    field('Due_Date__c', 'Due Date', 'date'),
    field('Status__c', 'Status', 'picklist', {
      length: 255,
      picklistValues: ['Planned', 'In Progress', 'Completed', 'Verified', 'Invoiced', 'Paid', 'Cancelled'],
      restrictedPicklist: true,
    }),
    field('Percent_Complete__c', 'Percent Complete', 'percent', { precision: 5, scale: 2 }),
    field('Invoice_Number__c', 'Invoice Number', 'string', { length: 40 }),
    field('Verified__c', 'Verified', 'boolean', { nillable: false, defaultedOnCreate: true }),
    hubExternalId('Hub_Milestone_Id__c'),
    ownerField(),
    ...auditFields(),
  ],
};

export const SOBJECT_SCHEMAS: readonly SObjectSchema[] = [user, account, opportunity, milestone];
