import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config/index.ts';

const base = { HUB_MASTER_KEY: `k1:${Buffer.alloc(32, 3).toString('base64')}`, HUB_ADMIN_TOKEN: 'a'.repeat(32) };

describe('HUB_WEBHOOK_DEDUPE_HOURS', () => {
  it('defaults to 72 hours', () => {
    const r = loadConfig(base);
    expect(r.ok && r.config.webhookDedupeHours).toBe(72);
  });

  it('takes a longer window', () => {
    const r = loadConfig({ ...base, HUB_WEBHOOK_DEDUPE_HOURS: '168' });
    expect(r.ok && r.config.webhookDedupeHours).toBe(168);
  });

  it.each([
    ['24', /^HUB_WEBHOOK_DEDUPE_HOURS must be at least 72/],
    ['72.5', /^HUB_WEBHOOK_DEDUPE_HOURS must be a whole number of hours/],
    ['soon', /^HUB_WEBHOOK_DEDUPE_HOURS must be a number of hours/],
    ['100000', /^HUB_WEBHOOK_DEDUPE_HOURS must be at most 8784/],
  ])('refuses %j with one line naming the variable', (value, message) => {
    const r = loadConfig({ ...base, HUB_WEBHOOK_DEDUPE_HOURS: value });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
