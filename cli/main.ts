import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import { whatsappLogin } from './whatsapp-login.ts';

// The commands that need the hub's runtime load it when they run: help, usage errors and the
// commands that need none answer without loading every module of the hub first. A hub process
// checks its settings before that load, so a mistake in them shows at once.
const runProcess = async (mode: 'all' | 'api' | 'worker') => {
  const problem = (await import('./check-config.ts')).configProblem(mode, process.env);
  if (problem !== undefined) throw new CliError(problem);
  return (await import('./run-process.ts')).runProcess(mode);
};
const tenantCreate = async (...args: Parameters<typeof import('./tenant-create.ts').tenantCreate>) => (await import('./tenant-create.ts')).tenantCreate(...args);
const keysRotate = async () => (await import('./keys-rotate.ts')).keysRotate();
const keysGenerate = async (id?: string) => (await import('./keys-generate.ts')).keysGenerate(id);

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

const whatsapp = program.command('whatsapp').description('link WhatsApp Web connections');
whatsapp
  .command('login <connectionId>')
  .description("show the QR code (or a pairing code) of a whatsapp-web connection until the phone has linked")
  .option('--key <apiKey>', 'an admin API key of the tenant (default HUB_API_KEY)')
  .option('--url <url>', 'base URL of the running hub (default http://127.0.0.1:$PORT)')
  .option('--pairing-phone <phone>', 'link by typing a pairing code on this phone instead of scanning')
  .option('--light', 'print for a terminal with a light background')
  .option('--timeout <seconds>', 'give up after this long', '300')
  .action(async (connectionId: string, opts: { key?: string; url?: string; pairingPhone?: string; light?: boolean; timeout: string }) => {
    const port = process.env.PORT ?? '3000';
    await whatsappLogin(connectionId, {
      url: opts.url ?? process.env.HUB_URL ?? `http://127.0.0.1:${port}`,
      key: opts.key ?? process.env.HUB_API_KEY,
      ...(opts.pairingPhone !== undefined ? { pairingPhone: opts.pairingPhone } : {}),
      lightBackground: opts.light === true,
      timeoutSeconds: Number(opts.timeout) || 300,
    });
  });

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
