import { UnrecoverableVendorError, type ConnectorContext, type PullPage, type PullRequest } from '../sdk/index.ts';
import { decodeCursor, encodeCursor, type PullState } from './pull-cursor.ts';
import { readPath, showPath } from './read-path.ts';
import { restCall } from './rest-call.ts';
import type { RestConfig, RestCredentials, RestObject } from './rest-config-schema.ts';
import { toRemoteRecord } from './to-remote-record.ts';

type RestContext = ConnectorContext<RestConfig, RestCredentials>;

/**
 * One page of an object's list. A sweep runs from `since` (the previous sweep's newest update,
 * when the API filters by update time) through the pages; its last page answers `done` with a
 * cursor for the next sweep. Without an updated-since filter every sweep reads everything.
 */
export async function pullRest(ctx: RestContext, request: PullRequest): Promise<PullPage> {
  const object = ctx.config.objects[request.object]!;
  const state: PullState = request.cursor === null ? (request.since === undefined ? {} : { since: request.since }) : decodeCursor(request.cursor);
  const size = Math.min(Math.max(1, Math.floor(request.limit ?? object.pageSize)), object.pageSize);
  const filters = object.updatedSinceParam !== undefined || object.updatedSinceHeader !== undefined;
  const query: [string, string][] = (object.query ?? []).map(({ name, value }) => [name, value]);
  const headers: Record<string, string> = {};
  if (filters && state.since !== undefined) {
    const value = formatSince(state.since, object);
    if (object.updatedSinceParam !== undefined) query.push([object.updatedSinceParam, object.updatedSinceTemplate?.replaceAll('{value}', value) ?? value]);
    if (object.updatedSinceHeader !== undefined) headers[object.updatedSinceHeader] = value;
  }

  const p = object.pagination;
  let target: string | URL = object.path;
  switch (p.type) {
    case 'none':
      break;
    case 'cursor':
      if (state.page !== undefined) query.push([p.cursorParam, String(state.page)]);
      if (p.limitParam !== undefined) query.push([p.limitParam, String(size)]);
      break;
    case 'page':
      query.push([p.pageParam, String(state.page ?? p.startAt)]);
      if (p.sizeParam !== undefined) query.push([p.sizeParam, String(size)]);
      break;
    case 'offset':
      query.push([p.offsetParam, String(state.page ?? 0)], [p.limitParam, String(size)]);
      break;
    case 'next-link':
      if (typeof state.page === 'string') {
        // A next link already carries every parameter of the list.
        target = new URL(state.page);
        query.length = 0;
      } else if (p.limitParam !== undefined) {
        query.push([p.limitParam, String(size)]);
      }
      break;
  }

  const answer = await restCall(ctx, { method: 'GET', target, query, headers, what: `list ${request.object}` });
  const items = object.listPath === undefined ? answer.body : readPath(answer.body, object.listPath);
  if (!Array.isArray(items)) {
    throw new UnrecoverableVendorError(answer.status, '', {
      message: `list ${request.object}: no array at ${showPath(object.listPath ?? '')}${object.listPath === undefined ? '; set listPath' : ''}`,
    });
  }
  const records = items.map((item) => toRemoteRecord(item, object, request.object, answer.status));
  const highWater = records.reduce<string | undefined>((max, r) => (r.updatedAt !== undefined && (max === undefined || r.updatedAt > max) ? r.updatedAt : max), state.highWater);

  const next = nextPage(object, state, answer.body, items.length, size);
  if (next !== undefined) {
    return { records, nextCursor: encodeCursor({ ...(state.since === undefined ? {} : { since: state.since }), ...(highWater === undefined ? {} : { highWater }), page: next }), done: false };
  }
  const nextSince = filters ? (highWater ?? state.since) : undefined;
  return { records, nextCursor: encodeCursor(nextSince === undefined ? {} : { since: nextSince }), done: true };
}

// The position of the page after this one, or undefined at the end of the sweep.
function nextPage(object: RestObject, state: PullState, body: unknown, count: number, size: number): string | number | undefined {
  const p = object.pagination;
  switch (p.type) {
    case 'none':
      return undefined;
    case 'cursor': {
      const next = readPath(body, p.nextCursorPath);
      const text = typeof next === 'number' ? String(next) : typeof next === 'string' ? next : '';
      // A cursor that does not move would loop forever.
      return text === '' || text === String(state.page ?? '') || count === 0 ? undefined : text;
    }
    case 'page': {
      const current = typeof state.page === 'number' ? state.page : p.startAt;
      const more = p.hasMorePath === undefined ? count >= size : truthy(readPath(body, p.hasMorePath));
      return more && count > 0 ? current + 1 : undefined;
    }
    case 'offset': {
      const offset = typeof state.page === 'number' ? state.page : 0;
      return count >= size ? offset + count : undefined;
    }
    case 'next-link': {
      const next = readPath(body, p.nextLinkPath);
      return typeof next === 'string' && next !== '' && next !== state.page ? next : undefined;
    }
  }
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

function formatSince(iso: string, object: RestObject): string {
  const d = new Date(iso);
  switch (object.updatedSinceFormat) {
    case 'iso':
      return d.toISOString();
    case 'iso-seconds':
      return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'epoch-ms':
      return String(d.getTime());
    case 'epoch-seconds':
      return String(Math.floor(d.getTime() / 1000));
    case 'date':
      return d.toISOString().slice(0, 10);
    case 'http-date':
      return d.toUTCString();
  }
}
