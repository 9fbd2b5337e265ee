import type { CheckResult, ConnectorContext } from '../sdk/index.ts';
import { restCall } from './rest-call.ts';
import type { RestConfig, RestCredentials } from './rest-config-schema.ts';

/** A GET of `checkPath` (or the first object's list) with the connection's auth. */
export async function checkRest(ctx: ConnectorContext<RestConfig, RestCredentials>): Promise<CheckResult> {
  const first = Object.values(ctx.config.objects)[0]!;
  const path = ctx.config.checkPath ?? first.path;
  const answer = await restCall(ctx, { method: 'GET', target: path, what: 'connection test' });
  return { ok: true, message: `GET ${path} answered ${answer.status}` };
}
