/**
 * The findings and events that EventBridge delivers through Firehose (issue 13: Security Hub, Inspector,
 * Config rules, WorkSpaces access) and the reference exporters' Trusted Advisor and WorkSpaces inventory
 * files, end to end against the local servers: each fixture object in s3rver under the key the
 * reference's EventBridge -> Firehose exporter writes, the handler invoked with its S3 notification, the
 * documents read back from OpenSearch compared exactly with the log type's expected documents, and the
 * field types checked in the index mappings.
 */
import { describe, expect, it } from 'vitest';
import { allDocs, byId, expected, expectIndexedExactly, failureMessages, fieldType, fixture, type LogTypeCase, putObject, s3Event, useLoaderSuite } from './es-loader-helpers';


const FIXTURES: LogTypeCase[] = [
  {
    name: 'Security Hub',
    type: 'securityhub',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/aws.securityhub/Security_Hub_Findings_-_Imported/ap-northeast-1/2026/11/21/10/siem-eventbridge-events-1-2026-11-21-10-05-03-a1b2c3d4.gz',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'destination.ip': 'ip', 'source.port': 'long', 'event.severity': 'float', 'event.risk_score_norm': 'float', 'rule.id': 'keyword', 'rule.name': 'keyword', 'event.module': 'keyword', 'cloud.instance.id': 'keyword', 'related.ip': 'ip' },
  },
  {
    name: 'Inspector',
    type: 'inspector',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/aws.inspector2/Inspector2_Finding/ap-northeast-1/2026/11/21/siem-eventbridge-events-1-2026-11-21-10-12-15-b2c3d4e5.gz',
    types: { '@timestamp': 'date', 'vulnerability.id': 'keyword', 'vulnerability.severity': 'keyword', 'vulnerability.category': 'keyword', 'rule.id': 'keyword', 'cloud.instance.id': 'keyword', 'related.ip': 'ip' },
  },
  {
    name: 'Config rules',
    type: 'config_rules',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/aws.config/Config_Rules_Compliance_Change/ap-northeast-1/2026/11/21/siem-eventbridge-events-1-2026-11-21-10-15-31-c3d4e5f6.gz',
    types: { '@timestamp': 'date', 'event.outcome': 'keyword', 'event.module': 'keyword', 'cloud.instance.id': 'keyword', 'user.id': 'keyword' },
  },
  {
    name: 'Trusted Advisor',
    type: 'trustedadvisor',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/TrustedAdvisor/ap-northeast-1/2026/11/21/trustedadvisor-check-results-20261121_100005.json.gz',
    types: { '@timestamp': 'date', 'rule.name': 'keyword', 'event.kind': 'keyword', 'cloud.region': 'keyword', 'cloud.instance.id': 'keyword', 'related.ip': 'ip' },
  },
  {
    name: 'WorkSpaces access events',
    type: 'workspaces_event',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/WorkSpaces/Event/2026/11/21/09/siem-workspaces-event-to-s3-1-2026-11-21-09-01-12-d4e5f6a7.gz',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'host.id': 'keyword', 'event.outcome': 'keyword', 'related.ip': 'ip' },
  },
  {
    name: 'WorkSpaces inventory',
    type: 'workspaces_inventory',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/WorkSpaces/Inventory/ap-northeast-1/2026/11/21/workspaces-inventory-20261121_100000.json.gz',
    types: { '@timestamp': 'date', 'host.ip': 'ip', 'host.id': 'keyword', 'host.name': 'keyword', 'user.name': 'keyword', 'related.user': 'keyword' },
  },
];

const suite = useLoaderSuite();
const client = suite.client;

describe('es-loader: findings and events delivered by EventBridge -> Firehose, in OpenSearch', () => {
  it.each(FIXTURES)('$name: exact documents and field types', async (f) => {
    await expectIndexedExactly(suite.loader, client, f);
  });

  it('Config rules documents share log-aws-config with configuration history items, without mapping conflicts', async () => {
    const history = 'AWSLogs/123456789012/Config/us-east-1/2026/11/21/ConfigHistory/123456789012_Config_us-east-1_ConfigHistory_AWS::EC2::SecurityGroup_20261121T101011Z_20261121T102000Z_1.json.gz';
    const rules = FIXTURES.find((f) => f.type === 'config_rules')!;
    await putObject(history, fixture('config', 'fixture-history.json'));
    await putObject(rules.key, fixture(rules.type, rules.file));
    await suite.loader.invoke(s3Event(history));
    await suite.loader.invoke(s3Event(rules.key));
    const want = [...expected('config', 'expected-history.json'), ...expected('config_rules')];
    expect(byId(await allDocs(client, [...new Set(want.map((d) => d._index))].join(',')))).toEqual(byId(want));
    expect(await failureMessages(suite.loader.dlqUrl)).toEqual([]);
  });

  it('WorkSpaces access events and inventory share log-aws-workspaces without mapping conflicts', async () => {
    const fs = FIXTURES.filter((f) => f.type.startsWith('workspaces_'));
    for (const f of fs) await putObject(f.key, fixture(f.type, f.file));
    for (const f of fs) await suite.loader.invoke(s3Event(f.key));
    const want = fs.flatMap((f) => expected(f.type));
    expect(byId(await allDocs(client, [...new Set(want.map((d) => d._index))].join(',')))).toEqual(byId(want));
    expect(await fieldType(client, want[0]!._index, 'WorkspaceId')).toBe('keyword');
    expect(await failureMessages(suite.loader.dlqUrl)).toEqual([]);
  });
});
