export { MSG91_REPORT, startMsg91Fake } from './start-msg91-fake.ts';
export type { Msg91Fake, Msg91FakeOptions, Msg91Fault, Msg91Request, Msg91Sms, Msg91Template } from './start-msg91-fake.ts';
