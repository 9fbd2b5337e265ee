import type { WhatsAppCloudConfig } from './whatsapp-cloud-settings.ts';

/** `{baseUrl}/{apiVersion}/{path}` with exactly one slash between the parts. */
export function graphUrl(config: Pick<WhatsAppCloudConfig, 'baseUrl' | 'apiVersion'>, path: string): string {
  return `${config.baseUrl.replace(/\/+$/, '')}/${config.apiVersion}/${path.replace(/^\/+/, '')}`;
}
