import { generateMasterKey } from '../core/vault/index.ts';

/** Prints a fresh key entry to put first in HUB_MASTER_KEY. */
export function keysGenerate(id?: string): void {
  process.stdout.write(`${generateMasterKey(id)}\n`);
}
