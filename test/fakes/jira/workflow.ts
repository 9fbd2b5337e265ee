/**
 * Static facts of the emulated site, as data: the ids and names a company-managed Jira Cloud
 * software project ships with, so connectors meet the same identifiers they will see in production.
 */

export interface StatusCategoryDef {
  id: number;
  key: 'new' | 'indeterminate' | 'done';
  colorName: string;
  name: string;
}

export interface StatusDef {
  id: string;
  name: string;
  description: string;
  categoryKey: StatusCategoryDef['key'];
}

export interface TransitionDef {
  id: string;
  name: string;
  /** Status ids the transition is offered from. */
  from: readonly string[];
  to: string;
}

export interface IssueTypeDef {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  hierarchyLevel: number;
  avatarId: number;
}

export interface PriorityDef {
  id: string;
  name: string;
}

export const statusCategories: readonly StatusCategoryDef[] = [
  { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  { id: 3, key: 'done', colorName: 'green', name: 'Done' },
];

export const statuses: readonly StatusDef[] = [
  { id: '10000', name: 'To Do', description: '', categoryKey: 'new' },
  { id: '3', name: 'In Progress', description: 'This issue is being actively worked on at the moment by the assignee.', categoryKey: 'indeterminate' },
  { id: '10002', name: 'In Review', description: '', categoryKey: 'indeterminate' },
  { id: '10001', name: 'Done', description: '', categoryKey: 'done' },
];

export const initialStatusId = '10000';

/** A restricted workflow, so tests can meet Jira's "not valid for the current state" answer. */
export const transitions: readonly TransitionDef[] = [
  { id: '11', name: 'Start Progress', from: ['10000'], to: '3' },
  { id: '21', name: 'Submit for Review', from: ['3'], to: '10002' },
  { id: '31', name: 'Done', from: ['10002'], to: '10001' },
  { id: '41', name: 'Request Changes', from: ['10002'], to: '3' },
  { id: '51', name: 'Stop Progress', from: ['3'], to: '10000' },
  { id: '61', name: 'Reopen', from: ['10001'], to: '10000' },
];

export const issueTypes: readonly IssueTypeDef[] = [
  { id: '10000', name: 'Epic', description: 'A big user story that needs to be broken down.', subtask: false, hierarchyLevel: 1, avatarId: 10307 },
  { id: '10001', name: 'Task', description: 'A small, distinct piece of work.', subtask: false, hierarchyLevel: 0, avatarId: 10318 },
  { id: '10002', name: 'Sub-task', description: 'A small piece of work that\'s part of a larger task.', subtask: true, hierarchyLevel: -1, avatarId: 10316 },
  { id: '10003', name: 'Story', description: 'Functionality or a feature expressed as a user goal.', subtask: false, hierarchyLevel: 0, avatarId: 10315 },
];

export const priorities: readonly PriorityDef[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

export const defaultPriorityId = '3';

export const doneResolution = { id: '10000', name: 'Done', description: 'Work has been completed on this issue.' };

export function statusById(id: string): StatusDef | undefined {
  return statuses.find((status) => status.id === id);
}

export function categoryOf(status: StatusDef): StatusCategoryDef {
  return statusCategories.find((category) => category.key === status.categoryKey)!;
}
