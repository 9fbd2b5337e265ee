import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../api/app-env.ts';
import { registerEscalationPolicyRoutes } from '../../api/routes/escalation-policies.ts';
import { registerEscalationRoutes } from '../../api/routes/escalations.ts';
import { registerProbeRoutes } from '../../api/routes/probes.ts';

describe('probe and escalation routes in the OpenAPI document', () => {
  it('documents every route with its parameters', () => {
    const app = new OpenAPIHono<AppEnv>();
    registerProbeRoutes(app);
    registerEscalationRoutes(app);
    registerEscalationPolicyRoutes(app);
    const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'hub', version: '1' } });
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      '/v1/escalation-policies',
      '/v1/escalation-policies/{key}',
      '/v1/escalations',
      '/v1/escalations/{id}',
      '/v1/escalations/{id}/acknowledge',
      '/v1/escalations/{id}/resolve',
      '/v1/milestones/{id}/probe-schedule',
      '/v1/milestones/{id}/probes',
      '/v1/probes/{probeId}',
    ]);
    const probeNow = doc.paths!['/v1/milestones/{id}/probes']!.post!;
    expect(Object.keys(probeNow.responses ?? {})).toEqual(expect.arrayContaining(['202', '404', '409', '422']));
    const list = doc.paths!['/v1/escalations']!.get!;
    expect((list.parameters ?? []).map((p) => ('name' in p ? p.name : undefined))).toEqual(['milestoneId', 'state', 'limit']);
  });
});
