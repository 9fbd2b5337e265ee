import { z } from 'zod';

const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/, {
    error: 'must be a host name or an IP address',
  });

// `Name <address>` or a bare address; the address part is what From and Message-ID use.
const mailbox = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^(?:[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)$/, { error: 'must be an address or "Name <address>"' });

/** An `email` connection's config: the SMTP server it sends through and the From it sends as. */
export const emailConfigSchema = z.strictObject({
  host: hostName.describe('SMTP server, e.g. smtp.zoho.in'),
  port: z.number().int().min(1).max(65535).describe('587 for STARTTLS submission, 465 for implicit TLS, 25 for relays'),
  secure: z.boolean().describe('True for implicit TLS (port 465); false upgrades with STARTTLS when the server offers it'),
  from: mailbox.describe('Sender, e.g. "Acme Projects <projects@acme.in>"'),
  requireTls: z.boolean().optional().describe('Refuse to send unless STARTTLS succeeds (secure=false only)'),
  messageIdDomain: hostName.optional().describe("Right-hand side of the Message-IDs the hub generates; defaults to the From address's domain"),
  replyTo: mailbox.optional().describe('Where replies go when not to From (e.g. an inbound-mail address)'),
});

/** Parsed `email` config. */
export type EmailConfig = z.output<typeof emailConfigSchema>;

/** SMTP AUTH credentials; both or neither (an IP-allow-listed relay needs none). */
export const emailCredentialsSchema = z
  .strictObject({
    user: z.string().min(1).max(320).optional(),
    pass: z.string().min(1).max(1024).optional(),
  })
  .refine((c) => (c.user === undefined) === (c.pass === undefined), { error: 'give both user and pass, or neither', path: ['pass'] });

/** Parsed `email` credentials. */
export type EmailCredentials = z.output<typeof emailCredentialsSchema>;
