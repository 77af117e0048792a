// docs/alerting.md shows each example monitor exactly as the configurator sends it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_CHANNEL_ID } from '../../modules/operations';
import { MONITOR_NAMES, monitorDefinition } from '../../lambdas/opensearch-configurator/monitors';

const doc = fs.readFileSync(path.resolve(__dirname, '../../docs/alerting.md'), 'utf8');

describe('docs/alerting.md', () => {
  it.each(MONITOR_NAMES)('shows monitor %s as the configurator sends it', (name) => {
    const section = doc.split(/^### /m).find((s) => s.startsWith(`\`${name}\``));
    expect(section, `a "### \`${name}\`" section`).toBeDefined();
    const json = /```json\n([\s\S]*?)\n```/.exec(section!)?.[1];
    expect(json, 'a json block in the section').toBeDefined();
    expect(JSON.parse(json!)).toEqual(monitorDefinition(name, ALERT_CHANNEL_ID));
  });
});
