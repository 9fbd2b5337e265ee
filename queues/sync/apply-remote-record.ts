import type { RemoteRecord } from '../../connectors/index.ts';
import { linkedInvoicesOf } from '../../connectors/quickbooks/index.ts';
import { recordBillingPayment } from '../../core/billing/index.ts';
import type { DomainContext, DomainError } from '../../core/domain/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import {
  compareVersions,
  findLinkByRemote,
  findSiblingLink,
  fromStoredValues,
  recordConflict,
  saveLink,
  toStoredValues,
  type LinkIdentity,
  type SyncLinkDoc,
  type SyncOutcome,
} from '../../core/sync/index.ts';
import { hashMapped, linkSnapshot, mergeInbound, projectHub } from '../../mappings/index.ts';
import type { ActiveSpec } from './active-mapping.ts';
import type { ConnectionHandle } from './connection-handles.ts';
import { readPath, writePath } from './field-paths.ts';
import { fieldStates, hashOfFieldHashes } from './field-states.ts';
import { SyncFailure } from './sync-failure.ts';
import type { SyncRuntime } from './sync-runtime.ts';

/** What applying one remote record through one mapping did. */
export interface InboundOutcome {
  outcome: SyncOutcome;
  reason?: string;
  hubId?: string;
  /** Conflicts recorded for review. */
  conflicts: number;
}

/** The connection, tenant and clock an inbound application runs with. */
export interface InboundScope {
  db: TenantStore;
  handle: ConnectionHandle;
  timeZone: string;
}

const skipped = (reason: string, hubId?: string): InboundOutcome => ({ outcome: 'skipped', reason, conflicts: 0, ...(hubId === undefined ? {} : { hubId }) });

/**
 * Applies one remote record (from a webhook or a poll) through one `in`/`both` mapping:
 *
 * 1. echo suppression: the link's last remote version (equal: our own write or a change already
 *    applied; older: a late delivery), then the mapped content against the link's snapshot;
 * 2. the hub record: the link's, a sibling mapping's link to the same remote record, the spec's
 *    `match`, or a new one (only when the mapping supplies what creating one needs: for
 *    milestones, `projectId` and `title`);
 * 3. `mergeInbound` with ownership; undecidable fields become conflicts and keep the hub value;
 * 4. the link records what the remote holds before the hub changes, so a push the change causes
 *    sees nothing to send back;
 * 5. the patch through the domain services (`actor: connection`), status through a transition;
 *    a refused transition is a conflict, not a silent drop.
 *
 * Throws `SyncFailure` when the record cannot be applied as the mapping stands (dead letters).
 */
export async function applyRemoteRecord(rt: SyncRuntime, scope: InboundScope, active: ActiveSpec, record: RemoteRecord, { force = false }: { force?: boolean } = {}): Promise<InboundOutcome> {
  const { db, handle } = scope;
  const spec = active.spec;
  const connectionId = handle.conn._id;
  const remoteRef = { connectionId, mappingId: active.mapping._id, remoteObject: spec.remoteObject, remoteId: record.id };

  if (spec.hubObject === 'payment') return applyPayment(rt, scope, active, record);
  if (record.deleted === true) {
    const link = await findLinkByRemote(db, remoteRef);
    if (link === null) return skipped('not_linked');
    await saveLink(db, identOf(link), { status: 'deleted', lastDirection: 'in', lastOperation: 'apply', lastSyncedAt: rt.now() });
    return skipped('remote_deleted', link.hubId);
  }
  const adapter = rt.hubObjects[spec.hubObject];
  if (adapter === undefined) throw new SyncFailure('unsupported_hub_object', `sync cannot write hub ${spec.hubObject} records`);

  let link = await findLinkByRemote(db, remoteRef);
  if (link !== null && !force && link.lastRemoteVersion !== undefined && record.version !== undefined) {
    const order = compareVersions(record.version, link.lastRemoteVersion);
    if (order === 0) return skipped('echo', link.hubId);
    if (order !== undefined && order < 0) return skipped('stale', link.hubId);
  }
  const mapped = await active.compiled.toHub(record.data);
  if (mapped.skipped) return skipped('filtered');
  if (mapped.errors.length > 0) throw new SyncFailure('mapping_failed', `the mapping could not map ${spec.remoteObject} ${record.id}: ${mapped.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const incoming = mapped.output as Record<string, unknown>;
  const remoteHashes = fieldStates(spec, record.data).map((s) => ({ path: s.remote, hash: s.hash }));
  const remoteFacts = {
    fieldHashes: remoteHashes,
    lastHash: hashOfFieldHashes(remoteHashes),
    ...(record.updatedAt === undefined ? {} : { lastRemoteUpdatedAt: record.updatedAt }),
  };

  if (link !== null && !force && link.lastSnapshot !== undefined && hashMapped(projectHub(spec, incoming)) === link.lastSnapshot.hash) {
    await saveLink(db, identOf(link), { ...remoteFacts, ...(record.version === undefined ? {} : { lastRemoteVersion: record.version }) });
    return skipped('echo', link.hubId);
  }

  const domain: DomainContext = { db, now: rt.now, actor: { kind: 'connection', id: connectionId, channel: handle.connector.id }, timeZone: scope.timeZone };
  let hubId = link?.hubId;
  let created = false;
  if (hubId === undefined) {
    hubId = (await findSiblingLink(db, { connectionId, remoteObject: spec.remoteObject, remoteId: record.id, hubObject: spec.hubObject }))?.hubId;
    if (hubId === undefined && spec.match !== undefined && adapter.findBy !== undefined) {
      hubId = (await adapter.findBy(db, spec.match.hub, readPath(record.data, spec.match.remote))) ?? undefined;
    }
    if (hubId === undefined) {
      const requires = adapter.createRequires ?? [];
      if (adapter.create === undefined || requires.length === 0 || requires.some((p) => readPath(incoming, p) === undefined)) return skipped('unlinked');
      const made = await adapter.create(domain, incoming);
      if (!made.ok) {
        if (made.error.code === 'version_conflict') throw new Error(made.error.message);
        await recordConflict(db, { kind: 'create_refused', ...remoteRef, hubObject: spec.hubObject, reason: made.error.code, message: made.error.message, remoteValue: incoming, ...(record.version === undefined ? {} : { remoteVersion: record.version }) });
        return { outcome: 'conflicts', reason: 'create_refused', conflicts: 1 };
      }
      hubId = made.value._id;
      created = true;
    }
  }
  const ident: LinkIdentity = { connectionId, mappingId: active.mapping._id, hubObject: spec.hubObject, hubId, remoteObject: spec.remoteObject };
  const at = { now: rt.now(), timeZone: scope.timeZone };
  const current = await adapter.read(db, hubId, at);
  if (current === null || current.deleted) return skipped('hub_deleted', hubId);

  const snapshot = link?.lastSnapshot === undefined ? undefined : { hash: link.lastSnapshot.hash, values: fromStoredValues(link.lastSnapshot.values) };
  const merge = mergeInbound(spec, {
    current: current.record,
    incoming,
    ...(snapshot === undefined ? {} : { snapshot }),
    timestamps: {
      ...(typeof current.record.updatedAt === 'string' ? { hub: current.record.updatedAt } : {}),
      ...(record.updatedAt === undefined ? {} : { remote: record.updatedAt }),
    },
  });

  // What the remote holds is a fact whatever the hub does with it: recorded first, so the push a
  // hub change causes finds nothing to send back. The version is applied last (crash: re-applied).
  link = await saveLink(db, ident, { remoteId: record.id, ...remoteFacts, ...(record.version === undefined ? {} : { pendingRemoteVersion: record.version }) });
  const held = new Set(link?.conflictFields ?? []);
  let conflicts = 0;
  for (const c of merge.conflicts) {
    await recordConflict(db, {
      kind: 'field',
      ...remoteRef,
      linkId: link!._id,
      hubObject: spec.hubObject,
      hubId,
      field: c.hub,
      remotePath: c.remote,
      hubValue: c.hubValue,
      remoteValue: c.remoteValue,
      reason: c.reason,
      message: `both sides changed ${c.hub} since the last sync and the ${c.reason === 'equal_timestamps' ? 'timestamps are equal' : 'timestamps cannot tell which is newer'}`,
      ...(record.version === undefined ? {} : { remoteVersion: record.version }),
    });
    held.add(c.hub);
    conflicts += 1;
  }

  const { fields, status } = hubPatch(current.record, merge.patch, link?.conflictFields ?? []);
  let applied = false;
  if (Object.keys(fields).length > 0) {
    if (adapter.update === undefined) throw new SyncFailure('hub_read_only', `sync cannot change hub ${spec.hubObject} records`);
    const done = await adapter.update(domain, hubId, fields);
    if (!done.ok) failOn(done.error, `the hub refused the change to ${spec.hubObject} ${hubId}`);
    applied = true;
  }
  if (status !== undefined && status !== current.record.status) {
    const moved = adapter.transition === undefined ? undefined : await adapter.transition(domain, hubId, status);
    if (moved !== undefined && moved.ok) applied = true;
    else {
      if (moved !== undefined && moved.error.code === 'version_conflict') throw new Error(moved.error.message);
      const message = moved === undefined ? `hub ${spec.hubObject} records have no workflow` : moved.error.message;
      await recordConflict(db, {
        kind: 'transition_refused',
        ...remoteRef,
        linkId: link!._id,
        hubObject: spec.hubObject,
        hubId,
        field: 'status',
        hubValue: current.record.status,
        remoteValue: status,
        reason: moved === undefined ? 'no_workflow' : moved.error.code === 'refused' ? moved.error.reason : moved.error.code,
        message: `the remote moved to "${status}" but the hub refused: ${message}`,
        ...(record.version === undefined ? {} : { remoteVersion: record.version }),
      });
      held.add('status');
      conflicts += 1;
    }
  }

  const after = applied ? ((await adapter.read(db, hubId, at)) ?? current) : current;
  const snap = linkSnapshot(spec, after.record);
  await saveLink(
    db,
    ident,
    {
      ...(record.version === undefined ? {} : { lastRemoteVersion: record.version }),
      lastSnapshot: { hash: snap.hash, values: toStoredValues(snap.values) },
      lastSyncedAt: rt.now(),
      lastDirection: 'in',
      lastOperation: created ? 'create' : link?.lastOperation === undefined ? 'link' : 'apply',
      mappingVersion: active.version,
      status: held.size > 0 ? 'conflict' : 'linked',
      conflictFields: [...held],
    },
    { $unset: { pendingRemoteVersion: true, lastError: true } },
  );
  const outcome: SyncOutcome = created ? 'created' : conflicts > 0 ? 'conflicts' : applied ? 'updated' : 'skipped';
  return { outcome, hubId, conflicts, ...(outcome === 'skipped' ? { reason: 'no_change' } : {}) };
}

function identOf(link: SyncLinkDoc): LinkIdentity {
  return { connectionId: link.connectionId, mappingId: link.mappingId, hubObject: link.hubObject, hubId: link.hubId, remoteObject: link.remoteObject };
}

/**
 * The merge's patch as a domain patch: whole top-level values (a nested path replaces its parent
 * object with the patched copy), the status set aside for a transition, fields under review left out.
 */
export function hubPatch(current: Record<string, unknown>, patch: Record<string, unknown>, held: readonly string[]): { fields: Record<string, unknown>; status?: string } {
  const next = structuredClone(current);
  const tops = new Set<string>();
  let status: string | undefined;
  for (const [path, value] of Object.entries(patch)) {
    if (held.includes(path)) continue;
    if (path === 'status') {
      if (typeof value === 'string') status = value;
      continue;
    }
    writePath(next, path, structuredClone(value));
    tops.add(path.split(/[.[]/)[0]!);
  }
  const fields: Record<string, unknown> = {};
  for (const top of tops) fields[top] = next[top] ?? null;
  return { fields, ...(status === undefined ? {} : { status }) };
}

function failOn(error: DomainError, what: string): never {
  // A concurrent hub change: the retry merges with it.
  if (error.code === 'version_conflict') throw new Error(error.message);
  const issues = error.code === 'invalid' ? `: ${error.issues.map((i) => `${i.path} ${i.message}`).join('; ')}` : '';
  throw new SyncFailure('hub_refused', `${what} (${error.code}): ${error.message}${issues}`);
}

/**
 * An inbound payment is recorded against the hub invoices it pays: each `Line[].LinkedTxn` of
 * type Invoice names a remote invoice; the link of that invoice (through any mapping of this
 * connection) names the hub invoice. The mapped record gives reference, method and date; the
 * amount per invoice comes from its line. The payment id (`<connector>:<remote id>`) makes a
 * redelivered payment a no-op.
 */
async function applyPayment(rt: SyncRuntime, scope: InboundScope, active: ActiveSpec, record: RemoteRecord): Promise<InboundOutcome> {
  if (record.deleted === true) return skipped('remote_deleted');
  const mapped = await active.compiled.toHub(record.data);
  if (mapped.skipped) return skipped('filtered');
  if (mapped.errors.length > 0) throw new SyncFailure('mapping_failed', `the mapping could not map payment ${record.id}: ${mapped.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const payment = mapped.output as Record<string, unknown>;
  const applications = linkedInvoicesOf(record.data);
  if (applications.length === 0) return skipped('payment_unapplied');
  const connector = scope.handle.connector.id;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  const receivedAt = new Date(text(payment.receivedAt) ?? text(record.data.TxnDate) ?? rt.now().toISOString());
  let outcome: InboundOutcome = skipped('invoice_not_linked');
  for (const { invoiceId, amount } of applications) {
    const link = await findSiblingLink(scope.db, { connectionId: scope.handle.conn._id, remoteObject: 'Invoice', remoteId: invoiceId, hubObject: 'invoice' });
    if (link === null) continue;
    // Through billing, as a payment recorded by hand or by Razorpay: the invoice settles, the
    // milestone moves to paid, events follow. One payment per invoice it pays, keyed by both ids.
    const domain: DomainContext = { db: scope.db, now: rt.now, actor: { kind: 'connection', id: scope.handle.conn._id, channel: connector }, timeZone: scope.timeZone };
    const result = await recordBillingPayment(domain, {
      invoiceId: link.hubId,
      amount: Math.round(amount * 100),
      reference: text(payment.reference) ?? text(record.data.PaymentRefNum) ?? `${connector}-${record.id}`,
      method: text(payment.method) ?? 'other',
      receivedAt: Number.isNaN(receivedAt.getTime()) ? rt.now() : receivedAt,
      source: connector,
      externalId: `${connector}:${record.id}:${link.hubId}`,
    });
    if (!result.ok) failOn(result.error, `invoice ${link.hubId} refused payment ${record.id}`);
    outcome = result.value.created ? { outcome: 'updated', hubId: link.hubId, conflicts: 0 } : outcome.outcome === 'updated' ? outcome : skipped('duplicate', link.hubId);
  }
  return outcome;
}

