export { createVault, generateMasterKey, isCiphertext, parseMasterKeys } from './vault.ts';
export type { DecryptResult, SecretContext, Vault, VaultKey } from './vault.ts';
export { rotateSecrets } from './rotate-secrets.ts';
export type { RotationReport } from './rotate-secrets.ts';
