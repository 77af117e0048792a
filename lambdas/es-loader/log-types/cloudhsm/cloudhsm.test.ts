import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/123456789012/CloudHSM/ap-northeast-1/2026/11/21/10/aes-siem-cloudhsm-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';

const envelope = (message: string) =>
  JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/cloudhsm/cluster-abcdefghijk', logStream: 'hsm-bcdefghijkm', subscriptionFilters: [], logEvents: [{ id: '1', timestamp: 1795255201000, message }] });

describe('Log type: cloudhsm', () => {
  const p = pipeline();

  it('reads the multi-line audit entries of the CloudWatch Logs messages into the expected documents', async () => {
    const items = await run(p, KEY, fixture('cloudhsm', 'fixture.json'));
    expect(docs(items)).toEqual(expected('cloudhsm'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'cloudhsm', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('gives each entry the id <hsm><sequence><usecs>, the cluster and HSM, the user of logins and the target of user management, as the reference', async () => {
    const [login, failed, create, keygen, logout] = docs(await run(p, KEY, fixture('cloudhsm', 'fixture.json')));
    expect(login!._id).toBe('hsm-bcdefghijkm0x1a41795255201123456');
    expect(login!._index).toBe('log-aws-cloudhsm-2026-11');
    expect(login!._source).toMatchObject({
      '@id': 'hsm-bcdefghijkm0x1a41795255201123456',
      '@timestamp': '2026-11-21T10:00:01.123Z',
      '@log_type': 'cloudhsm',
      event: { module: 'cloudhsm', outcome: 'success' },
      cloud: { account: { id: '123456789012' }, region: 'ap-northeast-1', instance: { id: 'hsm-bcdefghijkm' } },
      related: { hosts: ['cluster-abcdefghijk', 'hsm-bcdefghijkm'] },
      user: { name: 'admin', roles: 'CN_CRYPTO_OFFICER' },
      cloudhsm: { cluster_id: 'cluster-abcdefghijk', hsm_id: 'hsm-bcdefghijkm', sequence_no: 420, reboot_counter: 2, opcode: 'CN_LOGIN', opcode_hex: '0xd', command_type: 'CN_MGMT_CMD', hsm_return: 'SUCCESS' },
    });
    expect(login!._source).not.toHaveProperty('opcode');
    expect(failed!._source).toMatchObject({ event: { outcome: 'failure' }, user: { name: 'mallory', roles: 'CN_CRYPTO_USER' }, cloudhsm: { response: '163', hsm_error: 'RET_USER_LOGIN_FAILURE' } });
    expect(failed!._source.cloudhsm).not.toHaveProperty('hsm_return');
    // The newer layout: Version No, the opcode before Command Type, User id.
    expect(create!._source).toMatchObject({
      user: { id: '2', target: { name: 'kmsuser', roles: 'CN_CRYPTO_USER', id: '7' } },
      cloudhsm: { version_no: '1.0', opcode: 'CN_CREATE_USER', opcode_hex: '0x3', user_id: '2' },
    });
    expect(create!._source.cloudhsm).not.toHaveProperty('opcode_v2');
    expect(keygen!._source).toMatchObject({ cloudhsm: { log_type: 'MGMT_KEY_DETAILS_LOG', priv_secret_key_handle: '262150', public_key_handle: '262151' } });
    expect(keygen!._source).not.toHaveProperty('user');
    expect(logout!._source).toMatchObject({ '@timestamp': '2026-11-21T10:04:01.999Z', user: { name: 'admin' }, cloudhsm: { opcode: 'CN_LOGOUT' } });
  });

  it('gives a session entry without a user (MINIMAL_LOG_ENTRY of CN_APP_FINALIZE) no user object, as the reference', async () => {
    const entry = ['Time: 11/21/26 11:00:01.000001, usecs:1795258801000001', 'Sequence No  : 0x0', 'Reboot counter  : 0x3',
      'Command Type(hex)  : CN_MGMT_CMD (0x0)', 'Opcode  : CN_APP_FINALIZE (0x8)', 'Session Handle  : 0x0',
      'Response  : 0:HSM Return: SUCCESS', 'Log type  : MINIMAL_LOG_ENTRY (0)'].join('\n');
    const [d] = docs(await run(p, KEY, envelope(entry)));
    expect(d!._source).toMatchObject({ event: { outcome: 'success' }, cloudhsm: { opcode: 'CN_APP_FINALIZE', log_type: 'MINIMAL_LOG_ENTRY' } });
    expect(d!._source).not.toHaveProperty('user');
  });

  it('names an entry that is not an audit entry in a record error', async () => {
    const [err] = await run(p, KEY, envelope('Time: 11/21/26 10:00:01.123456, usecs:1795255201123456\nsomething else'));
    expect(err).toMatchObject({ kind: 'record-error', record: 0, reason: expect.stringContaining('does not match the log_pattern of [cloudhsm]') });
  });

  it.each([KEY, 'AWSLogs/123456789012/CloudHSM/us-east-1/x.gz'])('recognises %s', (key) => expect(p.resolveLogType(key)?.name).toBe('cloudhsm'));
});
