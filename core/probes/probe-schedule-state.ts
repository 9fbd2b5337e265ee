import type { TenantStore } from '../store/index.ts';
import { probeSchedulesCollection } from './probe-doc.ts';
import type { ProbeScheduleDoc } from './probe-doc.ts';
import type { ProbeOverride } from './probe-policy.ts';

/** A milestone's probe schedule document, or null when it was never probed nor overridden. */
export function getProbeSchedule(db: TenantStore, milestoneId: string): Promise<ProbeScheduleDoc | null> {
  return db.collection(probeSchedulesCollection).findOne({ milestoneId });
}

/** Sets (or, with null, clears) a milestone's schedule override. */
export async function setProbeOverride(db: TenantStore, milestoneId: string, override: ProbeOverride | null): Promise<ProbeScheduleDoc> {
  const update = override === null ? { $unset: { override: true as const }, $set: { milestoneId } } : { $set: { milestoneId, override } };
  const doc = await db.collection(probeSchedulesCollection).updateOne({ milestoneId }, update, { upsert: true });
  return doc!;
}
