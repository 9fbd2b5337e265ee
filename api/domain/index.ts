export { requestContext } from './request-context.ts';
export { domainProblem, unwrap } from './domain-problem.ts';
export { expectedVersion, setVersionTag } from './if-match.ts';
export { jsonOut } from './json-out.ts';
export type { Jsonified } from './json-out.ts';
export { milestoneOut, milestonesOut, tenantToday, visibleMilestone } from './milestone-out.ts';
