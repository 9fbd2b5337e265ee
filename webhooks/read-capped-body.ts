import type { IncomingMessage } from 'node:http';

export type CappedBodyResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; error: 'too_large' | 'aborted' };

/** Where a request's bytes come from: the Fetch request, or Node's message under @hono/node-server. */
export type BodySource = { request: Request; incoming?: IncomingMessage };

function overDeclared({ request, incoming }: BodySource, maxBytes: number): boolean {
  // Node's header map keeps one Content-Length (it refuses a request with differing ones).
  const declared = (incoming ? incoming.headers['content-length'] : request.headers.get('content-length'))?.trim();
  return declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes;
}

function joined(chunks: Uint8Array[], total: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/**
 * Reads a request body while counting, and stops at `maxBytes`: a declared Content-Length over
 * the cap is refused before reading, and a body that turns out longer than declared (or has no
 * length, being chunked) is cut off as soon as it passes the cap, so nothing larger is buffered.
 * Node's message is read directly when there is one, which spares building a web stream over it;
 * it is paused, not destroyed, at the cap, so the 413 can still be answered on that socket.
 */
export async function readCappedBody(source: BodySource, maxBytes: number): Promise<CappedBodyResult> {
  const { request, incoming } = source;
  if (overDeclared(source, maxBytes)) {
    if (!incoming) await request.body?.cancel().catch(() => undefined);
    return { ok: false, error: 'too_large' };
  }
  return incoming ? readIncoming(incoming, maxBytes) : readStream(request.body, maxBytes);
}

// The read of one message, kept on the message itself while it lasts. The listeners are the
// module's own functions (Node calls them with the message as `this`), so a read creates no
// closures: the loader that runs the hub's sources names every closure it creates, which costs
// more per request than the read itself.
const READ = Symbol('cappedRead');
interface IncomingRead {
  chunks: Uint8Array[];
  total: number;
  maxBytes: number;
  resolve: (result: CappedBodyResult) => void;
}
type Reading = IncomingMessage & { [READ]?: IncomingRead };

function readIncoming(incoming: Reading, maxBytes: number): Promise<CappedBodyResult> {
  if (incoming.readableEnded) return Promise.resolve({ ok: true, bytes: new Uint8Array(0) });
  return new Promise((resolve) => {
    incoming[READ] = { chunks: [], total: 0, maxBytes, resolve };
    incoming.on('data', onIncomingData).on('end', onIncomingEnd).on('error', onIncomingAbort).on('close', onIncomingAbort);
  });
}

function finishIncoming(incoming: Reading, result: CappedBodyResult): void {
  const read = incoming[READ];
  if (!read) return;
  incoming[READ] = undefined;
  incoming.off('data', onIncomingData).off('end', onIncomingEnd).off('error', onIncomingAbort).off('close', onIncomingAbort);
  read.resolve(result);
}

function onIncomingData(this: Reading, chunk: Buffer): void {
  const read = this[READ];
  if (!read) return;
  read.total += chunk.byteLength;
  if (read.total > read.maxBytes) {
    this.pause();
    finishIncoming(this, { ok: false, error: 'too_large' });
    return;
  }
  read.chunks.push(chunk);
}

function onIncomingEnd(this: Reading): void {
  const read = this[READ];
  if (read) finishIncoming(this, { ok: true, bytes: joined(read.chunks, read.total) });
}

function onIncomingAbort(this: Reading): void {
  finishIncoming(this, { ok: false, error: 'aborted' });
}

async function readStream(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<CappedBodyResult> {
  if (!stream) return { ok: true, bytes: new Uint8Array(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, error: 'too_large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, error: 'aborted' };
  } finally {
    reader.releaseLock();
  }
  return { ok: true, bytes: joined(chunks, total) };
}
