export { envSchema, loadConfig, type ConfigResult, type HubConfig } from './load-config.ts';
