import { startHub, StartupError, type HubMode } from '../api/index.ts';

/** Runs the hub in the foreground until SIGTERM or SIGINT, then shuts down gracefully. */
export async function runProcess(mode: HubMode): Promise<void> {
  let hub;
  try {
    hub = await startHub({ mode });
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`hub: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (hub.url) process.stdout.write(`Milestone Hub (${mode}) listening on ${hub.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    hub.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      process.stderr.write('hub: shutdown took over 25 s; exiting\n');
      process.exit(1);
    }, 25_000);
    force.unref();
    hub
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
