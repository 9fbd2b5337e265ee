import { UnrecoverableVendorError } from '../sdk/index.ts';
import type { JiraSession } from './create-jira-session.ts';
import type { JiraConfig } from './jira-settings.ts';

/** A status as Jira renders it on an issue or a transition's target. */
export interface JiraStatus {
  id?: string;
  name: string;
  statusCategory?: { key?: string };
}

/** One workflow transition available from an issue's current status. */
export interface JiraTransition {
  id: string;
  name: string;
  to: JiraStatus;
}

// Bounds a walk to a done status; real workflows reach one in a few steps or not at all.
const MAX_CLOSE_STEPS = 8;

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
const describeAll = (transitions: readonly JiraTransition[]) =>
  transitions.length === 0 ? 'none' : transitions.map((t) => `${t.name} → ${t.to.name}`).join(', ');

/** The Jira status a mapped status stands for, through `statusMap` when the site renamed it. */
export function jiraStatusName(config: JiraConfig, wanted: string): string {
  return config.statusMap?.find((entry) => same(entry.from, wanted))?.to ?? wanted;
}

/** True for a status that counts as closed: one of `doneStatuses`, else any in Jira's Done category. */
export function isDoneStatus(config: JiraConfig, status: JiraStatus): boolean {
  if (config.doneStatuses !== undefined) return config.doneStatuses.some((name) => same(name, status.name));
  return status.statusCategory?.key === 'done';
}

/** The status of an issue as Jira returned it. */
export function statusOf(issue: Record<string, unknown>): JiraStatus | undefined {
  const status = (issue.fields as { status?: unknown } | undefined)?.status as JiraStatus | undefined;
  return typeof status?.name === 'string' ? status : undefined;
}

/** The transitions Jira offers from the issue's current status. */
export async function listTransitions(session: JiraSession, key: string): Promise<JiraTransition[]> {
  const answer = await session.run<{ transitions?: unknown } | undefined>((client) => client.listTransitions(key));
  const list = Array.isArray(answer?.transitions) ? (answer.transitions as unknown[]) : [];
  return list.filter((t): t is JiraTransition => {
    const candidate = t as Partial<JiraTransition> | null;
    return typeof candidate?.id === 'string' && typeof candidate.name === 'string' && typeof candidate.to?.name === 'string';
  });
}

/**
 * The transition that moves the issue from `current` to `target`, or undefined when it is there
 * already. A status no transition reaches from here is a workflow problem no retry fixes, so it
 * is an UnrecoverableVendorError naming what the workflow offers.
 */
export async function planStatusMove(session: JiraSession, key: string, current: string, target: string): Promise<JiraTransition | undefined> {
  if (same(current, target)) return undefined;
  const transitions = await listTransitions(session, key);
  const found = transitions.find((t) => same(t.to.name, target));
  if (found !== undefined) return found;
  throw new UnrecoverableVendorError(0, JSON.stringify({ issue: key, from: current, to: target, available: transitions.map((t) => ({ id: t.id, name: t.name, to: t.to.name })) }), {
    message: `${key}: Jira's workflow has no transition from "${current}" to "${target}"; available from "${current}": ${describeAll(transitions)}`,
  });
}

/** Performs one transition. */
export async function applyTransition(session: JiraSession, key: string, transition: JiraTransition): Promise<void> {
  await session.run((client) => client.transitionIssue(key, { transition: { id: transition.id } }));
}

/**
 * Moves the issue to a done status, through as many transitions as the workflow needs: each
 * step takes a transition into a done status when one is offered, else one into a status not yet
 * visited, preferring work in progress over going back to the start.
 */
export async function closeIssue(session: JiraSession, config: JiraConfig, key: string, current: JiraStatus): Promise<void> {
  if (isDoneStatus(config, current)) return;
  const visited = new Set([current.id ?? current.name]);
  const rank = (status: JiraStatus) => (status.statusCategory?.key === 'indeterminate' ? 0 : status.statusCategory?.key === 'new' ? 2 : 1);
  let at = current;
  for (let step = 0; step < MAX_CLOSE_STEPS; step += 1) {
    const transitions = await listTransitions(session, key);
    const pick =
      transitions.find((t) => isDoneStatus(config, t.to)) ??
      transitions.filter((t) => !visited.has(t.to.id ?? t.to.name)).sort((a, b) => rank(a.to) - rank(b.to))[0];
    if (pick === undefined) {
      throw new UnrecoverableVendorError(0, JSON.stringify({ issue: key, at: at.name, available: transitions.map((t) => ({ id: t.id, name: t.name, to: t.to.name })) }), {
        message: `${key}: no way to a done status from "${at.name}"; available: ${describeAll(transitions)}`,
      });
    }
    await applyTransition(session, key, pick);
    if (isDoneStatus(config, pick.to)) return;
    visited.add(pick.to.id ?? pick.to.name);
    at = pick.to;
  }
  throw new UnrecoverableVendorError(0, '', { message: `${key}: no done status within ${MAX_CLOSE_STEPS} transitions from "${current.name}"` });
}
