import type { BaseDoc, CollectionDef, Store } from '../store/index.ts';
import { isCiphertext, type Vault } from './vault.ts';

export interface RotationReport {
  collections: number;
  documents: number;
  secrets: number;
  failures: { collection: string; id: string; error: string }[];
}

/**
 * Re-encrypts every vault ciphertext found in the given collections under the vault's current
 * key. Each document is rewritten with a version check, so a concurrent change is retried, not lost.
 */
export async function rotateSecrets(store: Store, vault: Vault, defs: CollectionDef[]): Promise<RotationReport> {
  const report: RotationReport = { collections: 0, documents: 0, secrets: 0, failures: [] };
  for (const def of defs.filter((d) => d.holdsSecrets)) {
    report.collections += 1;
    const col = store.maintenance<BaseDoc>(def as CollectionDef<BaseDoc>);
    for (const doc of await col.find({})) {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const fresh = attempt === 0 ? doc : await col.findById(doc._id);
        if (!fresh) break;
        const changes: Record<string, unknown> = {};
        let failed = false;
        for (const [key, value] of Object.entries(fresh)) {
          if (['_id', 'tenantId', 'version', 'createdAt', 'updatedAt'].includes(key)) continue;
          const next = rewrite(value, (ct) => {
            if (!vault.needsRotation(ct)) return ct;
            const r = vault.reencrypt(ct, fresh.tenantId ?? '');
            if (!r.ok) {
              failed = true;
              report.failures.push({ collection: def.name, id: fresh._id, error: r.error });
              return ct;
            }
            report.secrets += 1;
            return r.value;
          });
          if (next !== value) changes[key] = next;
        }
        if (failed || Object.keys(changes).length === 0) break;
        try {
          await col.updateOne({ _id: fresh._id }, { $set: changes }, { expectedVersion: fresh.version });
          report.documents += 1;
          break;
        } catch (err) {
          if ((err as Error).name !== 'VersionConflictError' || attempt === 4) throw err;
        }
      }
    }
  }
  return report;
}

/** Rebuilds `value` with every ciphertext string passed through `fn`; returns it unchanged (same reference) if nothing changed. */
function rewrite(value: unknown, fn: (ct: string) => string): unknown {
  if (isCiphertext(value)) return fn(value);
  if (Array.isArray(value)) {
    const out = value.map((v) => rewrite(v, fn));
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value).map(([k, v]) => [k, rewrite(v, fn)] as const);
    return entries.some(([k, v]) => v !== (value as Record<string, unknown>)[k]) ? Object.fromEntries(entries) : value;
  }
  return value;
}
