// Mapping throughput: a 25-field mapping (plain paths, value maps, JSONata) compiled by the
// mapping engine, against the same mapping written by hand as a plain function, in one run.
// Run: node --import tsx bench/mapping-throughput.ts
import { isDeepStrictEqual } from 'node:util';
import { pathToFileURL } from 'node:url';
import { compileMapping } from '../mappings/index.ts';
import type { CompiledMapping, FieldMapping, MappingSpecInput } from '../mappings/index.ts';

// The sample hub record; every field may be absent, as in real data.
interface Hub {
  id?: string;
  projectId?: string;
  title?: string;
  description?: string;
  status?: string;
  kind?: string;
  priority?: string;
  risk?: string;
  dueDate?: string;
  plannedStart?: string;
  percentComplete?: number;
  tags?: string[];
  payment?: { amount?: number; percent?: number; gstRate?: number; dueInDays?: number };
  owners?: Array<{ name?: string; email?: string; role?: string }>;
  customFields?: { costCentre?: string; region?: string };
}
type Remote = { fields: Record<string, unknown> };

const STATUS = { planned: 'To Do', in_progress: 'In Progress', on_hold: 'Blocked', submitted: 'In Review', verified: 'Done' } as const;
const PRIORITY = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Highest' } as const;
const RISK = { low: 'Green', medium: 'Amber', high: 'Red' } as const;
const KIND = { deliverable: 'Story', phase: 'Epic', advance: 'Task', retention: 'Task' } as const;
const ROLE = { accountable: 'A', responsible: 'R', verifier: 'V', approver: 'P' } as const;

const plainFields: FieldMapping[] = [
  { hub: 'title', remote: 'fields.summary' },
  { hub: 'description', remote: 'fields.description' },
  { hub: 'dueDate', remote: 'fields.duedate' },
  { hub: 'plannedStart', remote: 'fields.customfield_10015' },
  { hub: 'tags', remote: 'fields.labels' },
  { hub: 'percentComplete', remote: 'fields.customfield_10020' },
  { hub: 'owners[0].email', remote: 'fields.assignee.emailAddress' },
  { hub: 'owners[0].name', remote: 'fields.assignee.displayName' },
  { hub: 'payment.gstRate', remote: 'fields.customfield_10031' },
  { hub: 'payment.percent', remote: 'fields.customfield_10032' },
  { hub: 'payment.dueInDays', remote: 'fields.customfield_10033' },
  { hub: 'customFields.costCentre', remote: 'fields.customfield_10040' },
  { hub: 'customFields.region', remote: 'fields.customfield_10041' },
  { hub: 'projectId', remote: 'fields.project.key' },
  { hub: 'id', remote: 'fields.customfield_10050' },
];
const valueMapFields: FieldMapping[] = [
  { hub: 'status', remote: 'fields.status.name', valueMap: STATUS },
  { hub: 'priority', remote: 'fields.priority.name', valueMap: PRIORITY },
  { hub: 'risk', remote: 'fields.customfield_10060.value', valueMap: RISK },
  { hub: 'kind', remote: 'fields.issuetype.name', valueMap: KIND },
  { hub: 'owners[0].role', remote: 'fields.customfield_10061.value', valueMap: ROLE },
];
const expressionFields: FieldMapping[] = [
  { hub: 'payment.amount', remote: 'fields.customfield_10030', toRemote: '$value / 100' },
  { hub: 'title', remote: 'fields.customfield_10070', toRemote: '$uppercase($value)' },
  { hub: 'tags', remote: 'fields.customfield_10071', toRemote: '$join($value, ",")' },
  { hub: 'dueDate', remote: 'fields.customfield_10072', toRemote: '$substring($value, 0, 7)' },
  { hub: 'customFields.costCentre', remote: 'fields.customfield_10073', toRemote: 'customFields.region & "/" & $value' },
];

function spec(fields: FieldMapping[]): MappingSpecInput {
  return { connectionId: 'bench', name: 'bench', hubObject: 'milestone', remoteObject: 'issue', direction: 'out', fields };
}

// What an engineer would write for the same 25 fields, with the same null/absent behaviour.
function handSync(r: Hub): Remote {
  const owner = r.owners?.[0];
  const fields: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => { if (v !== undefined) fields[k] = v; };
  set('summary', r.title);
  set('description', r.description);
  set('duedate', r.dueDate);
  set('customfield_10015', r.plannedStart);
  set('labels', r.tags);
  set('customfield_10020', r.percentComplete);
  if (owner !== undefined && (owner.email !== undefined || owner.name !== undefined)) {
    const assignee: Record<string, unknown> = {};
    if (owner.email !== undefined) assignee.emailAddress = owner.email;
    if (owner.name !== undefined) assignee.displayName = owner.name;
    fields.assignee = assignee;
  }
  set('customfield_10031', r.payment?.gstRate);
  set('customfield_10032', r.payment?.percent);
  set('customfield_10033', r.payment?.dueInDays);
  set('customfield_10040', r.customFields?.costCentre);
  set('customfield_10041', r.customFields?.region);
  if (r.projectId !== undefined) fields.project = { key: r.projectId };
  set('customfield_10050', r.id);
  const status = STATUS[r.status as keyof typeof STATUS];
  if (status !== undefined) fields.status = { name: status };
  const priority = PRIORITY[r.priority as keyof typeof PRIORITY];
  if (priority !== undefined) fields.priority = { name: priority };
  const risk = RISK[r.risk as keyof typeof RISK];
  if (risk !== undefined) fields.customfield_10060 = { value: risk };
  const kind = KIND[r.kind as keyof typeof KIND];
  if (kind !== undefined) fields.issuetype = { name: kind };
  const role = ROLE[owner?.role as keyof typeof ROLE];
  if (role !== undefined) fields.customfield_10061 = { value: role };
  return { fields };
}

function handFull(r: Hub): Remote {
  const out = handSync(r);
  const { fields } = out;
  if (typeof r.payment?.amount === 'number') fields.customfield_10030 = r.payment.amount / 100;
  if (typeof r.title === 'string') fields.customfield_10070 = r.title.toUpperCase();
  if (Array.isArray(r.tags)) fields.customfield_10071 = r.tags.join(',');
  if (typeof r.dueDate === 'string') fields.customfield_10072 = r.dueDate.slice(0, 7);
  if (r.customFields?.costCentre !== undefined) fields.customfield_10073 = `${r.customFields.region ?? ''}/${r.customFields.costCentre}`;
  return out;
}

function sampleRecords(count: number): Hub[] {
  const pick = <T>(values: readonly T[], i: number): T => values[i % values.length] as T;
  return Array.from({ length: count }, (_, i) => ({
    id: `ms_${i}`,
    projectId: `PRJ${i % 50}`,
    title: `Milestone ${i}: design review`,
    description: `Deliverables for phase ${i % 7}`,
    status: pick(Object.keys(STATUS), i),
    kind: pick(Object.keys(KIND), i),
    priority: pick(Object.keys(PRIORITY), i),
    risk: pick(Object.keys(RISK), i),
    dueDate: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
    plannedStart: '2025-01-01',
    percentComplete: i % 101,
    tags: ['client-a', `wave-${i % 4}`],
    payment: { amount: 1_000_000 + i, percent: 20, gstRate: 18, dueInDays: 15 },
    owners: [{ name: `Owner ${i}`, email: `owner${i}@example.in`, role: pick(Object.keys(ROLE), i) }],
    customFields: { costCentre: `CC-${i % 9}`, region: 'south' },
  }));
}

async function rateCompiled(compiled: CompiledMapping, records: readonly Hub[], ms: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const r of records) await compiled.toRemote(r);
    done += records.length;
  }
  return done / ((performance.now() - start) / 1000);
}

function rateHand(fn: (r: Hub) => Remote, records: readonly Hub[], ms: number): number {
  let done = 0;
  let sink = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const r of records) sink += fn(r).fields === undefined ? 1 : 0;
    done += records.length;
  }
  if (sink < 0) console.log(sink);
  return done / ((performance.now() - start) / 1000);
}

async function assertSame(compiled: CompiledMapping, fn: (r: Hub) => Remote, records: readonly Hub[]): Promise<void> {
  for (const r of records.slice(0, 200)) {
    const { output, errors } = await compiled.toRemote(r);
    if (errors.length > 0 || !isDeepStrictEqual(output, fn(r))) {
      throw new Error(`hand-written and compiled mappings disagree on ${r.id}: ${JSON.stringify({ output, hand: fn(r), errors })}`);
    }
  }
}

/** One measured pair: records per second for the hand-written and the compiled mapping. */
export interface ThroughputFigures {
  fields: number;
  expressions: number;
  handPerSec: number;
  compiledPerSec: number;
  /** hand / compiled: how many times faster the hand-written function is. */
  ratio: number;
}

/** Runs the benchmark: the full 25-field mapping, and its 20 expression-free fields alone. */
export async function run({ millis = 1_500, rounds = 3 }: { millis?: number; rounds?: number } = {}): Promise<{ full: ThroughputFigures; withoutExpressions: ThroughputFigures }> {
  const records = sampleRecords(2_000);
  const measure = async (fields: FieldMapping[], fn: (r: Hub) => Remote): Promise<ThroughputFigures> => {
    const compiled = compileMapping(spec(fields));
    await assertSame(compiled, fn, records);
    await rateCompiled(compiled, records, 200); // warm-up
    rateHand(fn, records, 200);
    const hand: number[] = [];
    const comp: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      hand.push(rateHand(fn, records, millis));
      comp.push(await rateCompiled(compiled, records, millis));
    }
    const handPerSec = median(hand);
    const compiledPerSec = median(comp);
    return {
      fields: fields.length,
      expressions: fields.filter((f) => f.toRemote !== undefined).length,
      handPerSec,
      compiledPerSec,
      ratio: handPerSec / compiledPerSec,
    };
  };
  const full = await measure([...plainFields, ...valueMapFields, ...expressionFields], handFull);
  const withoutExpressions = await measure([...plainFields, ...valueMapFields], handSync);
  return { full, withoutExpressions };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function report(label: string, f: ThroughputFigures): void {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`${label}: ${f.fields} fields (${f.expressions} JSONata)`);
  console.log(`  hand-written  ${n(f.handPerSec)} records/s`);
  console.log(`  compiled      ${n(f.compiledPerSec)} records/s`);
  console.log(`  ratio hand/compiled = ${f.ratio.toFixed(2)} (target ≤ 3)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { full, withoutExpressions } = await run();
  report('mapping-throughput, full mapping', full);
  report('mapping-throughput, paths and value maps only', withoutExpressions);
  // Both runs share the 20 synchronous fields, so the difference is what the expressions cost.
  const perExpression = (1e6 / full.compiledPerSec - 1e6 / withoutExpressions.compiledPerSec) / full.expressions;
  console.log(`JSONata: about ${perExpression.toFixed(1)} µs per expression per record (async evaluate)`);
}
