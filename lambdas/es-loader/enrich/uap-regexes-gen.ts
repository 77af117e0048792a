/**
 * Writes enrich/uap-regexes.json from the installed `uap-core` package (its regexes.yaml), the
 * user-agent database the reference's python `ua-parser` uses. JSON because parsing the 200 KB YAML
 * costs about half a second of cold start; JSON.parse costs a few milliseconds and esbuild bundles it.
 *
 *   npx tsx lambdas/es-loader/enrich/uap-regexes-gen.ts     (after upgrading uap-core)
 *
 * user-agent.test.ts fails while the JSON and the installed uap-core differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const UAP_JSON = join(__dirname, 'uap-regexes.json');

export function uapRegexesFromYaml(): unknown {
  const yamlPath = require.resolve('uap-core/regexes.yaml');
  const version = (JSON.parse(readFileSync(require.resolve('uap-core/package.json'), 'utf8')) as { version: string }).version;
  const data = parse(readFileSync(yamlPath, 'utf8')) as Record<string, Array<Record<string, string>>>;
  return {
    source: `uap-core ${version} regexes.yaml (Apache-2.0)`,
    user_agent_parsers: data.user_agent_parsers,
    os_parsers: data.os_parsers,
    device_parsers: data.device_parsers,
  };
}

if (require.main === module) {
  writeFileSync(UAP_JSON, `${JSON.stringify(uapRegexesFromYaml())}\n`);
  console.log(`wrote ${UAP_JSON}`);
}
