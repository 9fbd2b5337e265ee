/** The zone a tenant sees when it has not chosen one. */
export const DEFAULT_TIME_ZONE = 'Asia/Kolkata';
