import { z } from 'zod';
import { regionSchema } from './region-schema.ts';

/** The shipped file of regional overlays: one entry per state or union territory, codes unique. */
export const regionCatalogueSchema = z.strictObject({ regions: z.array(regionSchema).min(1) }).superRefine((catalogue, ctx) => {
  const seen = new Set<string>();
  catalogue.regions.forEach((region, r) => {
    if (seen.has(region.code)) {
      ctx.addIssue({ code: 'custom', message: `region '${region.code}' is listed twice`, path: ['regions', r, 'code'], params: { code: 'duplicate-region' } });
    }
    seen.add(region.code);
  });
});
