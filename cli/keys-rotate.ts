import { loadConfig, lockDataDir, SECRET_COLLECTIONS } from '../api/index.ts';
import { openStore } from '../core/store/index.ts';
import { createVault, rotateSecrets } from '../core/vault/index.ts';
import { CliError } from './cli-error.ts';

/** Re-encrypts every stored secret under the first key of HUB_MASTER_KEY. */
export async function keysRotate(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) throw new CliError(loaded.error);
  const { config } = loaded;
  const lock = config.embedded ? lockDataDir(config.dataDir) : undefined;
  if (lock && !lock.ok) throw new CliError(`${lock.error} (rotation rewrites the embedded store)`);
  const store = await openStore({ mongodbUri: config.mongodbUri, dataDir: config.dataDir });
  try {
    const vault = createVault(config.masterKeys);
    const report = await rotateSecrets(store, vault, SECRET_COLLECTIONS);
    process.stdout.write(`${JSON.stringify({ currentKeyId: vault.currentKeyId, ...report }, null, 2)}\n`);
    if (report.failures.length > 0) {
      throw new CliError(`${report.failures.length} secret(s) could not be decrypted with any configured key; they were left as they were`);
    }
  } finally {
    await store.close();
    if (lock?.ok) lock.release();
  }
}
