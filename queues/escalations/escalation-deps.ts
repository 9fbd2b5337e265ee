import type { Store } from '../../core/store/index.ts';
import type { HubQueues } from '../create-queues.ts';

/** What escalation work needs: the store, the queues (notices go through `notify`) and the one clock. */
export interface EscalationDeps {
  store: Store;
  queues?: Pick<HubQueues, 'get'>;
  now: () => Date;
  /** The hub's public base URL: notices link to the escalation or milestone there. */
  publicUrl: string;
}
