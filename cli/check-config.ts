import { loadConfig, processModeProblem } from '../api/config/index.ts';

type Env = Record<string, string | undefined>;

// Stand-ins for the secrets an embedded hub makes on its first start: valid, never used.
const STAND_IN_MASTER_KEY = `k1:${Buffer.alloc(32).toString('base64')}`;
const STAND_IN_ADMIN_TOKEN = 'hat_'.padEnd(24, '0');

/**
 * What is wrong with the hub's settings for `hub <mode>`, checked before the runtime loads so the
 * mistake shows at once; undefined when the check finds nothing. The message is the one the hub's
 * start gives for the same settings (the CLI prints it as `hub: <message>`, exit code 1).
 *
 * The check writes nothing. An embedded hub missing a master key or admin token makes it on
 * start (and shows a new admin token once), so a missing one is replaced by a stand-in here: what
 * is set is checked, and making or reading the missing secrets (their files in the data
 * directory) is left to the start.
 */
export function configProblem(mode: 'all' | 'api' | 'worker', env: Env): string | undefined {
  // As the hub reads them, an empty variable is an unset one.
  const embedded = !env.MONGODB_URI;
  const loaded = loadConfig(embedded ? { ...env, HUB_MASTER_KEY: env.HUB_MASTER_KEY || STAND_IN_MASTER_KEY, HUB_ADMIN_TOKEN: env.HUB_ADMIN_TOKEN || STAND_IN_ADMIN_TOKEN } : env);
  if (!loaded.ok) return loaded.error;
  // The hub's start refuses the same.
  return processModeProblem(mode, loaded.config);
}
