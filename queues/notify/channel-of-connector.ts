import type { Channel } from '../../core/notifications/index.ts';

/** The channel each messaging connector serves. */
export const CONNECTOR_CHANNELS: Readonly<Record<string, Channel>> = {
  email: 'email',
  'whatsapp-cloud': 'whatsapp',
  'whatsapp-web': 'whatsapp',
  twilio: 'sms',
  msg91: 'sms',
};

/** The channel of a connector, or undefined for connectors that carry no messages. */
export function channelOfConnector(connector: string): Channel | undefined {
  return Object.hasOwn(CONNECTOR_CHANNELS, connector) ? CONNECTOR_CHANNELS[connector] : undefined;
}
