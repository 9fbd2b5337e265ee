import type { FakeClock } from './fake-clock.ts';
import type { RecordStore } from './record-store.ts';

/** What every route of the fake shares. */
export interface FakeContext {
  store: RecordStore;
  clock: FakeClock;
  /** The fake's own origin, for links it hands out. */
  origin(): string;
  organizationId: string;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A JSON object body, or undefined when the body is not one. */
export async function objectBody(req: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const body: unknown = await req.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
