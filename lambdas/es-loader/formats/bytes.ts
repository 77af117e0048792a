/**
 * Byte-level stages: accept the object's body (a Node Readable or any async iterable of bytes), gunzip
 * it when it is gzip (by magic bytes 1f 8b, whatever the key says), and decode UTF-8 into string chunks
 * without splitting multi-byte characters. Everything streams: at most one chunk is held at a time.
 */
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

export type Body = NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

async function* asBuffers(body: Body): AsyncGenerator<Buffer> {
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Raised (inside the stream) when the body is not valid gzip or ends early. */
export class StreamReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StreamReadError';
  }
}

/**
 * Yields decompressed bytes. Gzip is detected from the first two bytes so that objects whose key lacks
 * `.gz` (or has it without being compressed) are still read correctly. Concatenated gzip members are
 * read as one stream (Node's gunzip does this), which is how Firehose and CloudTrail may write them.
 */
export async function* decompressed(body: Body): AsyncGenerator<Buffer> {
  const it = asBuffers(body)[Symbol.asyncIterator]();
  // Whatever happens (end, error, or the consumer stopping early), stop reading the body.
  let finished = false;
  try {
    let first = await it.next();
    while (!first.done && first.value.length < 2) {
      const more = await it.next();
      if (more.done) break;
      first = { done: false, value: Buffer.concat([first.value, more.value]) };
    }
    if (first.done) {
      finished = true;
      return;
    }
    const head = first.value;
    if (!(head[0] === 0x1f && head[1] === 0x8b)) {
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      finished = true;
      return;
    }
    const gunzip = createGunzip({ chunkSize: 64 * 1024 });
    const drained = () => new Promise<void>((resolve) => {
      const done = () => {
        gunzip.off('drain', done);
        gunzip.off('close', done);
        resolve();
      };
      gunzip.once('drain', done);
      gunzip.once('close', done);
    });
    // Feed the compressed bytes with back-pressure; a read error of the body ends the gunzip with that error.
    const feed = (async () => {
      try {
        if (!gunzip.write(head)) await drained();
        for (let r = await it.next(); !r.done; r = await it.next()) {
          if (gunzip.destroyed) return;
          if (!gunzip.write(r.value)) await drained();
        }
        finished = true;
        gunzip.end();
      } catch (err) {
        gunzip.destroy(new StreamReadError(`reading the object failed: ${(err as Error).message}`, { cause: err }));
      }
    })();
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      if (err instanceof StreamReadError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const what = code === 'Z_BUF_ERROR' ? 'gzip data is truncated (unexpected end of file)' : `gzip data is corrupt (${(err as Error).message})`;
      throw new StreamReadError(what, { cause: err });
    } finally {
      if (!gunzip.destroyed) gunzip.destroy();
      await feed.catch(() => undefined);
    }
  } finally {
    if (!finished) await it.return?.(undefined).catch(() => undefined);
  }
}

/**
 * UTF-8 decoding into string chunks; a read error is re-thrown as StreamReadError with its reason.
 * A byte order mark (U+FEFF) at the start of the object is dropped here, once for every format: it is
 * not part of the first record (Windows tools and some exporters write it; JSON.parse rejects it).
 */
export async function* textChunks(body: Body): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const buf of decompressed(body)) {
      let s = decoder.write(buf);
      if (first && s) {
        first = false;
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      }
      if (s) yield s;
    }
  } catch (err) {
    if (err instanceof StreamReadError) throw err;
    throw new StreamReadError(`reading the object failed: ${(err as Error).message}`, { cause: err });
  }
  let tail = decoder.end();
  if (first && tail.charCodeAt(0) === 0xfeff) tail = tail.slice(1);
  if (tail) yield tail;
}
