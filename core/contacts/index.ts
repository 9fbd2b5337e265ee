export { normalisePhone } from './normalise-phone.ts';
export { isEmail } from './is-email.ts';
export { checkContactPoints } from './check-contact.ts';
export type { ContactPoints } from './check-contact.ts';
