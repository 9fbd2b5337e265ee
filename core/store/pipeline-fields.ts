/**
 * The top-level fields an aggregation pipeline reads from its input documents, or null when it
 * may read the whole document (`$$ROOT`, a stage this analysis does not know, or a pipeline whose
 * output is the documents themselves). Mirrors MongoDB's own dependency analysis: reading stops
 * at the first stage that builds new documents (`$group`, an inclusion `$project`, `$facet`, ...).
 */
export function fieldsNeeded(pipeline: readonly Record<string, unknown>[]): string[] | null {
  const fields = new Set<string>();
  return collectPipeline(pipeline, fields) ? [...fields].sort() : null;
}

/** Adds what `pipeline` reads to `fields`; true when its output no longer holds input documents. */
function collectPipeline(pipeline: readonly Record<string, unknown>[], fields: Set<string>): boolean {
  for (const stage of pipeline) {
    const keys = Object.keys(stage);
    if (keys.length !== 1) return false;
    const op = keys[0]!;
    const spec = stage[op];
    switch (op) {
      case '$match':
        if (!collectQuery(spec, fields)) return false;
        break;
      case '$addFields':
      case '$set':
        if (!isPlainObject(spec) || !collectExpression(Object.values(spec), fields)) return false;
        break;
      case '$unset':
      case '$limit':
      case '$skip':
        break;
      case '$sort':
        if (!isPlainObject(spec)) return false;
        for (const k of Object.keys(spec)) fields.add(head(k));
        break;
      case '$unwind': {
        const path = typeof spec === 'string' ? spec : isPlainObject(spec) ? spec.path : undefined;
        if (typeof path !== 'string' || !path.startsWith('$')) return false;
        fields.add(head(path.slice(1)));
        break;
      }
      case '$project': {
        if (!isPlainObject(spec)) return false;
        const inclusion = Object.entries(spec).some(([k, v]) => k !== '_id' && v !== 0 && v !== false);
        if (!inclusion) break;
        for (const [k, v] of Object.entries(spec)) {
          if (v === 0 || v === false) continue;
          // A nested projection (`{ a: { b: 1 } }`) reads `a` itself.
          if (v === 1 || v === true || isPlainObject(v)) fields.add(head(k));
          if (!collectExpression(v, fields)) return false;
        }
        // `_id` stays in an inclusion projection unless it is excluded.
        if (!('_id' in spec)) fields.add('_id');
        return true;
      }
      case '$group':
      case '$replaceRoot':
      case '$replaceWith':
      case '$sortByCount':
      case '$bucket':
      case '$bucketAuto':
        return collectExpression(spec, fields);
      case '$count':
        return true;
      case '$facet': {
        if (!isPlainObject(spec)) return false;
        for (const sub of Object.values(spec)) {
          if (!Array.isArray(sub) || !collectPipeline(sub as Record<string, unknown>[], fields)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  }
  // The documents themselves come out: every field is needed.
  return false;
}

/** Field names of a query (values are literals there), and field paths inside `$expr`. */
function collectQuery(query: unknown, fields: Set<string>): boolean {
  if (!isPlainObject(query)) return false;
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v) || !v.every((part) => collectQuery(part, fields))) return false;
    } else if (k === '$expr') {
      if (!collectExpression(v, fields)) return false;
    } else if (k.startsWith('$')) {
      // $where, $text and the like may read anything.
      return false;
    } else {
      fields.add(head(k));
    }
  }
  return true;
}

/** Field paths (`'$a.b'`) anywhere in an expression; false on `$$ROOT` or `$$CURRENT`. */
function collectExpression(expr: unknown, fields: Set<string>): boolean {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return !/^\$\$(ROOT|CURRENT)\b/.test(expr);
    if (expr.startsWith('$')) fields.add(head(expr.slice(1)));
    return true;
  }
  if (Array.isArray(expr)) return expr.every((e) => collectExpression(e, fields));
  if (!isPlainObject(expr)) return true;
  for (const [k, v] of Object.entries(expr)) {
    if (k === '$literal') continue;
    if (!collectExpression(v, fields)) return false;
  }
  return true;
}

const head = (path: string): string => path.split('.')[0]!;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);
}
