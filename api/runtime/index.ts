export { startHub, StartupError, type HubMode, type RunningHub } from './start-hub.ts';
export { lockDataDir } from './data-dir-lock.ts';
export { SECRET_COLLECTIONS } from './secret-collections.ts';
