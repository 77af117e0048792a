/**
 * The `log-archive` stack's resources, property by property: the Control Tower queue and DLQ, their
 * policies, the notification modes, `ct-role-for-siem`, the provider, outputs and warnings.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../accounts/load';
import { checkStack } from '../../modules/validations';
import { buildApp } from '../../stacks/app';
import { ctOrganization, CT_ACCESS_LOGS, CT_KEY_ARN, CT_LOGS, DLQ_ARN, EXTERNAL_ID, LOADER_ROLE_ARN, LOG_ARCHIVE, only, policyOf, QUEUE_ARN, REGION, resources, RULE_ARN, SECURITY, synthLogArchive } from './log-archive-helpers';

const queue = (json: Parameters<typeof only>[0], name: string) => only(json, 'aws_sqs_queue', (q) => q.name === name);
const queuePolicy = (json: Parameters<typeof only>[0], tfName: string) => policyOf(only(json, 'aws_sqs_queue_policy', (p) => p.queue_url === `\${aws_sqs_queue.${tfName}.url}`).policy);
const tfNameOf = (json: Parameters<typeof only>[0], name: string) => Object.entries(resources(json, 'aws_sqs_queue')).find(([, q]) => q.name === name)![0];

describe('Stack: log-archive', () => {
  describe('queues', () => {
    const { json } = synthLogArchive(ctOrganization());

    it('creates aes-siem-ct with SSE-SQS, 14 days retention, 6x the loader timeout and redrive to aes-siem-ct-dlq', () => {
      const q = queue(json, 'aes-siem-ct');
      expect(q.sqs_managed_sse_enabled).toBe(true);
      expect(q.kms_master_key_id).toBeUndefined();
      expect(q.message_retention_seconds).toBe(1209600);
      expect(q.visibility_timeout_seconds).toBe(600 * 6);
      expect(JSON.parse(q.redrive_policy)).toEqual({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 3 });
    });

    it('creates aes-siem-ct-dlq encrypted, usable as DLQ only by aes-siem-ct', () => {
      const d = queue(json, 'aes-siem-ct-dlq');
      expect(d.sqs_managed_sse_enabled).toBe(true);
      expect(d.message_retention_seconds).toBe(1209600);
      expect(JSON.parse(d.redrive_allow_policy)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [QUEUE_ARN] });
    });

    it('follows loader.maxReceiveCount and loader.timeoutSeconds', () => {
      const { json: j } = synthLogArchive(ctOrganization({}, { loader: { maxReceiveCount: 5, timeoutSeconds: 120 } }));
      const q = queue(j, 'aes-siem-ct');
      expect(JSON.parse(q.redrive_policy).maxReceiveCount).toBe(5);
      expect(q.visibility_timeout_seconds).toBe(720);
    });

    it('queue policy: TLS only, S3 from the two Control Tower buckets of the account, the rule, and the loader role to consume', () => {
      const p = queuePolicy(json, tfNameOf(json, 'aes-siem-ct'));
      expect(p.Statement).toEqual([
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: QUEUE_ARN, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        {
          Sid: 'ControlTowerBucketsSend',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: QUEUE_ARN,
          Condition: { ArnLike: { 'aws:SourceArn': [`arn:aws:s3:::${CT_LOGS}`, `arn:aws:s3:::${CT_ACCESS_LOGS}`] }, StringEquals: { 'aws:SourceAccount': LOG_ARCHIVE } },
        },
        { Sid: 'ControlTowerRuleSend', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE_ARN, Condition: { ArnEquals: { 'aws:SourceArn': RULE_ARN } } },
        {
          Sid: 'CentralLoaderConsume',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${SECURITY}:root` },
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          Resource: QUEUE_ARN,
          Condition: { ArnEquals: { 'aws:PrincipalArn': LOADER_ROLE_ARN } },
        },
      ]);
    });

    it('DLQ policy: TLS only, the loader may write failure messages, the rule its undeliverable events', () => {
      const p = queuePolicy(json, tfNameOf(json, 'aes-siem-ct-dlq'));
      expect(p.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['DenyInsecureTransport', 'CentralLoaderWriteFailures', 'ControlTowerRuleUndelivered']);
      expect(p.Statement[1]).toMatchObject({ Principal: { AWS: `arn:aws:iam::${SECURITY}:root` }, Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], Resource: DLQ_ARN, Condition: { ArnEquals: { 'aws:PrincipalArn': LOADER_ROLE_ARN } } });
      expect(p.Statement[2]).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': RULE_ARN } } });
    });
  });

  describe('notifications', () => {
    it('eventbridge (default): switches EventBridge on for each bucket, a rule for Object Created of those buckets targets the queue, DLQ for undeliverable events', () => {
      const { json, warnings } = synthLogArchive(ctOrganization());
      const notes = Object.values(resources(json, 'aws_s3_bucket_notification'));
      expect(notes.map((n) => n.bucket).sort()).toEqual([CT_LOGS, CT_ACCESS_LOGS].sort());
      for (const n of notes) {
        expect(n.eventbridge).toBe(true);
        expect(n.queue).toBeUndefined();
        expect(n.lambda_function).toBeUndefined();
        expect(n.topic).toBeUndefined();
      }
      const rule = only(json, 'aws_cloudwatch_event_rule');
      expect(rule.name).toBe('aes-siem-ct-object-created');
      expect(JSON.parse(rule.event_pattern)).toEqual({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [CT_LOGS, CT_ACCESS_LOGS] } } });
      const target = only(json, 'aws_cloudwatch_event_target');
      expect(target.arn).toBe(`\${aws_sqs_queue.${tfNameOf(json, 'aes-siem-ct')}.arn}`);
      expect(target.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${tfNameOf(json, 'aes-siem-ct-dlq')}.arn}` });
      expect(warnings.join('\n')).toMatch(/writes the whole S3 notification configuration of aws-controltower-logs-333333333333-ap-northeast-1, aws-controltower-s3-access-logs-333333333333-ap-northeast-1/);
    });

    it('direct: a queue notification for every ObjectCreated event, written after the queue policy; no rule; S3 may still send, EventBridge may not', () => {
      const { json } = synthLogArchive(ctOrganization({ notificationMode: 'direct' }));
      const notes = Object.values(resources(json, 'aws_s3_bucket_notification'));
      expect(notes).toHaveLength(2);
      for (const n of notes) {
        expect(n.eventbridge).toBeUndefined();
        expect(n.queue).toEqual([{ id: 'aes-siem-ct', queue_arn: `\${aws_sqs_queue.${tfNameOf(json, 'aes-siem-ct')}.arn}`, events: ['s3:ObjectCreated:*'] }]);
        expect(n.depends_on).toEqual([expect.stringMatching(/^aws_sqs_queue_policy\.ct-queue_queue-policy/)]);
      }
      expect(resources(json, 'aws_cloudwatch_event_rule')).toEqual({});
      const sids = queuePolicy(json, tfNameOf(json, 'aes-siem-ct')).Statement.map((s: { Sid: string }) => s.Sid);
      expect(sids).toEqual(['DenyInsecureTransport', 'ControlTowerBucketsSend', 'CentralLoaderConsume']);
      const dlqSids = queuePolicy(json, tfNameOf(json, 'aes-siem-ct-dlq')).Statement.map((s: { Sid: string }) => s.Sid);
      expect(dlqSids).toEqual(['DenyInsecureTransport', 'CentralLoaderWriteFailures']);
    });

    it('manageBucketNotifications false: the buckets are left alone (no notification resource, no warning), the rule still forwards', () => {
      const { json, warnings } = synthLogArchive(ctOrganization({ manageBucketNotifications: false }));
      expect(resources(json, 'aws_s3_bucket_notification')).toEqual({});
      expect(only(json, 'aws_cloudwatch_event_rule').name).toBe('aes-siem-ct-object-created');
      expect(warnings).toEqual([]);
    });

    it('manageBucketNotifications false with direct mode is refused, naming both fields (a configuration rule, accounts/rules.ts)', () => {
      expect(() => synthLogArchive(ctOrganization({ manageBucketNotifications: false, notificationMode: 'direct' }))).toThrow(ConfigError);
      expect(() => synthLogArchive(ctOrganization({ manageBucketNotifications: false, notificationMode: 'direct' }))).toThrow(
        'organization.yaml: logArchive.manageBucketNotifications: is false but logArchive.notificationMode is "direct"',
      );
    });

    it('controlTowerBuckets overrides the bucket list everywhere (notifications, rule, queue policy, role policy)', () => {
      const { json } = synthLogArchive(ctOrganization({ controlTowerBuckets: ['my-ct-logs'] }));
      expect(Object.values(resources(json, 'aws_s3_bucket_notification')).map((n) => n.bucket)).toEqual(['my-ct-logs']);
      expect(JSON.parse(only(json, 'aws_cloudwatch_event_rule').event_pattern).detail.bucket.name).toEqual(['my-ct-logs']);
      const send = queuePolicy(json, tfNameOf(json, 'aes-siem-ct')).Statement.find((s: { Sid: string }) => s.Sid === 'ControlTowerBucketsSend');
      expect(send.Condition.ArnLike['aws:SourceArn']).toEqual(['arn:aws:s3:::my-ct-logs']);
      expect(policyOf(only(json, 'aws_iam_role_policy').policy).Statement[0].Resource).toEqual(['arn:aws:s3:::my-ct-logs/*']);
    });
  });

  describe('ct-role-for-siem', () => {
    it('is trusted by the central loader role only, with the external id', () => {
      const { json } = synthLogArchive(ctOrganization());
      const role = only(json, 'aws_iam_role');
      expect(role.name).toBe('ct-role-for-siem');
      expect(role.max_session_duration).toBe(3600);
      expect(policyOf(role.assume_role_policy).Statement).toEqual([
        {
          Sid: 'CentralLoaderWithExternalId',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${SECURITY}:root` },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID }, ArnEquals: { 'aws:PrincipalArn': LOADER_ROLE_ARN } },
        },
      ]);
    });

    it('may only GetObject in the Control Tower buckets when no key is configured', () => {
      const { json, stack } = synthLogArchive(ctOrganization());
      expect(policyOf(only(json, 'aws_iam_role_policy').policy).Statement).toEqual([
        { Sid: 'ReadControlTowerLogs', Effect: 'Allow', Action: 's3:GetObject', Resource: [`arn:aws:s3:::${CT_LOGS}/*`, `arn:aws:s3:::${CT_ACCESS_LOGS}/*`] },
      ]);
      expect(Object.keys(resources(json, 'aws_iam_role_policy_attachment'))).toEqual([]);
      expect(json.output?.control_tower_key_policy_statement).toBeUndefined();
      expect(stack.settings.kmsKeyArn).toBeUndefined();
    });

    it('may also kms:Decrypt with the Control Tower key, through S3 in its Region only, when controlTowerKmsKeyArn is set; the key statement is an output', () => {
      const { json } = synthLogArchive(ctOrganization({ controlTowerKmsKeyArn: CT_KEY_ARN }));
      expect(policyOf(only(json, 'aws_iam_role_policy').policy).Statement[1]).toEqual({
        Sid: 'DecryptControlTowerLogs',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: CT_KEY_ARN,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } },
      });
      const out = JSON.parse(String(json.output!.control_tower_key_policy_statement!.value));
      expect(out).toEqual({
        Sid: 'AllowSiemReaderRoleDecryptViaS3',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${LOG_ARCHIVE}:root` },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${LOG_ARCHIVE}:role/ct-role-for-siem` },
          StringEquals: { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:CallerAccount': LOG_ARCHIVE },
        },
      });
    });
  });

  describe('provider', () => {
    it('is pinned to the Log Archive account and assumes defaults.memberDeployRole', () => {
      const { json } = synthLogArchive(ctOrganization({}, { defaults: { memberDeployRole: 'AWSControlTowerExecution' } }));
      expect(json.provider.aws).toHaveLength(1);
      expect(json.provider.aws[0]).toMatchObject({
        region: REGION,
        allowed_account_ids: [LOG_ARCHIVE],
        assume_role: [{ role_arn: `arn:aws:iam::${LOG_ARCHIVE}:role/AWSControlTowerExecution` }],
      });
    });

    it('assumes logArchive.deployRole when set', () => {
      const { json } = synthLogArchive(ctOrganization({ deployRole: 'SiemDeployer' }));
      expect(json.provider.aws[0]!.assume_role).toEqual([{ role_arn: `arn:aws:iam::${LOG_ARCHIVE}:role/SiemDeployer`, session_name: 'siem-deploy' }]);
    });
  });

  describe('project rules', () => {
    it.each(['eventbridge', 'direct'] as const)('%s mode passes the whole-stack validations (encryption, prefix, no data sources, aws provider only)', (mode) => {
      const { stack } = synthLogArchive(ctOrganization({ notificationMode: mode, controlTowerKmsKeyArn: CT_KEY_ARN }));
      expect(checkStack(stack, 'aes-siem')).toEqual([]);
    });
  });

  describe('app', () => {
    it('buildApp creates log-archive only when logArchive is configured', () => {
      const withLa = ctOrganization();
      const { logArchive: _drop, ...rest } = withLa;
      void _drop;
      const ids = (org: typeof withLa) => buildApp(org, { outdir: '/tmp/siem-unused' }).node.children.map((c) => c.node.id);
      expect(ids(withLa)).toContain('log-archive');
      expect(ids({ ...rest, members: [] })).not.toContain('log-archive');
    });
  });
});
