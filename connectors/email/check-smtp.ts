import nodemailer from 'nodemailer';
import type { CheckResult, ConnectorContext } from '../sdk/index.ts';
import type { EmailConfig, EmailCredentials } from './email-settings.ts';
import { smtpTransportOptions } from './send-email.ts';
import { smtpAddressPolicy } from './smtp-socket.ts';
import { vendorErrorFromSmtp } from './vendor-error-from-smtp.ts';

/** Connects, says EHLO, negotiates TLS as configured and logs in, then quits without sending. */
export async function checkSmtp(ctx: ConnectorContext<EmailConfig, EmailCredentials>): Promise<CheckResult> {
  const transport = nodemailer.createTransport(smtpTransportOptions({ config: ctx.config, credentials: ctx.credentials, policy: smtpAddressPolicy(ctx) }));
  try {
    await transport.verify();
    const login = ctx.credentials.user === undefined ? 'without a login' : `as ${ctx.credentials.user}`;
    return { ok: true, message: `${ctx.config.host}:${ctx.config.port} accepts mail ${login}` };
  } catch (err) {
    throw vendorErrorFromSmtp(err, `SMTP ${ctx.config.host}:${ctx.config.port}`);
  } finally {
    transport.close();
  }
}
