import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import { keysGenerate, keysRotate } from './keys-rotate.ts';
import { runProcess } from './run-process.ts';
import { tenantCreate } from './tenant-create.ts';

const program = new Command();
program.name('hub').description('Milestone Hub: milestone-based payments, synced with the systems you run').exitOverride();

program
  .command('start', { isDefault: true })
  .description('run the API and every worker in one process (embedded store by default)')
  .action(() => runProcess('all'));
program.command('api').description('run only the HTTP API (scale-out; needs MONGODB_URI)').action(() => runProcess('api'));
program.command('worker').description('run only the queue workers (scale-out; needs MONGODB_URI)').action(() => runProcess('worker'));

const tenant = program.command('tenant').description('manage tenants');
tenant
  .command('create <slug>')
  .description('create a tenant and print its first admin API key')
  .requiredOption('--name <name>', 'legal or display name, e.g. "Acme Infra Pvt Ltd"')
  .option('--time-zone <zone>', 'IANA time zone', 'Asia/Kolkata')
  .option('--url <url>', 'base URL of a running hub (default http://127.0.0.1:$PORT)')
  .action((slug: string, opts: { name: string; timeZone?: string; url?: string }) => tenantCreate(slug, opts));

const keys = program.command('keys').description('manage the master keys that encrypt stored secrets');
keys.command('rotate').description('re-encrypt every stored secret under the first key in HUB_MASTER_KEY').action(() => keysRotate());
keys
  .command('generate')
  .description('print a new key entry to put first in HUB_MASTER_KEY')
  .option('--id <id>', 'key id')
  .action((opts: { id?: string }) => keysGenerate(opts.id));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof CliError) {
    process.stderr.write(`hub: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`hub: unexpected error: ${(err as Error).message}\n`);
  process.exit(1);
}
