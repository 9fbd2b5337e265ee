/** Roles an API key can hold, from most to least privileged. */
export const ROLES = ['admin', 'manager', 'owner', 'viewer', 'integration'] as const;
export type Role = (typeof ROLES)[number];
