import type { z } from 'zod';
import type { VerifyInput } from './types.ts';

/** The scheme options, or undefined when they do not satisfy the scheme's schema. */
export function readOptions<T>(schema: z.ZodType<T>, input: Pick<VerifyInput, 'options'>): T | undefined {
  const parsed = schema.safeParse(input.options ?? {});
  return parsed.success ? parsed.data : undefined;
}
