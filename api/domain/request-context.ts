import type { Context } from 'hono';
import type { DomainContext } from '../../core/domain/index.ts';
import type { AppEnv } from '../app-env.ts';

/**
 * The domain context of an authenticated request: the tenant's store, the services' clock, the
 * calling key as the actor (with its role) and the tenant's time zone.
 */
export function requestContext(c: Context<AppEnv>): DomainContext {
  const { tenant, key, role } = c.get('auth');
  return {
    db: c.get('db'),
    now: c.get('services').now,
    actor: { kind: 'user', id: key._id, channel: 'api', role },
    timeZone: tenant.timeZone,
  };
}
