/**
 * bzip2 and zip content (formats/bytes.ts detects them by their magic bytes, like gzip), streamed:
 * - bzip2 ("BZh1".."BZh9"): unbzip2-stream, a pure-JS streaming decoder (one bzip2 block, at most
 *   900 kB, is held at a time; concatenated streams are read as one, as bzip2 -d does).
 * - zip ("PK\x03\x04"): fflate's streaming Unzip (pure JS, no dependencies), reading local file headers as
 *   the bytes arrive (no central directory, no temporary file); each entry is one file of the object, in
 *   archive order, a newline put between two entries when the first does not end with one; directories
 *   are skipped. Input is fed in 16 KiB pieces, so one piece inflates to at most ~16 MiB (deflate's ratio).
 * Errors are ArchiveError with a one-line reason; bytes.ts names the object.
 */
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import unbzip2Stream from 'unbzip2-stream';

export class ArchiveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveError';
  }
}

export const isBzip2 = (h: Buffer) => h.length >= 4 && h[0] === 0x42 && h[1] === 0x5a && h[2] === 0x68 && h[3]! >= 0x31 && h[3]! <= 0x39;
export const isZip = (h: Buffer) => h.length >= 4 && h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04;

export async function* bunzip2(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // The decoder is a classic through stream that inflates synchronously in write(): what one input
  // chunk gives is collected and yielded before the next chunk is written.
  const bz = unbzip2Stream();
  const queue: Buffer[] = [];
  let failure: Error | undefined;
  bz.on('data', (c: Buffer) => queue.push(c));
  bz.on('error', (err: Error) => {
    failure ??= new ArchiveError(`bzip2 data is corrupt (${err.message})`, { cause: err });
  });
  for await (const chunk of source) {
    if (!failure) bz.write(chunk);
    while (queue.length) yield queue.shift()!;
    if (failure) throw failure;
  }
  bz.end();
  while (queue.length) yield queue.shift()!;
  if (failure) throw failure;
}

const PIECE = 16 * 1024;
const TAIL = 22 + 65_535;
const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export async function* unzip(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let failure: Error | undefined;
  let lastByte = 0x0a;
  let entries = 0;
  let open = 0;
  const uz = new Unzip();
  uz.register(UnzipInflate);
  let seen = 0;
  uz.onfile = (file: UnzipFile) => {
    seen++;
    // A directory has no content; it is still read through, so that a damaged header is noticed.
    const directory = file.name.endsWith('/');
    if (file.compression !== 0 && file.compression !== 8) {
      failure ??= new ArchiveError(`zip entry ${file.name} uses compression method ${file.compression}; only stored and deflate are read`);
      return;
    }
    let started = false;
    open++;
    file.ondata = (err, data, final) => {
      if (err) {
        failure ??= new ArchiveError(`zip entry ${file.name} is corrupt (${err.message})`, { cause: err });
        return;
      }
      if (directory) {
        if (final) open--;
        return;
      }
      if (!started && data.length) {
        started = true;
        if (entries++ > 0 && lastByte !== 0x0a) queue.push(Buffer.from('\n'));
      }
      if (data.length) {
        queue.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
        lastByte = data[data.length - 1]!;
      }
      if (final) open--;
    };
    file.start();
  };
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      uz.push(piece, final);
    } catch (err) {
      // At the final push, an entry still open means the bytes ended inside it.
      failure ??= new ArchiveError(`zip data is ${final ? 'truncated' : 'corrupt'} (${(err as Error).message})`, { cause: err });
    }
  };
  // The end of central directory record (PK\x05\x06) is within the last 22 + 65,535 bytes of a whole archive.
  let tail = Buffer.alloc(0);
  for await (const chunk of source) {
    tail = tail.length + chunk.length <= 2 * TAIL ? Buffer.concat([tail, chunk]) : Buffer.concat([tail, chunk]).subarray(-TAIL);
    for (let i = 0; i < chunk.length; i += PIECE) {
      push(chunk.subarray(i, i + PIECE), false);
      while (queue.length) yield queue.shift()!;
      if (failure) throw failure;
    }
  }
  push(new Uint8Array(0), true);
  while (queue.length) yield queue.shift()!;
  if (failure) throw failure;
  const eocd = tail.lastIndexOf(EOCD);
  if (open > 0 || eocd < 0 || eocd + 22 > tail.length) throw new ArchiveError('zip data is truncated (the archive ends before its central directory)');
  // Entries whose local header is damaged are passed over by the streaming reader: count them.
  const total = tail.readUInt16LE(eocd + 10);
  if (total !== 0xffff && seen < total) throw new ArchiveError(`zip data is corrupt (${total - seen} of its ${total} entries could not be read)`);
}
