export { PERSON_CHANNELS, peopleCollection } from './collections.ts';
export type { PersonChannel, PersonDoc, QuietHours } from './collections.ts';
export { personInputSchema, personPatchSchema } from './person-schema.ts';
export type { PersonInput, PersonPatch } from './person-schema.ts';
export { personView } from './person-view.ts';
export type { PersonView } from './person-view.ts';
export { createPerson, deletePerson, findPeople, getPerson, listPeople, peopleForApiKey, updatePerson } from './person-services.ts';
