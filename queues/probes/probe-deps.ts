import type { Store } from '../../core/store/index.ts';
import type { HubQueues } from '../create-queues.ts';

/** What probe work needs: the store, the queues (to send through `notify`) and the one clock. */
export interface ProbeDeps {
  store: Store;
  queues?: Pick<HubQueues, 'get'>;
  now: () => Date;
}
