export { startSmtpFake, unusedPort } from './start-smtp-fake.ts';
export type { ReceivedMail, SmtpFake, SmtpFakeMode, SmtpFakeOptions } from './start-smtp-fake.ts';
export { composeMail } from './compose-mail.ts';
