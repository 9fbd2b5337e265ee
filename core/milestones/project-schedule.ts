import { failWith, succeed, type DomainResult } from '../domain/index.ts';
import { getProject } from '../projects/index.ts';
import { addWorkingDays, criticalPath, isIsoDate, type ScheduleItem } from '../schedule/index.ts';
import type { Dependency } from '../schedule/index.ts';
import type { TenantStore } from '../store/index.ts';
import { milestonesCollection } from './collections.ts';

/** One milestone's place in the project schedule. Days count working days from the project's start (day 0). */
export interface ScheduledMilestone {
  id: string;
  title: string;
  kind: string;
  status: string;
  duration: number;
  earliestStart: number;
  earliestFinish: number;
  latestStart: number;
  latestFinish: number;
  /** Total float: working days it can slip without moving the project's finish. */
  slack: number;
  freeSlack: number;
  critical: boolean;
  /** Dates for `earliestStart` and `latestStart`, when the project's start is known. */
  earliestStartDate?: string;
  latestStartDate?: string;
}

/** The critical path of a project. */
export interface ProjectSchedule {
  projectId: string;
  startDate?: string;
  /** Working days from start to the earliest finish. */
  projectDuration: number;
  criticalPath: string[];
  items: ScheduledMilestone[];
}

/**
 * The critical path and slack of every open or done milestone of a project (core/schedule), from
 * planned start and due dates in working days (Monday to Friday); milestones without both dates
 * take no time. Cancelled milestones and dependencies on them are left out. Start-to-start and
 * finish-to-start dependencies (with lag) shape it; conditional ones cannot be known ahead.
 */
export async function projectSchedule(db: TenantStore, projectId: string): Promise<DomainResult<ProjectSchedule>> {
  const project = await getProject(db, projectId);
  if (!project) return failWith({ code: 'not_found', message: 'No such project' });
  const docs = await db
    .collection(milestonesCollection)
    .find(
      { projectId, deletedAt: { $exists: false }, statusCategory: { $ne: 'cancelled' } },
      { sort: { _id: 1 }, projection: { _id: 1, title: 1, kind: 1, status: 1, plannedStart: 1, dueDate: 1, dependencies: 1 } },
    );
  const ids = new Set(docs.map((d) => d._id));
  const items: ScheduleItem[] = docs.map((d) =>
    d.plannedStart && d.dueDate && isIsoDate(d.plannedStart) && isIsoDate(d.dueDate) && d.dueDate >= d.plannedStart
      ? { id: d._id, plannedStart: d.plannedStart, dueDate: d.dueDate }
      : { id: d._id, durationDays: 0 },
  );
  const dependencies: Dependency[] = [];
  for (const d of docs) {
    for (const dep of d.dependencies ?? []) {
      if (!ids.has(dep.on)) continue;
      dependencies.push({ milestoneId: d._id, dependsOn: dep.on, type: dep.type, ...(dep.condition ? { condition: dep.condition } : {}), ...(dep.lagDays ? { lagDays: dep.lagDays } : {}) });
    }
  }
  const computed = criticalPath({ items, dependencies });
  if (!computed.ok) return failWith({ code: 'conflict', message: computed.error.message, details: { reason: computed.error.code } });
  const start = project.startDate ?? docs.map((d) => d.plannedStart).filter((s): s is string => typeof s === 'string' && isIsoDate(s)).sort()[0];
  const byId = new Map(docs.map((d) => [d._id, d]));
  return succeed({
    projectId,
    ...(start ? { startDate: start } : {}),
    projectDuration: computed.value.projectDuration,
    criticalPath: computed.value.criticalPath,
    items: computed.value.items.map((item) => {
      const doc = byId.get(item.id)!;
      return {
        ...item,
        title: doc.title,
        kind: doc.kind,
        status: doc.status,
        ...(start ? { earliestStartDate: addWorkingDays(start, item.earliestStart), latestStartDate: addWorkingDays(start, item.latestStart) } : {}),
      };
    }),
  });
}
