import { normalizeAddress, optOutId, optOutsCollection, type Channel, type OptOutDoc } from '../../core/notifications/index.ts';
import type { TenantStore } from '../../core/store/index.ts';

/** What is opted out for one recipient: everything, or some channels. */
export interface OptOutState {
  all: boolean;
  channels: Channel[];
}

/** The opt-outs that apply to a person and to the addresses they would be reached on. */
export async function optOutsFor(db: TenantStore, of: { personId?: string; addresses: Partial<Record<Channel, string>> }): Promise<OptOutState> {
  const ids: string[] = [];
  const channelsOf = new Map<string, Channel[]>();
  if (of.personId !== undefined) ids.push(optOutId(db.tenantId, { personId: of.personId }));
  for (const [channel, raw] of Object.entries(of.addresses) as [Channel, string | undefined][]) {
    if (raw === undefined) continue;
    const address = normalizeAddress(channel, raw);
    if (address === null) continue;
    const id = optOutId(db.tenantId, { channel, address });
    ids.push(id);
    channelsOf.set(id, [...(channelsOf.get(id) ?? []), channel]);
  }
  if (ids.length === 0) return { all: false, channels: [] };
  const docs = await db.collection(optOutsCollection).find({ _id: { $in: [...new Set(ids)] } });
  const state: OptOutState = { all: false, channels: [] };
  for (const doc of docs) {
    // An address opt-out stops the channels that use that address; a person's stops what it names.
    const reach = doc.personId !== undefined ? null : (channelsOf.get(doc._id) ?? []);
    if (doc.all) {
      if (reach === null) state.all = true;
      else state.channels.push(...reach);
    } else {
      state.channels.push(...(reach === null ? doc.channels : doc.channels.filter((c) => reach.includes(c))));
    }
  }
  state.channels = [...new Set(state.channels)];
  return state;
}

/** Records an opt-out of an address (a STOP reply, a provider's opt-out error), merged with any earlier one. */
export async function recordAddressOptOut(
  db: TenantStore,
  args: { channel: Channel; address: string; all?: boolean; source: OptOutDoc['source']; reason?: string; at: Date },
): Promise<void> {
  const address = normalizeAddress(args.channel, args.address);
  if (address === null) return;
  const id = optOutId(db.tenantId, { channel: args.channel, address });
  // A phone opt-out from SMS (STOP) covers that number on SMS; `all` covers WhatsApp too.
  const channels: Channel[] = args.all ? [] : [args.channel];
  const $set: Record<string, unknown> = { channel: args.channel, address, source: args.source, at: args.at, ...(args.reason !== undefined ? { reason: args.reason } : {}) };
  if (args.all) $set['all'] = true;
  await db.collection(optOutsCollection).updateOne(
    { _id: id },
    { $set, $addToSet: { channels: { $each: channels } }, ...(args.all ? {} : { $setOnInsert: { all: false } }) },
    { upsert: true },
  );
}
