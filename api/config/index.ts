export { envSchema, loadConfig, processModeProblem, type ConfigResult, type HubConfig } from './load-config.ts';
