// Runs every benchmark in this folder (files exporting `run()`) one after another and prints
// their figures. `npm run bench -- me-throughput` runs only the named ones.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

let failed = 0;
for (const file of files) {
  const mod = (await import(join(import.meta.dirname, file))) as { run?: () => Promise<unknown> };
  if (typeof mod.run !== 'function') continue;
  process.stdout.write(`\n## ${file.replace(/\.ts$/, '')}\n`);
  try {
    const result = (await mod.run()) as { lines?: string[] } | undefined;
    if (result && Array.isArray(result.lines)) process.stdout.write(`${result.lines.join('\n')}\n`);
    else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (err) {
    failed += 1;
    process.stdout.write(`failed: ${(err as Error).message}\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
