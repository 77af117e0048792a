/**
 * Writes the generated NDJSON files into dashboards/ndjson/ (one per dashboard, importable by hand in
 * Dashboards Management > Saved objects > Import). Run after changing a spec:
 *   npx tsx lambdas/opensearch-configurator/dashboards/write.ts
 * The unit test fails while a checked-in file differs from what the specs generate.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { loaderTemplates } from '../loader-templates';
import { dashboardFiles, familyPatterns, toNdjson } from './generate';

export const NDJSON_DIR = path.join(__dirname, 'ndjson');

if (require.main === module) {
  mkdirSync(NDJSON_DIR, { recursive: true });
  const files = dashboardFiles(familyPatterns(loaderTemplates()));
  const wanted = new Set(files.map((f) => f.fileName));
  for (const old of readdirSync(NDJSON_DIR)) if (old.endsWith('.ndjson') && !wanted.has(old)) rmSync(path.join(NDJSON_DIR, old));
  for (const f of files) writeFileSync(path.join(NDJSON_DIR, f.fileName), toNdjson(f.objects));
  console.log(`${files.length} files in ${path.relative(process.cwd(), NDJSON_DIR)}`);
}
