/**
 * Byte-level stages: accept the object's body (a Node Readable or any async iterable of bytes), gunzip
 * it when it is gzip (by magic bytes 1f 8b, whatever the key says), check that what comes out is text,
 * and decode UTF-8 into string chunks without splitting multi-byte characters. Everything streams: at
 * most one chunk is held at a time.
 */
import { isUtf8 } from 'node:buffer';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { UnreadableObjectError } from '../errors';
import { ArchiveError, bunzip2, isBzip2, isZip, unzip } from './archives';

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
export async function* decompressed(body: Body, info: { gzip?: boolean; compression?: 'gzip' | 'bzip2' | 'zip' } = {}): AsyncGenerator<Buffer> {
  const it = asBuffers(body)[Symbol.asyncIterator]();
  // Whatever happens (end, error, or the consumer stopping early), stop reading the body.
  let finished = false;
  try {
    let first = await it.next();
    while (!first.done && first.value.length < 4) {
      const more = await it.next();
      if (more.done) break;
      first = { done: false, value: Buffer.concat([first.value, more.value]) };
    }
    if (first.done) {
      finished = true;
      return;
    }
    const head = first.value;
    info.gzip = head[0] === 0x1f && head[1] === 0x8b;
    // bzip2 and zip (formats/archives.ts), also by their magic bytes.
    const archive = isBzip2(head) ? 'bzip2' : isZip(head) ? 'zip' : undefined;
    info.compression = info.gzip ? 'gzip' : archive;
    if (!info.gzip && !archive) {
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      finished = true;
      return;
    }
    // The compressed bytes, head first. A read error of the body is marked as such (StreamReadError),
    // so that it is not mistaken for corrupt gzip below.
    async function* compressed(): AsyncGenerator<Buffer> {
      yield head;
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      } catch (err) {
        throw new StreamReadError(`reading the object failed: ${(err as Error).message}`, { cause: err });
      }
      finished = true;
    }
    if (archive) {
      let inflated = false;
      try {
        for await (const chunk of archive === 'bzip2' ? bunzip2(compressed()) : unzip(compressed())) {
          inflated = true;
          yield chunk;
        }
      } catch (err) {
        if (!(err instanceof ArchiveError)) throw err;
        const magic = archive === 'bzip2' ? 'BZh' : 'PK\\x03\\x04';
        if (!inflated) throw new UnreadableObjectError(`starts like ${archive} (magic bytes ${magic}) but is not valid ${archive}: ${err.message}`, undefined, { cause: err });
        throw new StreamReadError(err.message, { cause: err });
      }
      return;
    }
    // stream.pipeline feeds gunzip with back-pressure and, when either side fails or the consumer stops
    // (gunzip destroyed below), destroys the other; the error surfaces through gunzip's iterator.
    const gunzip = pipeline(Readable.from(compressed()), createGunzip({ chunkSize: 64 * 1024 }), () => undefined);
    let inflated = false;
    try {
      for await (const chunk of gunzip) {
        inflated = true;
        yield chunk as Buffer;
      }
    } catch (err) {
      if (err instanceof StreamReadError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const what = code === 'Z_BUF_ERROR' ? 'gzip data is truncated (unexpected end of file)' : `gzip data is corrupt (${(err as Error).message})`;
      // Broken before its first byte of content: nothing of the object can be read, not even a record.
      if (!inflated) throw new UnreadableObjectError(`starts like gzip (magic bytes 1f 8b) but is not valid gzip: ${what}`, undefined, { cause: err });
      throw new StreamReadError(what, { cause: err });
    } finally {
      if (!gunzip.destroyed) gunzip.destroy();
    }
  } finally {
    if (!finished) await it.return?.(undefined).catch(() => undefined);
  }
}

/** Bytes of (decompressed) content looked at to decide whether an object is text. */
export const TEXT_SAMPLE_BYTES = 1024;

/**
 * Why the first bytes of an object's content are not text, or undefined when they are. The rule: the
 * first TEXT_SAMPLE_BYTES bytes contain no NUL byte and are valid UTF-8 (ASCII included; a multi-byte
 * character cut by the end of the sample is allowed). Every log format the loader reads is UTF-8 text,
 * where NUL never occurs; binary content (random bytes, an image, zip, parquet, gzip inside gzip, UTF-16)
 * fails within the first few bytes. Text in a legacy 8-bit encoding with non-ASCII characters in its
 * first KiB is refused too: decoding it as UTF-8 would garble it anyway.
 */
export function notTextReason(sample: Buffer, complete: boolean): string | undefined {
  const head = sample.length > TEXT_SAMPLE_BYTES ? sample.subarray(0, TEXT_SAMPLE_BYTES) : sample;
  const nul = head.indexOf(0);
  if (nul !== -1) return `byte ${nul} is NUL`;
  if (isUtf8(head)) return undefined;
  // A character cut by the end of the sample (not by the end of the object) is not an error.
  if (!complete || head.length < sample.length) {
    for (let cut = 1; cut <= 3 && cut < head.length; cut++) if (isUtf8(head.subarray(0, head.length - cut))) return undefined;
  }
  return `its first ${head.length} bytes are not valid UTF-8`;
}

/**
 * UTF-8 decoding into string chunks; a read error is re-thrown as StreamReadError with its reason.
 * Compression is decided by the content, never the key: gzip by its magic bytes, text otherwise;
 * content that is neither throws UnreadableObjectError (see notTextReason) before anything is yielded.
 * A byte order mark (U+FEFF) at the start of the object is dropped here, once for every format: it is
 * not part of the first record (Windows tools and some exporters write it; JSON.parse rejects it).
 */
export async function* textChunks(body: Body, opts: { nestedGzip?: boolean } = {}): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  const info: { gzip?: boolean; compression?: 'gzip' | 'bzip2' | 'zip' } = {};
  const inner: { gzip?: boolean } = {};
  // The first chunks are held until TEXT_SAMPLE_BYTES are there (or the object ends), then checked.
  let sample: Buffer[] | undefined = [];
  let sampled = 0;
  const check = (head: Buffer, complete: boolean) => {
    const why = notTextReason(head, complete);
    if (why === undefined) return;
    throw new UnreadableObjectError(
      info.compression ? `is ${info.compression}, but what it contains is not text (${why})` : `is neither gzip (it does not start with the magic bytes 1f 8b) nor text (${why})`,
    );
  };
  // via_cwl (formats/cwl.ts): Firehose with S3 compression gzips the gzip'd CloudWatch Logs data again;
  // what the first gunzip gives is then gzip too (concatenated members, one per Firehose record).
  const outer = decompressed(body, info);
  const source = opts.nestedGzip ? decompressed(outer, inner) : outer;
  // A read error while the first bytes are held: they are checked and decoded before the error goes on.
  const held = async function* (): AsyncGenerator<Buffer> {
    try {
      yield* source;
    } catch (err) {
      if (sample && sampled > 0 && !(err instanceof UnreadableObjectError)) {
        const buf = Buffer.concat(sample, sampled);
        sample = undefined;
        check(buf, false);
        yield buf;
      }
      throw err;
    }
  };
  try {
    for await (const chunk of held()) {
      let buf = chunk;
      if (sample) {
        sample.push(chunk);
        sampled += chunk.length;
        if (sampled < TEXT_SAMPLE_BYTES) continue;
        buf = sample.length === 1 ? chunk : Buffer.concat(sample, sampled);
        sample = undefined;
        check(buf, false);
      }
      let s = decoder.write(buf);
      if (first && s) {
        first = false;
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      }
      if (s) yield s;
    }
    if (sample && sampled > 0) {
      const buf = Buffer.concat(sample, sampled);
      check(buf, true);
      let s = decoder.write(buf);
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
      if (s) yield s;
    }
  } catch (err) {
    if (err instanceof StreamReadError || err instanceof UnreadableObjectError) throw err;
    throw new StreamReadError(`reading the object failed: ${(err as Error).message}`, { cause: err });
  }
  let tail = decoder.end();
  if (first && tail.charCodeAt(0) === 0xfeff) tail = tail.slice(1);
  if (tail) yield tail;
}
