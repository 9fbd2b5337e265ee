import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listEvidence, type EvidenceDoc, type VerificationDoc } from '../../core/milestones/index.ts';
import {
  addMilestoneEvidence,
  cancelVerification,
  decideVerification,
  decisionSchema,
  getVerification,
  listVerifications,
  recordVerificationSignal,
  requestVerification,
  signalSchema,
} from '../../core/verification/index.ts';
import type { AppEnv } from '../app-env.ts';
import { jsonOut, requestContext, unwrap, visibleMilestone } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, problemResponses } from '../openapi/index.ts';

const MilestoneParam = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const VerificationParam = MilestoneParam.extend({ vid: z.string().min(1).max(64).openapi({ param: { name: 'vid', in: 'path' } }) });

const VerificationSchema = z
  .object({
    id: z.string(),
    milestoneId: z.string(),
    method: z.enum(['manual', 'automated', 'hybrid']),
    status: z.enum(['pending', 'approved', 'rejected', 'cancelled']),
    chain: z.object({ mode: z.enum(['sequential', 'quorum']) }).loose().optional(),
    currentStep: z.number().int(),
    decisions: z.array(z.object({ decision: z.enum(['approve', 'reject']), at: z.string() }).loose()),
    version: z.number().int(),
  })
  .loose()
  .openapi('Verification');

const EvidenceSchema = z
  .object({ id: z.string(), kind: z.string(), contentHash: z.string().optional(), link: z.string().optional(), at: z.string(), by: z.object({ kind: z.string(), id: z.string() }).loose() })
  .loose()
  .openapi('Evidence');

const RequestBody = z.record(z.string(), z.unknown()).openapi('VerificationRequest', {
  description:
    '`method`: manual | automated | hybrid (default: the milestone’s verificationMethod, else manual). `approvers`: sequential steps, each ' +
    '{ role } or { personId }; or `chain`: { mode: sequential, steps } | { mode: quorum, required, approvers } for N of M. ' +
    '`automated`: { condition?: json-rules-engine condition over the milestone, signal?: name a connector reports, connectionId? }. ' +
    '`evidence`?: [{ kind, description?, link?, content? | contentHash? }]. Problems answer 422.',
  example: { approvers: [{ role: 'manager' }, { role: 'admin' }], note: 'Slab 3 handover' },
});

const verificationOut = (v: VerificationDoc) => {
  const { _id, revision, outbox: _outbox, tenantId: _t, version: _v, ...rest } = v;
  return jsonOut({ id: _id, ...rest, version: revision });
};

const evidenceOut = (e: EvidenceDoc) => {
  const { _id, tenantId: _t, version: _v, updatedAt: _u, ...rest } = e;
  return jsonOut({ id: _id, ...rest });
};

const request = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/verifications',
  tags: ['verification'],
  summary: 'Request verification of a milestone’s delivery',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'owner', 'integration')] as const,
  request: { params: MilestoneParam, body: { required: false, content: { 'application/json': { schema: RequestBody } } } },
  responses: { 201: { description: 'Requested', content: { 'application/json': { schema: VerificationSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 422) },
});

const list = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/verifications',
  tags: ['verification'],
  summary: 'A milestone’s verifications, newest first',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: MilestoneParam },
  responses: { 200: { description: 'Verifications', content: { 'application/json': { schema: z.object({ items: z.array(VerificationSchema) }) } } }, ...problemResponses(401, 404) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/verifications/{vid}',
  tags: ['verification'],
  summary: 'One verification',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: VerificationParam },
  responses: { 200: { description: 'The verification', content: { 'application/json': { schema: VerificationSchema } } }, ...problemResponses(401, 404) },
});

const decide = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/verifications/{vid}/decisions',
  tags: ['verification'],
  summary: 'Approve or reject as the approver the current step (or the quorum) waits for',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: VerificationParam, body: { required: true, content: { 'application/json': { schema: decisionSchema } } } },
  responses: { 200: { description: 'Decided', content: { 'application/json': { schema: VerificationSchema } } }, ...problemResponses(400, 401, 403, 404, 409, 422) },
});

const cancel = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/verifications/{vid}/cancel',
  tags: ['verification'],
  summary: 'Withdraw a pending verification',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: VerificationParam },
  responses: { 200: { description: 'Cancelled', content: { 'application/json': { schema: VerificationSchema } } }, ...problemResponses(401, 403, 404, 409) },
});

const signal = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/verification-signals',
  tags: ['verification'],
  summary: 'Report an automated check’s signal (a connector or script saw the work done)',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'integration')] as const,
  request: { params: MilestoneParam, body: { required: true, content: { 'application/json': { schema: signalSchema } } } },
  responses: { 200: { description: 'The verifications that took it', content: { 'application/json': { schema: z.object({ items: z.array(VerificationSchema) }) } } }, ...problemResponses(400, 401, 403, 404, 422) },
});

const addEvidence = createRoute({
  method: 'post',
  path: '/v1/milestones/{id}/evidence',
  tags: ['verification'],
  summary: 'Record evidence: who, what, a content hash and a link',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'owner', 'integration')] as const,
  request: {
    params: MilestoneParam,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ verificationId: z.string().max(64).optional(), items: z.array(z.record(z.string(), z.unknown())).min(1).max(20) })
            .strict()
            .openapi('EvidenceRecords', { example: { items: [{ kind: 'photo', link: 'https://files.example.in/slab3.jpg', contentHash: 'sha256:…' }] } }),
        },
      },
    },
  },
  responses: { 201: { description: 'Recorded', content: { 'application/json': { schema: z.object({ items: z.array(EvidenceSchema) }) } } }, ...problemResponses(400, 401, 403, 404, 422) },
});

const evidence = createRoute({
  method: 'get',
  path: '/v1/milestones/{id}/evidence',
  tags: ['verification'],
  summary: 'A milestone’s evidence, oldest first',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: MilestoneParam },
  responses: { 200: { description: 'Evidence', content: { 'application/json': { schema: z.object({ items: z.array(EvidenceSchema) }) } } }, ...problemResponses(401, 404) },
});

export function registerVerificationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(request, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const doc = unwrap(await requestVerification(requestContext(c), id, c.req.valid('json') ?? {}, { role: c.get('auth').role }));
    return c.json(verificationOut(doc), 201);
  });

  app.openapi(list, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    return c.json({ items: (await listVerifications(c.get('db'), id)).map(verificationOut) }, 200);
  });

  app.openapi(get, async (c) => {
    const { id, vid } = c.req.valid('param');
    await visibleMilestone(c, id);
    const doc = await getVerification(c.get('db'), id, vid);
    if (!doc) throw new ApiError('not_found', { detail: 'No such verification' });
    return c.json(verificationOut(doc), 200);
  });

  app.openapi(decide, async (c) => {
    const { id, vid } = c.req.valid('param');
    await visibleMilestone(c, id);
    const doc = unwrap(await decideVerification(requestContext(c), id, vid, c.req.valid('json'), { role: c.get('auth').role }));
    return c.json(verificationOut(doc), 200);
  });

  app.openapi(cancel, async (c) => {
    const { id, vid } = c.req.valid('param');
    await visibleMilestone(c, id);
    return c.json(verificationOut(unwrap(await cancelVerification(requestContext(c), id, vid))), 200);
  });

  app.openapi(signal, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const docs = unwrap(await recordVerificationSignal(requestContext(c), id, c.req.valid('json')));
    return c.json({ items: docs.map(verificationOut) }, 200);
  });

  app.openapi(addEvidence, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    const body = c.req.valid('json');
    if (body.verificationId && !(await getVerification(c.get('db'), id, body.verificationId))) {
      throw new ApiError('unprocessable', { detail: 'No such verification of this milestone', errors: [{ path: 'body.verificationId', message: 'not a verification of this milestone' }] });
    }
    const docs = unwrap(await addMilestoneEvidence(requestContext(c), id, body.items, { ...(body.verificationId ? { verificationId: body.verificationId } : {}), path: 'items' }));
    return c.json({ items: docs.map(evidenceOut) }, 201);
  });

  app.openapi(evidence, async (c) => {
    const { id } = c.req.valid('param');
    await visibleMilestone(c, id);
    return c.json({ items: (await listEvidence(requestContext(c), id)).map(evidenceOut) }, 200);
  });
}
