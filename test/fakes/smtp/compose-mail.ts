import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';

/**
 * The raw RFC 5322 bytes a real mail client would send for these options (nodemailer's
 * MailComposer: MIME structure, transfer encodings and encoded words as they appear on the wire).
 * Tests build replies and bounces with it instead of hand-writing MIME.
 */
export function composeMail(options: Mail.Options): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    new MailComposer(options).compile().build((err, message) => (err ? reject(err) : resolve(message)));
  });
}
