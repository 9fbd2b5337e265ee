// Mapping throughput: a 25-field mapping (plain paths, value maps, JSONata) compiled by the
// mapping engine, against the same mapping written by hand as a plain function, in one run. The
// full mapping is measured twice: with expressions on the compiled fast path (the default) and
// with every expression sent to JSONata (`fastExpressions: false`), for reference.
// Rates are records per second of this process's CPU time (all its threads, so garbage
// collection counts): on a shared machine wall-clock rates swing with other load, CPU time much
// less. Wall-clock figures are printed alongside; on an idle machine the two agree.
// Run: node --import tsx bench/mapping-throughput.ts
import { availableParallelism, loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { pathToFileURL } from 'node:url';
import { compileMapping } from '../mappings/index.ts';
import type { CompileOptions, CompiledMapping, FieldMapping, MappingSpecInput } from '../mappings/index.ts';

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

// Module-level rather than a closure per record: tsx (which the hub runs under) wraps every
// closure it creates in a name-setting helper, which would slow the hand-written side unfairly.
function set(fields: Record<string, unknown>, k: string, v: unknown): void {
  if (v !== undefined) fields[k] = v;
}

// What an engineer would write for the same 25 fields, with the same null/absent behaviour.
function handSync(r: Hub): Remote {
  const owner = r.owners?.[0];
  const fields: Record<string, unknown> = {};
  set(fields, 'summary', r.title);
  set(fields, 'description', r.description);
  set(fields, 'duedate', r.dueDate);
  set(fields, 'customfield_10015', r.plannedStart);
  set(fields, 'labels', r.tags);
  set(fields, 'customfield_10020', r.percentComplete);
  if (owner !== undefined && (owner.email !== undefined || owner.name !== undefined)) {
    const assignee: Record<string, unknown> = {};
    if (owner.email !== undefined) assignee.emailAddress = owner.email;
    if (owner.name !== undefined) assignee.displayName = owner.name;
    fields.assignee = assignee;
  }
  set(fields, 'customfield_10031', r.payment?.gstRate);
  set(fields, 'customfield_10032', r.payment?.percent);
  set(fields, 'customfield_10033', r.payment?.dueInDays);
  set(fields, 'customfield_10040', r.customFields?.costCentre);
  set(fields, 'customfield_10041', r.customFields?.region);
  if (r.projectId !== undefined) fields.project = { key: r.projectId };
  set(fields, 'customfield_10050', r.id);
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

interface Rate {
  /** Records per second of process CPU time. */
  cpu: number;
  /** Records per second of wall-clock time. */
  wall: number;
}

function rate(done: number, startWall: number, startCpu: NodeJS.CpuUsage): Rate {
  const cpu = process.cpuUsage(startCpu);
  return { cpu: done / ((cpu.user + cpu.system) / 1e6), wall: done / ((performance.now() - startWall) / 1000) };
}

async function rateCompiled(compiled: CompiledMapping, records: readonly Hub[], ms: number): Promise<Rate> {
  let done = 0;
  const startCpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const r of records) await compiled.toRemote(r);
    done += records.length;
  }
  return rate(done, start, startCpu);
}

function rateHand(fn: (r: Hub) => Remote, records: readonly Hub[], ms: number): Rate {
  let done = 0;
  let sink = 0;
  const startCpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const r of records) sink += fn(r).fields === undefined ? 1 : 0;
    done += records.length;
  }
  if (sink < 0) console.log(sink);
  return rate(done, start, startCpu);
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
  /** Records per second of process CPU time (medians over the rounds), as is `compiledPerSec`. */
  handPerSec: number;
  compiledPerSec: number;
  /** hand / compiled: how many times faster the hand-written function is, by CPU time. */
  ratio: number;
  /** The same measured by wall clock, which other load on the machine distorts. */
  handPerWallSec: number;
  compiledPerWallSec: number;
  wallRatio: number;
}

/**
 * Runs the benchmark: the full 25-field mapping, its 20 expression-free fields alone, and the full
 * mapping again with the expression fast path switched off (every expression through JSONata).
 */
export async function run({ millis = 1_500, rounds = 3 }: { millis?: number; rounds?: number } = {}): Promise<{
  full: ThroughputFigures;
  withoutExpressions: ThroughputFigures;
  fullJsonataOnly: ThroughputFigures;
}> {
  const records = sampleRecords(2_000);
  const measure = async (fields: FieldMapping[], fn: (r: Hub) => Remote, options: CompileOptions = {}): Promise<ThroughputFigures> => {
    const compiled = compileMapping(spec(fields), options);
    await assertSame(compiled, fn, records);
    await rateCompiled(compiled, records, 200); // warm-up
    rateHand(fn, records, 200);
    const hand: Rate[] = [];
    const comp: Rate[] = [];
    for (let i = 0; i < rounds; i += 1) {
      hand.push(rateHand(fn, records, millis));
      comp.push(await rateCompiled(compiled, records, millis));
    }
    const handPerSec = median(hand.map((r) => r.cpu));
    const compiledPerSec = median(comp.map((r) => r.cpu));
    const handPerWallSec = median(hand.map((r) => r.wall));
    const compiledPerWallSec = median(comp.map((r) => r.wall));
    return {
      fields: fields.length,
      expressions: fields.filter((f) => f.toRemote !== undefined).length,
      handPerSec,
      compiledPerSec,
      ratio: handPerSec / compiledPerSec,
      handPerWallSec,
      compiledPerWallSec,
      wallRatio: handPerWallSec / compiledPerWallSec,
    };
  };
  const full = await measure([...plainFields, ...valueMapFields, ...expressionFields], handFull);
  const withoutExpressions = await measure([...plainFields, ...valueMapFields], handSync);
  const fullJsonataOnly = await measure([...plainFields, ...valueMapFields, ...expressionFields], handFull, { fastExpressions: false });
  return { full, withoutExpressions, fullJsonataOnly };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function report(label: string, f: ThroughputFigures): void {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  console.log(`${label}: ${f.fields} fields (${f.expressions} JSONata)`);
  console.log(`  hand-written  ${n(f.handPerSec)} records/s   (wall clock ${n(f.handPerWallSec)})`);
  console.log(`  compiled      ${n(f.compiledPerSec)} records/s   (wall clock ${n(f.compiledPerWallSec)})`);
  console.log(`  ratio hand/compiled = ${f.ratio.toFixed(2)} (target ≤ 3; wall clock ${f.wallRatio.toFixed(2)})`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { full, withoutExpressions, fullJsonataOnly } = await run();
  report('mapping-throughput, full mapping', full);
  report('mapping-throughput, paths and value maps only', withoutExpressions);
  report('mapping-throughput, full mapping with every expression through JSONata (fastExpressions: false)', fullJsonataOnly);
  // The runs share the 20 synchronous fields, so the difference is what the expressions cost.
  const perExpression = (f: ThroughputFigures): string => ((1e6 / f.compiledPerSec - 1e6 / withoutExpressions.compiledPerSec) / f.expressions).toFixed(2);
  console.log(`expressions: about ${perExpression(full)} µs each per record on the fast path, ${perExpression(fullJsonataOnly)} µs through JSONata (async evaluate)`);
  // Hand-written and compiled rounds interleave, but a busy machine still skews wall-clock figures.
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
}
