export { syncQueues } from './sync-queues.ts';
