/**
 * `npm run -s ioc -- build [--tor FILE] [--feodo FILE] [--otx FILE...] [--custom FILE...] --out FILE`
 *
 * Builds the IoC database the es-loader reads, from local files, with the same parsers and format as
 * the ioc-downloader Lambda: for tests, for operators checking a list before uploading it, and for
 * `siem-load` runs on a workstation. Writes FILE and FILE.sha256 (`sha256sum` format).
 *
 * --custom takes the user's own lists: a STIX 2.x bundle when the file is JSON, else one IP/CIDR/domain
 * per line. Their provider is `custom` and their name the file name, as for `IOC/TXT/<file>` in the
 * geo bucket.
 *
 * Exit codes: 0 every source read; 1 bad usage, the output cannot be written, or a source could not be
 * read (the database is still written from the others); 2 no source could be read (nothing written).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommanderError } from 'commander';
import { IocDatabase } from '../../lambdas/shared/ioc/database';
import { buildDatabase, DEFAULT_LIMITS, parseCustomTxt, parseFeodo, parseOtx, parseStix, parseTor, SourceError, type ParsedSource } from '../../lambdas/ioc-downloader/sources';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

interface BuildOptions {
  tor?: string;
  feodo?: string;
  otx: string[];
  custom: string[];
  out: string;
}

const SKIPS_SHOWN = 5;
const fmt = (n: number) => n.toLocaleString('en-US');

function readSource(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw new SourceError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (size > DEFAULT_LIMITS.maxBytes) throw new SourceError(`${file}: larger than ${DEFAULT_LIMITS.maxBytes} bytes; split it`);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new SourceError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** One line per source, then its first skipped lines. */
export function describeSource(s: ParsedSource): string[] {
  const c = s.counts;
  const lines = [`${s.source}: ${fmt(c.ipv4)} IPv4, ${fmt(c.ipv6)} IPv6, ${fmt(c.domains)} domains; ${fmt(c.skipped)} skipped${c.ignored ? `, ${fmt(c.ignored)} of other types ignored` : ''}`];
  for (const k of s.skips.slice(0, SKIPS_SHOWN)) lines.push(`  skipped ${k.at}: ${k.reason}`);
  if (c.skipped > SKIPS_SHOWN) lines.push(`  ... and ${fmt(c.skipped - SKIPS_SHOWN)} more skipped`);
  return lines;
}

async function build(o: BuildOptions, io: Io): Promise<number> {
  const jobs: { file: string; parse: (text: string) => ParsedSource }[] = [];
  if (o.tor) jobs.push({ file: o.tor, parse: (t) => parseTor(t, `tor (${o.tor})`) });
  if (o.feodo) jobs.push({ file: o.feodo, parse: (t) => parseFeodo(t, `feodo (${o.feodo})`) });
  for (const f of o.otx) jobs.push({ file: f, parse: (t) => parseOtx(t, `otx (${f})`) });
  for (const f of o.custom) {
    const origin = { provider: 'custom', name: basename(f) };
    jobs.push({ file: f, parse: (t) => (/^\s*\{/.test(t) ? parseStix(t, `custom (${f})`, origin) : parseCustomTxt(t, `custom (${f})`, origin)) });
  }
  if (jobs.length === 0) {
    io.err('ioc build: no source given; pass at least one of --tor, --feodo, --otx, --custom\n');
    return 1;
  }
  const parsed: ParsedSource[] = [];
  let failed = 0;
  for (const job of jobs) {
    try {
      const s = job.parse(readSource(job.file));
      parsed.push(s);
      io.out(`${describeSource(s).join('\n')}\n`);
    } catch (err) {
      failed++;
      const msg = err instanceof SourceError ? err.message : `${job.file}: ${(err as Error).message}`;
      io.err(`ioc build: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    }
  }
  if (parsed.length === 0) {
    io.err('ioc build: no source could be read; nothing written\n');
    return 2;
  }
  const db = buildDatabase(parsed);
  const sha256 = createHash('sha256').update(db).digest('hex');
  try {
    writeFileSync(o.out, db);
    writeFileSync(`${o.out}.sha256`, `${sha256}  ${basename(o.out)}\n`);
  } catch (err) {
    io.err(`ioc build: ${o.out}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})\n`);
    return 1;
  }
  const t = IocDatabase.fromBuffer(db, o.out).header.totals;
  io.out(`wrote ${o.out}: ${fmt(db.length)} bytes, ${fmt(t.ipv4Ranges)} IPv4 ranges, ${fmt(t.ipv6Ranges)} IPv6 ranges, ${fmt(t.domains)} domains; sha256 ${sha256}\n`);
  return failed > 0 ? 1 : 0;
}

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const collect = (v: string, prev: string[]) => [...prev, v];
  let result = 0;
  const program = new Command('npm run -s ioc --')
    .description('IoC (threat intelligence) database tools')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .command('build')
    .description('build the IoC database the es-loader reads from local feed files')
    .option('--tor <file>', 'Tor exit list (check.torproject.org/exit-addresses or torbulkexitlist)')
    .option('--feodo <file>', 'abuse.ch Feodo Tracker IP blocklist (ipblocklist.json, .csv or .txt)')
    .option('--otx <file>', 'AlienVault OTX pulse JSON (a pulse, an array, or a /pulses/subscribed page); repeatable', collect, [] as string[])
    .option('--custom <file>', 'your own list: one IP/CIDR/domain per line, or a STIX 2.x bundle (.json); repeatable', collect, [] as string[])
    .requiredOption('--out <file>', 'database file to write (and <file>.sha256)')
    .action(async (o: BuildOptions) => {
      result = await build(o, io);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    io.err(`ioc: ${(err as Error).message}\n`);
    return 1;
  }
  return result;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      process.stderr.write(`ioc: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
