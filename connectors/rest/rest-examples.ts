import { readdirSync, readFileSync } from 'node:fs';
import type { ConnectorExample } from '../sdk/index.ts';

const EXAMPLES_DIR = new URL('./examples/', import.meta.url);

/** The shipped example configs in `examples/`, each `{ name, description, config }`. */
export function restExamples(): ConnectorExample[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8')) as ConnectorExample);
}
