/**
 * Streamed, resumable reads of S3 objects.
 *
 * The body is consumed chunk by chunk, so memory does not grow with the object. If the connection
 * breaks mid-object (ECONNRESET, a timeout), the read resumes from the last byte received with a
 * ranged GetObject pinned to the first response's ETag (`If-Match`), so a replaced object is never
 * stitched together from two versions. Bytes already handed on are not read again.
 */
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { EsLoaderError } from '../errors';
import type { ObjectRef } from '../pipeline';
import type { S3ClientRegistry } from './clients';

/** The object does not exist (deleted after its notification was sent). Permanent. */
export class ObjectNotFoundError extends EsLoaderError {
  constructor(readonly bucket: string, readonly key: string, options?: { cause?: unknown }) {
    super(`s3://${bucket}/${key} does not exist (deleted after the notification was sent?)`, options);
  }
}

/** The object could not be read (access denied, KMS, network after all retries). Retryable by redelivery. */
export class ObjectReadError extends EsLoaderError {
  constructor(message: string, readonly bucket: string, readonly key: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ReadOptions {
  /** Resumptions after a broken connection. Default 3. */
  readonly maxResumes?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ObjectStream {
  /** The bytes of the object, in order. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Bytes delivered so far. */
  bytesRead(): number;
  /** Resumptions that were needed. */
  resumes(): number;
}

export interface ObjectStore {
  open(ref: ObjectRef): Promise<ObjectStream>;
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  // A missing bucket is a configuration problem (or a Control Tower bucket without its client): retry, do not drop.
  if (e?.name === 'NoSuchBucket' || e?.Code === 'NoSuchBucket') return false;
  return err instanceof NoSuchKey || e?.name === 'NoSuchKey' || e?.Code === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly clients: S3ClientRegistry,
    private readonly options: ReadOptions = {},
  ) {}

  /** Starts the read: the first GetObject happens here, so a missing or forbidden object fails now. */
  async open(ref: ObjectRef): Promise<ObjectStream> {
    const client = this.clients.clientFor(ref.bucket);
    const first = await this.get(client, ref, 0, undefined);
    let offset = 0;
    let resumes = 0;
    const maxResumes = this.options.maxResumes ?? 3;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const etag = first.etag;
    const self = this;
    async function* body(): AsyncGenerator<Uint8Array> {
      let current: AsyncIterable<Uint8Array> = first.body;
      for (;;) {
        try {
          for await (const chunk of current) {
            offset += chunk.byteLength;
            yield chunk;
          }
          return;
        } catch (err) {
          if (resumes >= maxResumes) {
            throw new ObjectReadError(`reading s3://${ref.bucket}/${ref.key} failed at byte ${offset} after ${resumes} resumption(s): ${(err as Error).message}`, ref.bucket, ref.key, { cause: err });
          }
          resumes++;
          await sleep(200 * 2 ** resumes);
          current = (await self.get(client, ref, offset, etag)).body;
        }
      }
    }
    return { body: body(), bytesRead: () => offset, resumes: () => resumes };
  }

  private async get(client: S3Client, ref: ObjectRef, offset: number, etag: string | undefined): Promise<{ body: AsyncIterable<Uint8Array>; etag?: string }> {
    try {
      const res = await client.send(
        new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key, ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}), ...(etag ? { IfMatch: etag } : {}) }),
      );
      if (!res.Body) return { body: (async function* () {})(), etag: res.ETag };
      return { body: res.Body as AsyncIterable<Uint8Array>, etag: res.ETag };
    } catch (err) {
      if (isMissing(err)) throw new ObjectNotFoundError(ref.bucket, ref.key, { cause: err });
      throw new ObjectReadError(`cannot read s3://${ref.bucket}/${ref.key}: ${(err as Error).name}: ${(err as Error).message}`, ref.bucket, ref.key, { cause: err });
    }
  }
}

/** Reads a whole (small) object into memory: user.ini, GeoIP databases. Returns undefined if missing. */
export async function readSmallObject(client: S3Client, bucket: string, key: string): Promise<Buffer | undefined> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!res.Body) return Buffer.alloc(0);
    return Buffer.from(await res.Body.transformToByteArray());
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}
