import { JiraError } from './jira-error.ts';
import { parseJqlDate, zonedToInstant } from './jira-time.ts';
import type { FakeUser, JiraStore, StoredIssue } from './jira-store.ts';
import type { JqlNode, JqlOperand, JqlOperator, JqlQuery } from './jql-parse.ts';
import { categoryOf, issueTypes, priorities, statusById, statusCategories, statuses } from './workflow.ts';

export interface JqlContext {
  store: JiraStore;
  viewer: FakeUser;
  now: number;
  /** Property keys an installed app has asked Jira to index; only these are searchable. */
  indexedProperties: ReadonlySet<string>;
}

export interface CompiledJql {
  matches(issue: StoredIssue): boolean;
  compare(a: StoredIssue, b: StoredIssue): number;
  /** Problems Jira reports as errors under strict validation and as warnings under `validateQuery=warn`. */
  problems: string[];
}

type Scalar = string | number;

interface FieldAdapter {
  kind: 'ref' | 'string' | 'text' | 'date';
  values(issue: StoredIssue): Scalar[];
  /** Turns one operand value into the comparable form, or undefined after reporting a problem. */
  resolve(text: string): Scalar | undefined;
}

const noSuchField = (field: string) => `Field '${field}' does not exist or you do not have permission to view it.`;
const noSuchValue = (value: string, field: string) => `The value '${value}' does not exist for the field '${field}'.`;

function propertyValues(value: unknown, path: string[]): Scalar[] {
  let current: unknown = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return [];
    current = (current as Record<string, unknown>)[segment];
  }
  const leaves = Array.isArray(current) ? current : [current];
  return leaves.filter((leaf) => ['string', 'number', 'boolean'].includes(typeof leaf)).map((leaf) => String(leaf));
}

function issueNumberOrder(store: JiraStore, issue: StoredIssue): [string, number] {
  const project = store.projects.get(issue.projectId)!;
  return [project.key, Number(issue.key.slice(project.key.length + 1))];
}

/** Binds a JQL query to the store: validates names and values, and returns a filter and a sort. */
export function compileJql(query: JqlQuery, ctx: JqlContext): CompiledJql {
  const { store, viewer } = ctx;
  const problems: string[] = [];

  const userRef = (field: string) => (text: string) => {
    if (store.users.has(text)) return text;
    problems.push(noSuchValue(text, field));
    return undefined;
  };
  const userAdapter = (field: string, pick: (issue: StoredIssue) => string | null): FieldAdapter => ({
    kind: 'ref',
    values: (issue) => (pick(issue) === null ? [] : [pick(issue)!]),
    resolve: userRef(field),
  });
  const issueRef = (field: string) => (text: string) => {
    const issue = store.findIssue(text);
    if (issue) return issue.id;
    problems.push(/^\d+$/.test(text) ? `An issue with id '${text}' does not exist for field '${field}'.` : `An issue with key '${text}' does not exist for field '${field}'.`);
    return undefined;
  };
  const dateAdapter = (pick: (issue: StoredIssue) => number | null, field: string): FieldAdapter => ({
    kind: 'date',
    values: (issue) => (pick(issue) === null ? [] : [pick(issue)!]),
    resolve: (text) => {
      const at = parseJqlDate(text, viewer.timeZone, ctx.now);
      if (at === undefined) {
        problems.push(
          `Date value '${text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
        );
      }
      return at;
    },
  });
  const textAdapter = (pick: (issue: StoredIssue) => string[]): FieldAdapter => ({
    kind: 'text',
    values: pick,
    resolve: (text) => text,
  });

  const adapterFor = (rawField: string): FieldAdapter | undefined => {
    const field = rawField.toLowerCase();
    const property = /^issue\.property\[([^\]]+)\](?:\.(.+))?$/i.exec(rawField);
    if (property) {
      const key = property[1]!;
      const path = property[2]?.split('.') ?? [];
      return {
        kind: 'string',
        // An unindexed property is not an error in Jira, it simply matches nothing.
        values: (issue) => (ctx.indexedProperties.has(key) && issue.properties.has(key) ? propertyValues(issue.properties.get(key), path) : []),
        resolve: (text) => text,
      };
    }
    const custom = /^(?:cf\[(\d+)\]|customfield_(\d+))$/i.exec(rawField);
    if (custom) {
      const id = `customfield_${custom[1] ?? custom[2]}`;
      return { kind: 'string', values: (issue) => propertyValues(issue.custom, [id]), resolve: (text) => text };
    }
    switch (field) {
      case 'project':
        return {
          kind: 'ref',
          values: (issue) => [issue.projectId],
          resolve: (text) => {
            const project = store.findProject(text);
            if (!project) problems.push(noSuchValue(text, 'project'));
            return project?.id;
          },
        };
      case 'key':
      case 'issuekey':
      case 'issue':
      case 'id':
        return { kind: 'ref', values: (issue) => [issue.id], resolve: issueRef(rawField) };
      case 'parent':
        return { kind: 'ref', values: (issue) => (issue.parentId === null ? [] : [issue.parentId]), resolve: issueRef(rawField) };
      case 'status':
        return {
          kind: 'ref',
          values: (issue) => [issue.statusId],
          resolve: (text) => {
            const status = statuses.find((candidate) => candidate.id === text || candidate.name.toLowerCase() === text.toLowerCase());
            if (!status) problems.push(noSuchValue(text, 'status'));
            return status?.id;
          },
        };
      case 'statuscategory':
        return {
          kind: 'ref',
          values: (issue) => [categoryOf(statusById(issue.statusId)!).key],
          resolve: (text) => {
            const wanted = text.toLowerCase();
            const category = statusCategories.find((c) => String(c.id) === text || c.key === wanted || c.name.toLowerCase() === wanted);
            if (!category) problems.push(noSuchValue(text, 'statusCategory'));
            return category?.key;
          },
        };
      case 'issuetype':
      case 'type':
        return {
          kind: 'ref',
          values: (issue) => [issue.issueTypeId],
          resolve: (text) => {
            const type = issueTypes.find((candidate) => candidate.id === text || candidate.name.toLowerCase() === text.toLowerCase());
            if (!type) problems.push(noSuchValue(text, 'issuetype'));
            return type?.id;
          },
        };
      case 'priority':
        return {
          kind: 'ref',
          values: (issue) => [issue.priorityId],
          resolve: (text) => {
            const priority = priorities.find((candidate) => candidate.id === text || candidate.name.toLowerCase() === text.toLowerCase());
            if (!priority) problems.push(noSuchValue(text, 'priority'));
            return priority?.id;
          },
        };
      case 'resolution':
        return { kind: 'ref', values: (issue) => (issue.resolutionId === null ? [] : [issue.resolutionId]), resolve: (text) => (text.toLowerCase() === 'done' ? '10000' : text) };
      case 'labels':
        return { kind: 'string', values: (issue) => issue.labels, resolve: (text) => text };
      case 'assignee':
        return userAdapter('assignee', (issue) => issue.assigneeId);
      case 'reporter':
        return userAdapter('reporter', (issue) => issue.reporterId);
      case 'creator':
        return userAdapter('creator', (issue) => issue.creatorId);
      case 'summary':
        return textAdapter((issue) => [issue.summary]);
      case 'description':
        return textAdapter((issue) => (issue.description ? [issue.description.text] : []));
      case 'comment':
        return textAdapter((issue) => issue.comments.map((comment) => comment.body.text));
      case 'text':
        return textAdapter((issue) => [issue.summary, issue.description?.text ?? '', ...issue.comments.map((comment) => comment.body.text)]);
      case 'created':
      case 'createddate':
        return dateAdapter((issue) => issue.created, rawField);
      case 'updated':
      case 'updateddate':
        return dateAdapter((issue) => issue.updated, rawField);
      case 'resolved':
      case 'resolutiondate':
        return dateAdapter((issue) => issue.resolutiondate, rawField);
      case 'due':
      case 'duedate':
        return dateAdapter((issue) => {
          if (issue.duedate === null) return null;
          const [year, month, day] = issue.duedate.split('-').map(Number);
          return zonedToInstant({ year: year!, month: month!, day: day!, hour: 0, minute: 0 }, viewer.timeZone);
        }, rawField);
      default:
        return undefined;
    }
  };

  const resolveOperand = (operand: JqlOperand, adapter: FieldAdapter): Scalar[] | 'empty' => {
    switch (operand.kind) {
      case 'empty':
        return 'empty';
      case 'list':
        return operand.items.flatMap((item) => {
          const resolved = resolveOperand(item, adapter);
          return resolved === 'empty' ? [] : resolved;
        });
      case 'function': {
        const name = operand.name.toLowerCase();
        if (name === 'currentuser') return [viewer.accountId];
        if (name === 'now') return [ctx.now];
        problems.push(`Unable to find JQL function '${operand.name}(${operand.args.join(', ')})'.`);
        return [];
      }
      case 'value': {
        const resolved = adapter.resolve(operand.text);
        return resolved === undefined ? [] : [resolved];
      }
    }
  };

  const allowed: Record<FieldAdapter['kind'], ReadonlySet<JqlOperator>> = {
    ref: new Set(['=', '!=', 'in', 'not in', 'is', 'is not']),
    string: new Set(['=', '!=', 'in', 'not in', 'is', 'is not']),
    text: new Set(['~', '!~', 'is', 'is not']),
    date: new Set(['=', '!=', '>', '>=', '<', '<=', 'in', 'not in', 'is', 'is not']),
  };

  const compileNode = (node: JqlNode): ((issue: StoredIssue) => boolean) => {
    if (node.kind === 'and' || node.kind === 'or') {
      const parts = node.nodes.map(compileNode);
      return node.kind === 'and' ? (issue) => parts.every((part) => part(issue)) : (issue) => parts.some((part) => part(issue));
    }
    if (node.kind === 'not') {
      const inner = compileNode(node.node);
      return (issue) => !inner(issue);
    }
    const adapter = adapterFor(node.field);
    if (!adapter) {
      problems.push(noSuchField(node.field));
      return () => false;
    }
    const { operator } = node;
    if (!allowed[adapter.kind].has(operator)) {
      problems.push(`The operator '${operator.toUpperCase()}' is not supported by the '${node.field}' field.`);
      return () => false;
    }
    const targets = resolveOperand(node.operand, adapter);
    if (targets === 'empty' || operator === 'is' || operator === 'is not') {
      if (targets !== 'empty') {
        problems.push(`The operator '${operator.toUpperCase()}' only supports EMPTY or NULL.`);
        return () => false;
      }
      const wantEmpty = operator === 'is' || operator === '=';
      return (issue) => (adapter.values(issue).length === 0) === wantEmpty;
    }
    if (adapter.kind === 'text') {
      const words = targets.map((target) => String(target).toLowerCase().replace(/[*?]/g, '').split(/\s+/).filter(Boolean));
      const contains = (issue: StoredIssue) => {
        const haystack = adapter.values(issue).join('\n').toLowerCase();
        return words.some((group) => group.every((word) => haystack.includes(word)));
      };
      return operator === '~' ? contains : (issue) => !contains(issue);
    }
    const equal = (value: Scalar) => targets.some((target) => target === value);
    switch (operator) {
      case '=':
      case 'in':
        return (issue) => adapter.values(issue).some(equal);
      case '!=':
      case 'not in':
        // Jira's negative operators never match an empty field.
        return (issue) => {
          const values = adapter.values(issue);
          return values.length > 0 && !values.some(equal);
        };
      default: {
        const target = targets[0];
        if (target === undefined) return () => false;
        const test = {
          '>': (value: Scalar) => value > target,
          '>=': (value: Scalar) => value >= target,
          '<': (value: Scalar) => value < target,
          '<=': (value: Scalar) => value <= target,
        }[operator as '>' | '>=' | '<' | '<='];
        return (issue) => adapter.values(issue).some(test);
      }
    }
  };

  const matches = query.where ? compileNode(query.where) : () => true;

  type Key = (issue: StoredIssue) => Scalar | [string, number] | null;
  const sortKey = (field: string): Key | undefined => {
    switch (field.toLowerCase()) {
      case 'created':
        return (issue) => issue.created;
      case 'updated':
        return (issue) => issue.updated;
      case 'duedate':
      case 'due':
        return (issue) => issue.duedate;
      case 'resolutiondate':
      case 'resolved':
        return (issue) => issue.resolutiondate;
      case 'key':
      case 'issuekey':
      case 'id':
        return (issue) => issueNumberOrder(store, issue);
      case 'priority':
        return (issue) => -Number(issue.priorityId);
      case 'status':
        return (issue) => statusById(issue.statusId)!.name;
      case 'summary':
        return (issue) => issue.summary.toLowerCase();
      default:
        return undefined;
    }
  };
  const orderBy = query.orderBy.length > 0 ? query.orderBy : [{ field: 'created', direction: 'DESC' as const }];
  const sorters = orderBy.map(({ field, direction }) => {
    const key = sortKey(field);
    if (!key) problems.push(`Not able to sort using field '${field}'.`);
    return { key: key ?? (() => null), sign: direction === 'DESC' ? -1 : 1 };
  });
  const compareValues = (a: ReturnType<Key>, b: ReturnType<Key>): number => {
    if (a === b) return 0;
    // Empty values sort last whatever the direction, as Jira lists them.
    if (a === null) return 1;
    if (b === null) return -1;
    if (Array.isArray(a) && Array.isArray(b)) return a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const lastSign = sorters.at(-1)!.sign;
  const compare = (a: StoredIssue, b: StoredIssue): number => {
    for (const { key, sign } of sorters) {
      const ka = key(a);
      const kb = key(b);
      if (ka === null || kb === null) {
        const result = compareValues(ka, kb);
        if (result !== 0) return result;
        continue;
      }
      const result = compareValues(ka, kb) * sign;
      if (result !== 0) return result;
    }
    // A stable tie-break keeps pages from overlapping when many issues share a timestamp.
    return (Number(a.id) - Number(b.id)) * lastSign;
  };

  return { matches, compare, problems };
}

/** Strict validation: Jira answers 400 with every problem it found. */
export function assertValid(compiled: CompiledJql): void {
  if (compiled.problems.length > 0) throw new JiraError(400, { errorMessages: [...compiled.problems] });
}
