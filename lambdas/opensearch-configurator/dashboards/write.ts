/**
 * Writes the generated NDJSON of every dashboard into dashboards/ndjson/ (one file per dashboard,
 * importable by hand in Dashboards Management > Saved objects > Import). Run after changing a spec:
 *   npx tsx lambdas/opensearch-configurator/dashboards/write.ts
 * The unit test fails while a checked-in file differs from what the specs generate.
 *
 * The index patterns of every index family (index-patterns.ndjson) follow the loader's ini files, so
 * the configurator generates them at deploy and they are not checked in; for a manual import:
 *   npx tsx lambdas/opensearch-configurator/dashboards/write.ts --index-patterns <file>
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loaderTemplates } from '../loader-templates';
import { dashboardFiles, familyPatterns, INDEX_PATTERNS_FILE, toNdjson } from './generate';

export const NDJSON_DIR = path.join(__dirname, 'ndjson');

if (require.main === module) {
  const files = dashboardFiles(familyPatterns(loaderTemplates()));
  const at = process.argv.indexOf('--index-patterns');
  if (at >= 0) {
    const out = process.argv[at + 1];
    if (!out) {
      console.error('--index-patterns needs a file name, e.g. --index-patterns index-patterns.ndjson');
      process.exit(2);
    }
    writeFileSync(out, toNdjson(files.find((f) => f.fileName === INDEX_PATTERNS_FILE)!.objects));
    console.log(`index patterns and saved searches of every family in ${out}`);
  } else {
    mkdirSync(NDJSON_DIR, { recursive: true });
    const dashboards = files.filter((f) => f.spec);
    const wanted = new Set(dashboards.map((f) => f.fileName));
    for (const old of readdirSync(NDJSON_DIR)) if (old.endsWith('.ndjson') && !wanted.has(old)) rmSync(path.join(NDJSON_DIR, old));
    for (const f of dashboards) writeFileSync(path.join(NDJSON_DIR, f.fileName), toNdjson(f.objects));
    console.log(`${dashboards.length} files in ${path.relative(process.cwd(), NDJSON_DIR)}`);
  }
}
