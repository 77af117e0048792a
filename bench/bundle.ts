/**
 * Builds a benchmark's measuring side the way the Lambda functions are built (modules/siem-function.ts:
 * esbuild, minified, one CommonJS file) with the loader's ini files next to it, so that a benchmark
 * measures the code as deployed rather than as tsx runs it from the checkout.
 */
import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { INI_DATA_FILES } from '../lambdas/es-loader/pipeline';
import { lambdaBuildOptions } from '../modules/siem-function';

/** Bundles `entry` into `<dir>/<name>.js` (plus aws.ini and user.ini in `dir`); returns the file. */
export function bundleForBench(entry: string, dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `${name}.js`);
  buildSync(lambdaBuildOptions(entry, outfile));
  for (const f of INI_DATA_FILES) copyFileSync(join(__dirname, '..', 'lambdas', 'es-loader', f), join(dir, f));
  return outfile;
}
