import { escalationsCollection, type EscalationDoc } from '../../core/escalations/index.ts';
import type { Collection, Store, TenantStore } from '../../core/store/index.ts';
import { expectStatus, type ProbeTenant } from '../probes/probe-fixture.ts';

/**
 * Holds escalation writes, each by the level it writes, until the test lets them through, so
 * that two sweeps can both read and decide before either writes.
 */
export class LevelGate {
  readonly held: Array<{ level: number; pass: () => void; done: Promise<void> }> = [];

  async enter<R>(level: number, write: () => Promise<R>): Promise<R> {
    let pass!: () => void;
    let finish!: () => void;
    const passed = new Promise<void>((resolve) => (pass = resolve));
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.held.push({ level, pass, done });
    await passed;
    try {
      return await write();
    } finally {
      finish();
    }
  }

  /** Lets the held writes through one at a time, in `order` of their levels, each finishing before the next. */
  async release(order: readonly number[]): Promise<void> {
    for (const level of order) {
      const i = this.held.findIndex((h) => h.level === level);
      const [entry] = this.held.splice(i, 1);
      entry!.pass();
      await entry!.done;
    }
  }
}

/** `target` with the methods in `methods` put in place of its own; everything else passes through, bound to it. */
export function overriding<T extends object>(target: T, methods: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'string' && Object.hasOwn(methods, prop)) return methods[prop];
      const value: unknown = Reflect.get(t, prop);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}

/** `store`, with every tenant's escalations collection given through `wrap`; all else as it is. */
export function withEscalationsCollection(store: Store, wrap: (c: Collection<EscalationDoc>) => Collection<EscalationDoc>): Store {
  return overriding(store, {
    forTenant: (tenantId: string): TenantStore => {
      const db = store.forTenant(tenantId);
      return {
        tenantId: db.tenantId,
        collection: ((def) => (def.name === escalationsCollection.name ? wrap(db.collection(escalationsCollection)) : db.collection(def))) as TenantStore['collection'],
      };
    },
  });
}

/** An escalation as the API lists it. */
export type Escalation = EscalationDoc & { id: string };

/** The tenant's escalations of one milestone, through the API. */
export const escalationsOf = async (t: ProbeTenant, milestoneId: string): Promise<Escalation[]> =>
  (await expectStatus<{ items: Escalation[] }>(t.call('GET', `/v1/escalations?milestoneId=${milestoneId}`), 200)).items;
