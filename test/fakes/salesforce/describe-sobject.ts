import type { FieldDef, SObjectSchema } from './sobject-schema.ts';

/** Builds Salesforce's describe payloads from the fake's schema data. */

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  email: 'xsd:string',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

function urls(schema: SObjectSchema, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${schema.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

export function describeBasics(schema: SObjectSchema, version: string): Record<string, unknown> {
  const isUser = schema.name === 'User';
  return {
    name: schema.name,
    label: schema.label,
    labelPlural: schema.labelPlural,
    keyPrefix: schema.keyPrefix,
    custom: schema.custom,
    customSetting: false,
    createable: !isUser,
    updateable: !isUser,
    deletable: !isUser,
    queryable: true,
    retrieveable: true,
    searchable: true,
    undeletable: !isUser,
    triggerable: true,
    replicateable: true,
    layoutable: true,
    mergeable: schema.name === 'Account',
    feedEnabled: false,
    activateable: false,
    deprecatedAndHidden: false,
    urls: urls(schema, version),
  };
}

export function describeField(f: FieldDef): Record<string, unknown> {
  const lengthLike = ['string', 'textarea', 'picklist', 'phone', 'url', 'email', 'id', 'reference'].includes(f.type);
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: SOAP_TYPES[f.type],
    length: lengthLike ? (f.length ?? 255) : 0,
    byteLength: lengthLike ? (f.length ?? 255) * 3 : 0,
    precision: f.precision ?? 0,
    scale: f.scale ?? 0,
    digits: f.type === 'int' ? 9 : 0,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    defaultedOnCreate: Boolean(f.defaultedOnCreate),
    externalId: Boolean(f.externalId),
    unique: Boolean(f.unique),
    idLookup: f.name === 'Id' || Boolean(f.externalId),
    caseSensitive: Boolean(f.caseSensitive),
    custom: Boolean(f.custom),
    calculated: Boolean(f.calculated),
    nameField: f.name === 'Name',
    autoNumber: false,
    filterable: true,
    sortable: f.type !== 'textarea',
    groupable: !['textarea', 'currency', 'double', 'percent', 'datetime'].includes(f.type),
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    picklistValues: (f.picklistValues ?? []).map((value) => ({ active: true, defaultValue: false, label: value, validFor: null, value })),
    restrictedPicklist: Boolean(f.restrictedPicklist),
    defaultValue: null,
    cascadeDelete: false,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    htmlFormatted: false,
    inlineHelpText: null,
    polymorphicForeignKey: false,
  };
}

export function describeSObject(schema: SObjectSchema, all: readonly SObjectSchema[], version: string): Record<string, unknown> {
  const childRelationships = all.flatMap((child) =>
    child.fields
      .filter((f) => f.type === 'reference' && f.relationshipName && f.referenceTo?.includes(schema.name))
      .filter((f) => !['CreatedById', 'LastModifiedById', 'OwnerId'].includes(f.name))
      .map((f) => ({
        childSObject: child.name,
        field: f.name,
        relationshipName: child.custom ? `${child.labelPlural}__r` : child.labelPlural,
        cascadeDelete: false,
        restrictedDelete: false,
        deprecatedAndHidden: false,
      })),
  );
  return {
    ...describeBasics(schema, version),
    childRelationships,
    recordTypeInfos: [],
    supportedScopes: [{ label: 'All', name: 'everything' }],
    fields: schema.fields.map(describeField),
  };
}
