import { failWith, invalid, issuesFromZod, succeed, type DomainResult } from '../../core/domain/index.ts';
import {
  CHANNELS,
  messageTemplatesCollection,
  nestValues,
  notificationsCollection,
  renderMessage,
  selectTemplate,
  type Channel,
  type MessageValues,
  type NotificationDoc,
  type NotificationLocale,
  type NotificationRecipient,
  type NotificationStatus,
  type TemplateKey,
} from '../../core/notifications/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { getPerson } from '../../core/people/index.ts';
import { DuplicateKeyError, type NewDoc } from '../../core/store/index.ts';
import { notificationRequestSchema, type NotificationRequest } from './notification-request.ts';
import type { NotifyDeps } from './notify-deps.ts';
import { enqueueSend, notificationIdOf } from './notify-job.ts';

/** The answer to {@link requestNotification}. */
export interface RequestedNotification {
  notificationId: string;
  /** True when a notification with this dedupe key already existed; nothing new was sent. */
  deduplicated: boolean;
  status: NotificationStatus;
}

/**
 * Records a notification and enqueues its send. The notification id derives from the tenant and
 * `dedupeKey`, so asking twice (a retried probe run, a replayed event) returns the first one and
 * sends once. The worker renders, honours opt-out and quiet hours, sends, retries and falls back.
 *
 * @example
 * await requestNotification({ store, queues }, {
 *   tenantId, dedupeKey: `probe:${probeId}`, purpose: 'probe', recipient: { personId: ownerId },
 *   templateKey: 'probe.status', vars: { 'milestone.title': 'Slab casting', replyOptions, probeRef },
 *   milestoneId, probeId,
 * });
 */
export async function requestNotification(deps: NotifyDeps, request: NotificationRequest): Promise<DomainResult<RequestedNotification>> {
  const parsed = notificationRequestSchema.safeParse(request);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const req = parsed.data;
  const db = deps.store.forTenant(req.tenantId);
  const now = (deps.now ?? (() => new Date()))();
  const notifications = db.collection(notificationsCollection);
  const id = notificationIdOf(req.tenantId, req.dedupeKey);

  const existing = await notifications.findById(id);
  if (existing !== null) return succeed({ notificationId: id, deduplicated: true, status: existing.status });

  let recipient: NotificationRecipient;
  let personName: string | undefined;
  if ('personId' in req.recipient) {
    const person = await getPerson(db, req.recipient.personId);
    if (person === null) return invalid([{ path: 'recipient.personId', message: `no person '${req.recipient.personId}'`, code: 'unknown_person' }]);
    recipient = { kind: 'person', personId: person._id };
    personName = person.name;
  } else if ('contact' in req.recipient) {
    const { contact } = req.recipient;
    if (contact.email === undefined && contact.phone === undefined && contact.whatsapp === undefined) {
      return invalid([{ path: 'recipient.contact', message: 'give at least one of email, phone or whatsapp', code: 'unreachable' }]);
    }
    recipient = { kind: 'contact', ...contact };
  } else {
    recipient = { kind: 'address', ...req.recipient.address };
  }

  const vars = { ...(req.vars ?? {}), ...(req.link !== undefined ? { link: req.link } : {}) };
  const name = recipient.kind === 'person' ? personName : recipient.name;
  const channels: Channel[] = req.channels ?? (recipient.kind === 'address' ? [recipient.channel] : [...CHANNELS]);
  const renderable = await renderableOn(db, req.templateKey, req.locale ?? 'en', channels, { ...vars, ...(name !== undefined ? { 'recipient.name': name } : {}) });
  if (!renderable.ok) return invalid([{ path: 'vars', message: renderable.message, code: renderable.code }]);
  const doc: NewDoc<NotificationDoc> = {
    _id: id,
    dedupeKey: req.dedupeKey,
    purpose: req.purpose,
    templateKey: req.templateKey,
    urgency: req.urgency ?? 'normal',
    recipient,
    ...(recipient.kind === 'person' ? { personId: recipient.personId } : {}),
    values: nestValues(vars),
    status: 'queued',
    providerMessageIds: [],
    attempts: [],
    queuedAt: now,
    dueAt: req.notBefore !== undefined && req.notBefore > now ? req.notBefore : now,
    ...pick(req, ['locale', 'channels', 'milestoneId', 'projectId', 'probeId', 'escalationId', 'invoiceId', 'inReplyTo', 'attachments', 'notBefore', 'requestedBy']),
  };
  try {
    await notifications.insert(doc);
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const first = await notifications.findById(id);
    if (first === null) return failWith({ code: 'conflict', message: `a notification with dedupe key '${req.dedupeKey}' is being written` });
    return succeed({ notificationId: id, deduplicated: true, status: first.status });
  }
  // A lost enqueue is repaired by the sweep, which re-enqueues notifications that are due.
  if (deps.queues !== undefined) await enqueueSend(deps.queues, { tenantId: req.tenantId, notificationId: id });
  return succeed({ notificationId: id, deduplicated: false, status: 'queued' });
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/**
 * Whether the message can be rendered on at least one of the channels, with the values given
 * (the tenant's name is filled in by the worker). A request that no template can render is
 * refused now, naming the missing placeholders, rather than failing later in the queue.
 */
async function renderableOn(db: TenantStore, key: TemplateKey, locale: NotificationLocale, channels: readonly Channel[], vars: MessageValues): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  const tenantTemplates = (await db.collection(messageTemplatesCollection).find({ key, channel: { $in: [...channels] } })).map((d) => d.template);
  const values: MessageValues = { 'tenant.name': vars['tenant.name'] ?? 'tenant', ...vars };
  let failure: { code: string; message: string } | undefined;
  for (const channel of channels) {
    const selected = selectTemplate({ key, channel, locale, tenantTemplates });
    if (selected === undefined) continue;
    const rendered = renderMessage(selected.template, values);
    if (rendered.ok) return { ok: true };
    failure ??= { code: rendered.error.code, message: `${key} (${channel}): ${rendered.error.message}` };
  }
  return { ok: false, ...(failure ?? { code: 'no-template', message: `no template renders ${key}` }) };
}
