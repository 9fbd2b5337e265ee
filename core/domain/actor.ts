/**
 * Who makes a change: a person through an API key (`user`, id = the key id), a connected
 * system (`connection`, id = the connection id), the hub itself (`system`, id = the process or
 * job), or someone answering a message (`reply`, id = the person id).
 */
export interface Actor {
  kind: 'user' | 'connection' | 'system' | 'reply';
  id: string;
  /** How the change arrived: `api`, `whatsapp`, `email`, `jira`, `scheduler` ... */
  channel?: string;
  /** The API key's role, when the actor is a `user`; visibility and approval steps read it. */
  role?: string;
}
