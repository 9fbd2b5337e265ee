export { QUEUE_NAMES, type QueueName } from './queue-names.ts';
export { connectRedis, redisAnswers } from './redis-connection.ts';
export { ensureRedis, redactUrl, type EnsureRedisResult, type RedisEndpoint } from './embedded-redis.ts';
export { createQueues, DEFAULT_JOB_OPTIONS, type HubQueues } from './create-queues.ts';
export { startWorkers, type RunningWorkers, type WorkerLogger, type WorkerSpec } from './start-workers.ts';
export { createWorker, stopRetriesWhenClosing, WorkerClosingError } from './hub-worker.ts';
export { registerQueueMetrics } from './queue-metrics.ts';
export { workerSpecs, type DomainEventHook, type WorkerContext } from './workers/index.ts';
export { OUTBOX_COLLECTIONS, OUTBOX_RELAY_JOB, OUTBOX_RELAY_SCHEDULER_ID, relayOutbox, scheduleOutboxRelay, type RelayOutboxOptions } from './outbox-relay.ts';
