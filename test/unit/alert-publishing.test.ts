// Alerts that reach people (issue 15): the role OpenSearch assumes to publish to the alert topic, the
// topic policy for it, the rule forwarding the domain's own events, and what the configurator is asked
// to install (the SNS channel and the monitors enabled in the configuration).
import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../accounts/load';
import type { Organization } from '../../accounts/schema';
import { exampleOrganization, findResource, parsePolicy, resourcesOf, synthesize, type SynthesizedStack } from '../helpers/synth';

const org = exampleOrganization();
const central = (o: Organization = org): SynthesizedStack => synthesize(o).stacks.central!;
const TOPIC = 'arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert';

function variant(alerting: Record<string, unknown>): Organization {
  const { members, ...file } = org;
  return parseOrganization({ file: 'organization.yaml', data: { ...file, opensearch: { ...org.opensearch, alerting } } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
}

describe('alert publishing', () => {
  it('the SNS role (the reference\'s aes-siem-sns-role) is assumed by OpenSearch Service and may only publish to the alert topic', () => {
    const role = findResource(central(), 'aws_iam_role', (r) => r.name === 'aes-siem-sns-role');
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } },
    ]);
    const policy = parsePolicy(findResource(central(), 'aws_iam_role_policy', (p) => p.name === 'publish-alerts').policy);
    expect(policy.Statement).toEqual([
      { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: TOPIC },
      { Sid: 'EncryptForTopic', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '${aws_kms_key.key.arn}', Condition: { StringEquals: { 'kms:ViaService': 'sns.ap-northeast-1.amazonaws.com' } } },
    ]);
  });

  it('the topic policy lets the SNS role publish', () => {
    const policy = parsePolicy(Object.values(resourcesOf(central(), 'aws_sns_topic_policy'))[0]!.policy);
    expect(policy.Statement.map((s) => s.Sid)).toEqual(['AlarmsAndRulesPublish', 'OpenSearchAlertingPublish', 'DenyInsecureTransport']);
    expect(policy.Statement[1]).toEqual({ Sid: 'OpenSearchAlertingPublish', Effect: 'Allow', Principal: { AWS: '${aws_iam_role.alert-publishing_sns-role_D40D6B86.arn}' }, Action: 'sns:Publish', Resource: TOPIC });
  });

  it('forwards the domain\'s own events (software updates, Auto-Tune, cluster status, node retirement, errors) to the alert topic', () => {
    const rule = findResource(central(), 'aws_cloudwatch_event_rule', (r) => r.name === 'aes-siem-opensearch-events');
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.es'],
      'detail-type': [
        'Amazon ES Service Software Update Notification',
        'Amazon OpenSearch Service Software Update Notification',
        'Amazon ES Auto-Tune Notification',
        'Amazon OpenSearch Service Auto-Tune Notification',
        'Amazon OpenSearch Service Cluster Status Notification',
        'Amazon OpenSearch Service Notification',
        'Domain Error Notification',
      ],
      resources: ['arn:aws:es:ap-northeast-1:222222222222:domain/aes-siem'],
    });
    const target = findResource(central(), 'aws_cloudwatch_event_target', (t) => t.rule === '${aws_cloudwatch_event_rule.alert-publishing_domain-events_FD3E3F96.name}');
    expect(target).toMatchObject({ arn: TOPIC, target_id: 'alert-topic' });
  });

  it('domainEvents: false leaves the rule out', () => {
    const s = central(variant({ domainEvents: false }));
    expect(Object.values(resourcesOf(s, 'aws_cloudwatch_event_rule')).map((r) => r.name)).not.toContain('aes-siem-opensearch-events');
  });

  it('asks the configurator for the SNS channel with the role, and the monitors enabled in the configuration', () => {
    const input = JSON.parse(Object.values(resourcesOf(central(), 'aws_lambda_invocation'))[0]!.input);
    expect(input.settings.alerting).toEqual({
      channel: { id: 'siem-alert-topic', name: 'aes-siem-alert', topicArn: TOPIC, roleArn: 'arn:aws:iam::222222222222:role/aes-siem-sns-role' },
      monitors: ['console-login-new-country', 'root-account-use', 'guardduty-high-finding', 'waf-block-spike'],
    });
    const none = JSON.parse(Object.values(resourcesOf(central(variant({ monitors: [] })), 'aws_lambda_invocation'))[0]!.input);
    expect(none.settings.alerting.monitors).toEqual([]);
  });

  it('the master role may pass the SNS role to OpenSearch (creating the channel needs it)', () => {
    const policy = parsePolicy(findResource(central(), 'aws_iam_role_policy', (p) => p.name === 'aes-siem-opensearch-admin-configure').policy);
    expect(policy.Statement).toContainEqual({ Sid: 'PassAlertingRole', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::222222222222:role/aes-siem-sns-role' });
  });

  it('refuses an unknown monitor, naming the ones there are', () => {
    expect(() => variant({ monitors: ['root-login'] })).toThrow('organization.yaml: opensearch.alerting.monitors[0]: must be one of console-login-new-country, root-account-use, guardduty-high-finding, waf-block-spike');
  });
});
