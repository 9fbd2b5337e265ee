import type { Store } from '../../core/store/index.ts';
import type { HubQueues } from '../create-queues.ts';

/** What {@link requestNotification} needs: the store, the queues and the clock. */
export interface NotifyDeps {
  store: Store;
  /** Without queues the notification is stored and the sweep enqueues it once a worker runs. */
  queues?: Pick<HubQueues, 'get'>;
  /** @default () => new Date() */
  now?: () => Date;
}
