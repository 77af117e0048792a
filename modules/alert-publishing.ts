/**
 * Alerts that reach people (docs/alerting.md):
 *
 * - the IAM role OpenSearch Service assumes to publish alerting notifications to the alert topic (the
 *   reference's `aes-siem-sns-role`), with the topic policy statement that lets it publish; the
 *   configurator creates the SNS channel that names the role (lambdas/opensearch-configurator);
 * - an EventBridge rule that forwards the domain's own events (`aws.es`: service software updates,
 *   Auto-Tune, cluster status such as red, node retirement, domain errors) to the alert topic.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { terraformPolicy, type PolicyStatement } from './policies/document';

/**
 * Detail types of the events OpenSearch Service sends to EventBridge for a domain (EventBridge events
 * reference, "Amazon OpenSearch Service events"; both the older "Amazon ES" and the current names).
 * Node retirement is an "Amazon OpenSearch Service Notification".
 */
export const DOMAIN_EVENT_TYPES = [
  'Amazon ES Service Software Update Notification',
  'Amazon OpenSearch Service Software Update Notification',
  'Amazon ES Auto-Tune Notification',
  'Amazon OpenSearch Service Auto-Tune Notification',
  'Amazon OpenSearch Service Cluster Status Notification',
  'Amazon OpenSearch Service Notification',
  'Domain Error Notification',
] as const;

export interface AlertPublishingProps {
  readonly accountId: string;
  readonly region: string;
  /** E.g. `aes-siem-sns-role`. */
  readonly roleName: string;
  /** Name of the EventBridge rule, e.g. `aes-siem-opensearch-events`. */
  readonly ruleName: string;
  readonly domainName: string;
  readonly domainArn: string;
  /** The alert topic (may be a token) and the key it is encrypted with. */
  readonly topicArn: string;
  readonly kmsKeyArn: string;
  /** Forward the domain's events to the topic. Default true. */
  readonly domainEvents?: boolean;
}

export class AlertPublishing extends Construct {
  /** The role OpenSearch assumes to publish (named in the SNS channel). */
  readonly role: IamRole;
  readonly domainEventsRule?: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: AlertPublishingProps) {
    super(scope, id);
    this.role = new IamRole(this, 'sns-role', {
      name: props.roleName,
      description: `OpenSearch ${props.domainName} publishes alerting notifications to the alert topic`,
      // The reference's aes-siem-sns-role trusts opensearchservice.amazonaws.com; the source
      // conditions keep other accounts' domains from using it.
      assumeRolePolicy: terraformPolicy([
        {
          Effect: 'Allow',
          Principal: { Service: 'opensearchservice.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    new IamRolePolicy(this, 'sns-role-policy', {
      name: 'publish-alerts',
      role: this.role.name,
      policy: terraformPolicy([
        { Sid: 'PublishAlerts', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
        // The topic is encrypted with the central key.
        { Sid: 'EncryptForTopic', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: props.kmsKeyArn, Condition: { StringEquals: { 'kms:ViaService': `sns.${props.region}.amazonaws.com` } } },
      ]),
    });

    if (props.domainEvents ?? true) {
      this.domainEventsRule = new CloudwatchEventRule(this, 'domain-events', {
        name: props.ruleName,
        description: `Events of OpenSearch domain ${props.domainName} (software updates, Auto-Tune, cluster status, node retirement, errors) to the alert topic`,
        eventPattern: JSON.stringify({ source: ['aws.es'], 'detail-type': [...DOMAIN_EVENT_TYPES], resources: [props.domainArn] }),
      });
      new CloudwatchEventTarget(this, 'domain-events-target', { rule: this.domainEventsRule.name, arn: props.topicArn, targetId: 'alert-topic' });
    }
  }

  /** The alert topic's statement for the role (the topic policy names it once it exists). */
  topicPolicyStatement(topicArn: string): PolicyStatement {
    return { Sid: 'OpenSearchAlertingPublish', Effect: 'Allow', Principal: { AWS: this.role.arn }, Action: 'sns:Publish', Resource: topicArn };
  }
}
