import type { CompiledMapping, MapResult } from './compile-mapping.ts';
import { parseFieldPath, pathReader } from './field-path.ts';
import { sameValue } from './same-value.ts';

/** One change a write would make to a mapped field of the target record. */
export interface DiffOp {
  path: string;
  op: 'add' | 'remove' | 'replace';
  from?: unknown;
  to?: unknown;
}

/** What to preview: `out` maps hub records to the remote shape, `in` maps remote records to the hub. */
export interface PreviewRequest {
  direction: 'out' | 'in';
  records: readonly unknown[];
  /** The current target record for each input record (same index), e.g. the linked record. */
  current?: readonly unknown[];
}

/** The mapped output per record and, where a current target was given, the diff against it. */
export interface PreviewItem extends MapResult {
  diff?: DiffOp[];
}

/**
 * Maps sample or live records and diffs them against the current targets, field by mapped
 * field. Nothing is written. Fields the output leaves out are not touched by a write, so they
 * never appear in the diff; a mapped null is a `remove`.
 */
export async function previewMapping(
  compiled: CompiledMapping,
  { direction, records, current }: PreviewRequest,
): Promise<{ results: PreviewItem[] }> {
  const targets = compiled.spec.fields.map((field) => {
    const path = direction === 'out' ? field.remote : field.hub;
    const parsed = parseFieldPath(path, '');
    return { path, read: parsed.ok ? pathReader(parsed.segments) : () => undefined };
  });
  const results = await Promise.all(records.map(async (record, i): Promise<PreviewItem> => {
    const mapped = direction === 'out' ? await compiled.toRemote(record) : await compiled.toHub(record);
    const target = current?.[i];
    if (current === undefined || mapped.output === undefined) return mapped;
    const diff: DiffOp[] = [];
    for (const { path, read } of targets) {
      const to = read(mapped.output);
      if (to === undefined) continue;
      const from = target === undefined ? undefined : read(target);
      if (sameValue(from, to)) continue;
      if (to === null) diff.push({ path, op: 'remove', from });
      else if (from === undefined || from === null) diff.push({ path, op: 'add', to });
      else diff.push({ path, op: 'replace', from, to });
    }
    return { ...mapped, diff };
  }));
  return { results };
}
