import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../testing';

const KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_EXAMPLEabcd1234.json.gz';

describe('Log type: cloudtrail', () => {
  const p = pipeline();

  it('turns the Records of a trail file into the expected ECS documents', async () => {
    const items = await run(p, KEY, fixture('cloudtrail', 'fixture.json'));
    expect(docs(items)).toEqual(expected('cloudtrail'));
    expect(items.at(-1)).toEqual({ kind: 'summary', key: KEY, logType: 'cloudtrail', totalRecords: 5, emitted: 5, failed: 0, skipped: 0 });
  });

  it('maps the reference fields: ids, user, source, outcome, instance id', async () => {
    const [create, run1, service, denied, insight] = docs(await run(p, KEY, fixture('cloudtrail', 'fixture.json')));
    expect(create._id).toBe('4a7b2cb2-1d1a-4bb0-9b1e-EXAMPLE11111');
    expect(create._index).toBe('log-aws-cloudtrail-2026-11');
    expect(create._source).toMatchObject({
      '@timestamp': '2026-11-21T10:05:13.000Z',
      event: { action: 'CreateUser', outcome: 'success', module: 'iam.amazonaws.com', ingested: '2026-11-22T07:00:00.000Z' },
      user: { name: 'Mary_Major', id: 'AKIAIOSFODNN7EXAMPLE' },
      source: { ip: '81.2.69.160' },
      cloud: { account: { id: '111122223333' }, region: 'us-east-1', provider: 'aws' },
    });
    expect(run1._source).toMatchObject({ user: { name: 'session-name' }, cloud: { region: 'eu-west-1', instance: { id: 'i-0abcd1234efgh5678' } } });
    expect(service._source.source).toEqual({ address: 'cloudtrail.amazonaws.com', domain: 'cloudtrail.amazonaws.com' });
    expect(service._source).not.toHaveProperty('responseElements');
    expect(denied._source).toMatchObject({ event: { outcome: 'failure' }, error: { code: 'AccessDenied' } });
    expect(insight._source).toMatchObject({ event: { kind: 'alert', action: 'RunInstances', type: 'start' } });
    expect(insight._source.event).not.toHaveProperty('outcome');
  });

  it.each([
    ['o-a1b2c3d4e5/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/x.json.gz', '111122223333'],
    ['AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/ap-northeast-1/2026/11/21/x.json.gz', '222233334444'],
    ['trails/AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/ap-northeast-1/2026/11/21/x.json.gz', '222233334444'],
    ['AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/11/21/x.json.gz', '111122223333'],
  ])('recognises organization-trail and Insights key %s', async (key, account) => {
    expect(p.resolveLogType(key)?.name).toBe('cloudtrail');
    const body = JSON.stringify({ Records: [{ eventTime: '2026-11-21T00:00:00Z', eventID: 'x', eventName: 'E' }] });
    const [doc] = docs(await run(p, key, body));
    expect(doc._source.cloud).toMatchObject({ account: { id: account } });
  });

  describe('event.outcome of sign-in events and calls', () => {
    // Shapes from "AWS Management Console sign-in events" and the IAM Identity Center sign-in events of the CloudTrail user guide.
    const signIn = (eventName: string, extra: Record<string, unknown>) => ({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', principalId: 'AIDACKCEVSQ6C2EXAMPLE', accountId: '111122223333', userName: 'Mary_Major' },
      eventTime: '2026-11-21T10:00:00Z',
      eventSource: 'signin.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: '81.2.69.160',
      eventID: `${eventName}-${JSON.stringify(extra).length}`,
      eventType: 'AwsConsoleSignIn',
      recipientAccountId: '111122223333',
      ...extra,
    });
    const outcomes = async (records: unknown[]) => docs(await run(p, KEY, JSON.stringify({ Records: records }))).map((d) => (d._source.event as { outcome?: string }).outcome);

    it('is failure for a failed console login (responseElements.ConsoleLogin and errorMessage, no errorCode)', async () => {
      expect(
        await outcomes([
          signIn('ConsoleLogin', { errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { MFAUsed: 'No', LoginTo: 'https://console.aws.amazon.com/' } }),
          signIn('ConsoleLogin', { responseElements: { ConsoleLogin: 'Failure' } }),
          signIn('ConsoleLogin', { errorMessage: 'Failed authentication' }),
          signIn('ConsoleLogin', { responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }),
        ]),
      ).toEqual(['failure', 'failure', 'failure', 'success']);
    });

    it.each(['CheckMfa', 'SwitchRole', 'ExitRole', 'RenewRole', 'GetSigninToken', 'PasswordUpdated'])('is failure when responseElements.%s is Failure, success when Success', async (name) => {
      expect(await outcomes([signIn(name, { responseElements: { [name]: 'Failure' } }), signIn(name, { responseElements: { [name]: 'Success' } })])).toEqual(['failure', 'success']);
    });

    it('is failure for an IAM Identity Center credential verification that failed (serviceEventDetails)', async () => {
      expect(
        await outcomes([
          signIn('CredentialVerification', { serviceEventDetails: { CredentialType: 'PASSWORD', CredentialVerification: 'Failure' } }),
          signIn('CredentialVerification', { serviceEventDetails: { CredentialType: 'PASSWORD', CredentialVerification: 'Success' } }),
          signIn('UserAuthentication', { serviceEventDetails: { UserAuthentication: 'Success' } }),
        ]),
      ).toEqual(['failure', 'success', 'success']);
    });

    it('is failure for an API call with errorCode or errorMessage, success otherwise', async () => {
      const call = (i: number, extra: Record<string, unknown>) => ({ eventTime: '2026-11-21T10:00:00Z', eventID: `c${i}`, eventName: 'GetObject', eventType: 'AwsApiCall', ...extra });
      expect(await outcomes([call(1, { errorCode: 'AccessDenied' }), call(2, { errorMessage: 'Access Denied' }), call(3, {}), call(4, { responseElements: null })])).toEqual([
        'failure',
        'failure',
        'success',
        'success',
      ]);
    });
  });

  it('ignores digest files without reading them', async () => {
    const key = 'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/21/x.json.gz';
    expect(p.resolveLogType(key)).toBeUndefined();
    const items = await run(p, key, 'not even json');
    expect(items).toEqual([
      { kind: 'summary', key, logType: 'cloudtrail', totalRecords: 0, emitted: 0, failed: 0, skipped: 0, ignoredReason: 'key matches s3_key_ignored of [cloudtrail]' },
    ]);
  });
  it('names the user as the reference: userName, else the last part of the ARN or principalId; none for AWS services', async () => {
    const base = { eventVersion: '1.09', eventTime: '2026-11-21T12:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', eventType: 'AwsApiCall', recipientAccountId: '111122223333' };
    const records = [
      { type: 'AWSAccount', principalId: 'AROAEXAMPLEID:jane', accountId: '444455556666' },
      { type: 'FederatedUser', principalId: '111122223333:Bob', arn: 'arn:aws:sts::111122223333:federated-user/Bob' },
      { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root' },
      { type: 'AssumedRole', principalId: 'AROAEXAMPLEID:s1', arn: 'arn:aws:sts::111122223333:assumed-role/admin/s1' },
      { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/Mary_Major', userName: 'Mary_Major' },
      { type: 'AWSService', invokedBy: 'config.amazonaws.com' },
    ].map((userIdentity, i) => ({ ...base, eventID: `user-${i}`, userIdentity }));
    const names = docs(await run(p, KEY, JSON.stringify({ Records: records }))).map((d) => (d._source.user as { name?: string } | undefined)?.name);
    expect(names).toEqual(['jane', 'Bob', 'root', 's1', 'Mary_Major', undefined]);
  });

  it('finds the instance of SSM sessions, SSM compliance items, instance-profile credentials and DescribeInstances', async () => {
    const rec = (eventSource: string, eventName: string, requestParameters: unknown, userAgent = 'aws-cli/2.15.0') => ({
      eventVersion: '1.09', eventTime: '2026-11-21T12:00:00Z', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9', recipientAccountId: '111122223333',
      eventID: `${eventName}-${Math.random()}`, userIdentity: { type: 'IAMUser', userName: 'u' }, eventSource, eventName, requestParameters, userAgent,
    });
    const records = [
      rec('ssm.amazonaws.com', 'StartSession', { target: 'i-0fedcba9876543210' }),
      rec('ssm.amazonaws.com', 'GetConnectionStatus', { target: 'i-0fedcba9876543211' }),
      rec('ssm.amazonaws.com', 'PutComplianceItems', { resourceId: 'i-0aaaabbbbccccdddd', resourceType: 'ManagedInstance' }),
      rec('ssm.amazonaws.com', 'PutComplianceItems', { resourceId: 'mi-0123456789abcdef0', resourceType: 'ManagedInstance' }),
      rec('sts.amazonaws.com', 'AssumeRole', { roleArn: 'arn:aws:iam::111122223333:role/web', roleSessionName: 'i-0aaaabbbbcccceeee' }, 'ec2.amazonaws.com'),
      rec('sts.amazonaws.com', 'AssumeRole', { roleArn: 'arn:aws:iam::111122223333:role/web', roleSessionName: 'my-session' }),
      rec('ec2.amazonaws.com', 'DescribeInstances', { instancesSet: { items: [{ instanceId: 'i-0123456789abcdef0' }] } }),
    ];
    const ids = docs(await run(p, KEY, JSON.stringify({ Records: records }))).map((d) => (d._source.cloud as { instance?: { id: string } }).instance?.id);
    expect(ids).toEqual(['i-0fedcba9876543210', 'i-0fedcba9876543211', 'i-0aaaabbbbccccdddd', undefined, 'i-0aaaabbbbcccceeee', undefined, 'i-0123456789abcdef0']);
  });

  it('names AWS-internal and AWS service user agents by themselves, as the reference', async () => {
    const records = ['AWS Internal', 'ec2.amazonaws.com', 'config.amazonaws.com'].map((userAgent, i) => ({
      eventVersion: '1.09', eventTime: '2026-11-21T12:00:00Z', eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', awsRegion: 'us-east-1',
      sourceIPAddress: userAgent, recipientAccountId: '111122223333', eventID: `ua-${i}`, userIdentity: { type: 'AWSService', invokedBy: userAgent }, userAgent,
    }));
    const names = docs(await run(p, KEY, JSON.stringify({ Records: records }))).map((d) => (d._source.user_agent as { name?: string }).name);
    expect(names).toEqual(['AWS Internal', 'ec2.amazonaws.com', 'config.amazonaws.com']);
  });
});
