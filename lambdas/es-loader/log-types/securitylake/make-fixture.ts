/**
 * Writes this folder's parquet fixtures from the OCSF records of ../ocsf_json/fixture.jsonl (the same
 * records, so that the JSON form can be checked against the reference's loader, which cannot read parquet
 * here): fixture.gz.parquet (GZIP, Security Lake's codec, 3 row groups of 3, 3 and 2 rows) and
 * fixture.zstd.parquet (ZSTD, compressed with the `zstd` command).
 *   npx tsx lambdas/es-loader/log-types/securitylake/make-fixture.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ocsfParquet } from './ocsf-parquet';

const records = readFileSync(join(__dirname, '../ocsf_json/fixture.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, unknown>);
writeFileSync(join(__dirname, 'fixture.gz.parquet'), ocsfParquet(records, { rowGroupSize: 3 }));
const zstd = (b: Uint8Array) => new Uint8Array(execFileSync('zstd', ['-q', '-c', '-3'], { input: b }));
writeFileSync(join(__dirname, 'fixture.zstd.parquet'), ocsfParquet(records, { rowGroupSize: 4, codec: 'ZSTD', compress: zstd }));
console.log(`wrote fixture.gz.parquet and fixture.zstd.parquet (${records.length} rows)`);
