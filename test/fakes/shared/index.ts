export { FakeClock } from './fake-clock.ts';
export { FailureInjector } from './failure-injector.ts';
export type { FailureSpec } from './failure-injector.ts';
export { RequestLog } from './request-log.ts';
export type { LoggedRequest } from './request-log.ts';
