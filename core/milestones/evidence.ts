import { createHash } from 'node:crypto';
import { z } from 'zod';
import { invalid, issuesFromZod, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import { newId } from '../store/index.ts';
import { evidenceCollection, type EvidenceDoc } from './verification-collections.ts';

/** Evidence as callers give it: `content` (text or base64 with `encoding`) is hashed and not kept. */
export const evidenceInputSchema = z
  .object({
    kind: z.string().trim().min(1).max(50).default('document'),
    description: z.string().max(2000).optional(),
    link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    contentHash: z
      .string()
      .regex(/^(sha256:)?[0-9a-fA-F]{64}$/, 'a SHA-256 hash in hex, optionally prefixed sha256:')
      .optional(),
    content: z.string().max(5_000_000).optional(),
    encoding: z.enum(['utf8', 'base64']).default('utf8'),
    mediaType: z.string().max(100).optional(),
  })
  .strict()
  .refine((e) => e.link !== undefined || e.contentHash !== undefined || e.content !== undefined || e.description !== undefined, {
    message: 'evidence needs a link, content, a content hash or a description',
  });

export type EvidenceInput = z.input<typeof evidenceInputSchema>;

/**
 * Records evidence for a milestone (and a verification): who, what, a content hash and a link.
 * Given content is hashed here; a given hash must match it. `ids` are the records' ids, one per
 * input, when the caller chose them ahead (to name them in an audit entry written before).
 */
export async function recordEvidence(
  ctx: DomainContext,
  milestoneId: string,
  inputs: readonly unknown[],
  options: { verificationId?: string; transition?: { from: string; to: string }; path?: string; ids?: readonly string[] } = {},
): Promise<DomainResult<EvidenceDoc[]>> {
  const docs: Omit<EvidenceDoc, 'version' | 'createdAt' | 'updatedAt' | 'tenantId'>[] = [];
  const issues = [];
  for (const [i, input] of inputs.entries()) {
    const path = `${options.path ?? 'evidence'}.${i}`;
    const parsed = evidenceInputSchema.safeParse(input);
    if (!parsed.success) {
      issues.push(...issuesFromZod(parsed.error, path));
      continue;
    }
    const e = parsed.data;
    let contentHash = e.contentHash ? `sha256:${e.contentHash.replace(/^sha256:/, '').toLowerCase()}` : undefined;
    let size: number | undefined;
    if (e.content !== undefined) {
      const bytes = Buffer.from(e.content, e.encoding);
      size = bytes.length;
      const computed = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (contentHash && contentHash !== computed) {
        issues.push({ path: `${path}.contentHash`, message: 'does not match the content given', code: 'hash_mismatch' });
        continue;
      }
      contentHash = computed;
    }
    docs.push({
      _id: options.ids?.[i] ?? newId('evd'),
      milestoneId,
      ...(options.verificationId ? { verificationId: options.verificationId } : {}),
      by: ctx.actor,
      kind: e.kind,
      ...(e.description !== undefined ? { description: e.description } : {}),
      ...(contentHash ? { contentHash } : {}),
      ...(e.link ? { link: e.link } : {}),
      ...(e.mediaType ? { mediaType: e.mediaType } : {}),
      ...(size !== undefined ? { size } : {}),
      ...(options.transition ? { transition: options.transition } : {}),
      at: ctx.now(),
    });
  }
  if (issues.length > 0) return invalid(issues);
  return succeed(await ctx.db.collection(evidenceCollection).insertMany(docs));
}

/**
 * Checks evidence inputs without storing them (a given hash against the content too), so a
 * transition can refuse bad evidence before it moves and {@link recordEvidence} then succeeds.
 */
export function checkEvidence(inputs: readonly unknown[], path = 'evidence') {
  return inputs.flatMap((input, i) => {
    const parsed = evidenceInputSchema.safeParse(input);
    if (!parsed.success) return issuesFromZod(parsed.error, `${path}.${i}`);
    const e = parsed.data;
    if (e.content === undefined || e.contentHash === undefined) return [];
    const computed = createHash('sha256').update(Buffer.from(e.content, e.encoding)).digest('hex');
    if (e.contentHash.replace(/^sha256:/, '').toLowerCase() === computed) return [];
    return [{ path: `${path}.${i}.contentHash`, message: 'does not match the content given', code: 'hash_mismatch' }];
  });
}

/** A milestone's evidence, oldest first. */
export async function listEvidence(ctx: Pick<DomainContext, 'db'>, milestoneId: string, options: { verificationId?: string } = {}): Promise<EvidenceDoc[]> {
  return ctx.db
    .collection(evidenceCollection)
    .find({ milestoneId, ...(options.verificationId ? { verificationId: options.verificationId } : {}) }, { sort: { _id: 1 }, limit: 1000 });
}
