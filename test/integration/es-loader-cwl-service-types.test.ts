/**
 * The AWS service log types of issue 14 that reach S3 through CloudWatch Logs, end to end against the
 * local servers: Client VPN connection logs, CloudHSM audit logs and Microsoft AD security events as
 * Firehose writes a CloudWatch Logs subscription (via_cwl), CloudHSM audit logs from a CloudWatch Logs
 * export task (cloudhsm_cwl), and FSx for Windows audit events that FSx writes to Firehose itself.
 * Each fixture object is stored under a key of the layout its delivery writes, the handler is invoked
 * with its S3 notification, and the documents read back from OpenSearch are compared exactly with the
 * log type's expected documents; the field types the dashboards aggregate are checked in the mappings.
 */
import { describe, expect, it } from 'vitest';
import { allDocs, expected, expectIndexedExactly, failureMessages, fixture, type LogTypeCase, putObject, s3Event, useLoaderSuite } from './es-loader-helpers';

const CLOUDHSM_KEY = 'AWSLogs/123456789012/CloudHSM/ap-northeast-1/2026/11/21/10/aes-siem-cloudhsm-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';
const CLOUDHSM_EXPORT_KEY = 'cloudhsm-cwl/123456789012/ap-northeast-1/cluster-abcdefghijk/2f1a9c3e-5b7d-4e2a-9c1f-3a5b7d9e1f2a/hsm-bcdefghijkm/000000.gz';
const HSM = { '@timestamp': 'date', 'cloudhsm.opcode': 'keyword', 'cloudhsm.sequence_no': 'long', 'cloudhsm.hsm_error': 'keyword', 'user.target.name': 'keyword', 'cloud.instance.id': 'keyword', 'event.outcome': 'keyword' };

const WINDOWS = { '@timestamp': 'date', 'event.code': 'keyword', 'event.action': 'keyword', 'event.outcome': 'keyword', 'user.name': 'keyword', 'host.name': 'keyword' };

const FIXTURES: LogTypeCase[] = [
  {
    name: 'Client VPN',
    type: 'clientvpn',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/ClientVPN/ap-northeast-1/2026/11/21/10/aes-siem-clientvpn-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809',
    types: { '@timestamp': 'date', 'source.ip': 'ip', 'source.port': 'long', 'network.bytes': 'long', 'event.duration': 'long', 'clientvpn.connection-id': 'keyword', 'clientvpn.device-type': 'keyword', 'user.name': 'keyword' },
  },
  { name: 'CloudHSM (subscription)', type: 'cloudhsm', file: 'fixture.json', key: CLOUDHSM_KEY, types: HSM },
  { name: 'CloudHSM (export task)', type: 'cloudhsm_cwl', file: 'fixture.txt', key: CLOUDHSM_EXPORT_KEY, types: HSM },
  {
    name: 'Directory Service (Microsoft AD)',
    type: 'directory_service',
    file: 'fixture.json',
    key: 'AWSLogs/123456789012/DirectoryService/MicrosoftAD/ap-northeast-1/2026/11/21/10/aes-siem-ds-1-2026-11-21-10-05-00-6a7b8c9d-0e1f-2345-a6b7-c8d9e0f12345',
    types: { ...WINDOWS, 'source.ip': 'ip', 'source.port': 'long' },
  },
  { name: 'FSx for Windows (Firehose)', type: 'fsx_win', file: 'fixture.xml', key: 'AWSLogs/123456789012/FSx/ap-northeast-1/2026/11/21/10/aws-fsx-audit-1-2026-11-21-10-05-00-7b8c9d0e-1f23-4567-b8c9-d0e1f2345678', types: WINDOWS },
];

const suite = useLoaderSuite('log-aws-clientvpn-*,log-aws-cloudhsm-*,log-aws-directory-service-*,log-aws-fsx-win-*');
const client = suite.client;

describe('es-loader: Client VPN, CloudHSM, Directory Service and FSx for Windows logs in OpenSearch', () => {
  it.each(FIXTURES)('$name: exact documents and field types', async (f) => {
    await expectIndexedExactly(suite.loader, client, f);
  });

  it('a CloudHSM entry delivered by the subscription and by an export is one document (the id is <hsm><sequence><usecs>)', async () => {
    for (const [type, file, key] of [['cloudhsm', 'fixture.json', CLOUDHSM_KEY], ['cloudhsm_cwl', 'fixture.txt', CLOUDHSM_EXPORT_KEY]] as const) {
      const size = await putObject(key, fixture(type, file));
      expect(await suite.loader.invoke(s3Event(key, { size }))).toBeUndefined();
    }
    const docs = await allDocs(client, 'log-aws-cloudhsm-*');
    expect(docs.map((d) => d._id).sort()).toEqual(expected('cloudhsm').map((d) => d._id).sort());
    // Documents are created, never overwritten: the export's copies are the same documents, not new ones nor failures.
    expect(docs.map((d) => [d._source['@log_s3key'], (d._source.event as Record<string, unknown>).module])).toEqual(docs.map(() => [CLOUDHSM_KEY, 'cloudhsm']));
    expect(suite.loader.log.lastTotals()).toMatchObject({ objects: 1, read: 5, failed: 0 });
    expect(await failureMessages(suite.loader.dlqUrl)).toEqual([]);
  });
});
