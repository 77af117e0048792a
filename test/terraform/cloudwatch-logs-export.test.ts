/**
 * The CloudWatch Logs export of the example member workload-prod (two log groups in ap-northeast-1)
 * passes `terraform validate` and an offline `terraform plan`: the provider accepts the Decompression
 * and MetadataExtraction processors, and the plan shows the stream, the two subscription filters and
 * the roles with the values AWS will receive.
 */
import { describe, expect, it } from 'vitest';
import { offlineValidateAndPlan } from '../../tools/terraform/offline';
import { synthesize } from '../helpers/synth';

const app = synthesize();

describe('member-workload-prod with cloudwatchLogsExport: terraform validate + offline plan', () => {
  it('validates, and plans the stream, the filters and the roles as configured', async () => {
    const stack = app.stacks['member-workload-prod']!;
    const result = await offlineValidateAndPlan(stack.dir);
    expect(result.validate.stdout).toContain('The configuration is valid');
    const changes = result.planJson.resource_changes ?? [];
    const planned = (type: string) => changes.filter((c) => c.type === type && c.change.actions.join() === 'create').map((c) => c.change.after as Record<string, any>);

    const stream = planned('aws_kinesis_firehose_delivery_stream').find((s) => s.name === 'aes-siem-cwl-export')!;
    const s3 = stream.extended_s3_configuration[0];
    expect(s3.prefix).toBe('AWSLogs/444444444444/CloudWatchLogs/!{partitionKeyFromQuery:family}/!{partitionKeyFromQuery:kind}/ap-northeast-1/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/');
    expect(s3.bucket_arn).toBe('arn:aws:s3:::aes-siem-222222222222-log');
    expect(s3.processing_configuration[0].processors.map((p: any) => [p.type, p.parameters.map((x: any) => [x.parameter_name, x.parameter_value]).sort()])).toEqual([
      ['Decompression', [['CompressionFormat', 'GZIP']]],
      [
        'MetadataExtraction',
        [
          // A set in the provider's schema: the plan lists the parameters sorted.
          ['JsonParsingEngine', 'JQ-1.6'],
          ['MetadataExtractionQuery', '{"/prod/web/linux/secure":["Linux","secure"],"/prod/web/apache/access":["Apache","access"]}[.logGroup] as $t | {family: $t[0], kind: $t[1]}'],
        ],
      ],
    ]);
    expect(planned('aws_cloudwatch_log_subscription_filter').map((f) => [f.name, f.log_group_name, f.filter_pattern]).sort()).toEqual([
      ['aes-siem-siem', '/prod/web/apache/access', ''],
      ['aes-siem-siem', '/prod/web/linux/secure', ''],
    ]);
    expect(planned('aws_iam_role').map((r) => r.name)).toEqual(expect.arrayContaining(['aes-siem-cwl-firehose', 'aes-siem-cwl-subscription']));
  });
});

describe('central: the domain\'s audit and application logs to the SIEM (opensearch.auditLogsToSiem, default on): terraform validate + offline plan', () => {
  it('plans the audit and application log groups, their subscription filters and the stream writing the opensearch_audit and opensearch_application keys', async () => {
    const result = await offlineValidateAndPlan(app.stacks.central!.dir);
    expect(result.validate.stdout).toContain('The configuration is valid');
    const planned = (type: string) => (result.planJson.resource_changes ?? []).filter((c) => c.type === type && c.change.actions.join() === 'create').map((c) => c.change.after as Record<string, any>);
    const audit = '/aws/OpenSearchService/domains/aes-siem/audit-logs';
    const application = '/aws/OpenSearchService/domains/aes-siem/application-logs';
    expect(planned('aws_cloudwatch_log_group').map((g) => g.name)).toEqual(expect.arrayContaining([audit, application]));
    expect(planned('aws_cloudwatch_log_subscription_filter').map((f) => [f.name, f.log_group_name]).sort()).toEqual([
      ['aes-siem-siem', application],
      ['aes-siem-siem', audit],
    ]);
    const stream = planned('aws_kinesis_firehose_delivery_stream').find((st) => st.name === 'aes-siem-domain-logs')!;
    expect(stream.extended_s3_configuration[0].prefix).toBe('AWSLogs/222222222222/CloudWatchLogs/!{partitionKeyFromQuery:family}/!{partitionKeyFromQuery:kind}/ap-northeast-1/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/');
    const query = stream.extended_s3_configuration[0].processing_configuration[0].processors[1].parameters.find((x: any) => x.parameter_name === 'MetadataExtractionQuery').parameter_value;
    expect(query).toBe(`{"${audit}":["OpenSearch","audit"],"${application}":["OpenSearch","application"]}[.logGroup] as $t | {family: $t[0], kind: $t[1]}`);
    const domain = planned('aws_opensearch_domain')[0]!;
    expect(domain.advanced_security_options[0].enabled).toBe(true);
    expect(domain.log_publishing_options.map((o: any) => o.log_type)).toEqual(expect.arrayContaining(['AUDIT_LOGS', 'ES_APPLICATION_LOGS']));
  });
});
