import { accountAndRegion, top, trend, type DashboardSpec } from '../spec';

/**
 * The CIS AWS Foundations Benchmark monitoring items (3.x) and failed console logins: one count per
 * query, in one metric panel, as the reference's CIS panels count them.
 */
const CIS: readonly { readonly label: string; readonly query: string }[] = [
  { label: 'Console login failed', query: 'eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure' },
  { label: 'Root use (CIS 3.3)', query: 'userIdentity.type:Root AND NOT _exists_:userIdentity.invokedBy AND NOT eventType:AwsServiceEvent' },
  { label: 'Unauthorized API calls (CIS 3.1)', query: 'errorCode:*UnauthorizedOperation OR errorCode:AccessDenied*' },
  { label: 'Security group changes (CIS 3.10)', query: 'eventName:(AuthorizeSecurityGroupIngress OR AuthorizeSecurityGroupEgress OR RevokeSecurityGroupIngress OR RevokeSecurityGroupEgress OR CreateSecurityGroup OR DeleteSecurityGroup)' },
  { label: 'Network ACL changes (CIS 3.11)', query: 'eventName:(CreateNetworkAcl OR CreateNetworkAclEntry OR DeleteNetworkAcl OR DeleteNetworkAclEntry OR ReplaceNetworkAclEntry OR ReplaceNetworkAclAssociation)' },
  { label: 'Network gateway changes (CIS 3.12)', query: 'eventName:(CreateCustomerGateway OR DeleteCustomerGateway OR AttachInternetGateway OR CreateInternetGateway OR DeleteInternetGateway OR DetachInternetGateway)' },
  { label: 'Route table changes (CIS 3.13)', query: 'eventName:(CreateRoute OR CreateRouteTable OR ReplaceRoute OR ReplaceRouteTableAssociation OR DeleteRouteTable OR DeleteRoute OR DisassociateRouteTable)' },
  { label: 'VPC changes (CIS 3.14)', query: 'eventName:(CreateVpc OR DeleteVpc OR ModifyVpcAttribute OR AcceptVpcPeeringConnection OR CreateVpcPeeringConnection OR DeleteVpcPeeringConnection OR RejectVpcPeeringConnection)' },
  { label: 'S3 bucket policy changes (CIS 3.8)', query: 'eventSource:s3.amazonaws.com AND eventName:(PutBucketAcl OR PutBucketPolicy OR PutBucketCors OR PutBucketLifecycle OR PutBucketReplication OR DeleteBucketPolicy OR DeleteBucketCors OR DeleteBucketLifecycle OR DeleteBucketReplication)' },
  { label: 'KMS key disabled or deleted (CIS 3.7)', query: 'eventSource:kms.amazonaws.com AND eventName:(DisableKey OR ScheduleKeyDeletion OR PutKeyPolicy)' },
];

export const cloudtrail: DashboardSpec = {
  name: 'cloudtrail',
  title: 'CloudTrail Summary',
  description: 'API activity across the organization: who called what, from where, with which errors; CIS AWS Foundations monitoring counts.',
  indexPattern: 'log-aws-cloudtrail-*',
  searchColumns: ['cloud.account.id', 'cloud.region', 'eventSource', 'eventName', 'userIdentity.arn', 'source.ip', 'errorCode'],
  panels: [
    ...accountAndRegion('CloudTrail'),
    { title: 'CloudTrail - CIS monitoring and failed logins', kind: 'metric', buckets: [{ type: 'filters', filters: CIS }], width: 48, height: 10 },
    { title: 'CloudTrail - Console logins by country', kind: 'pie', buckets: [{ type: 'terms', field: 'source.geo.country_name', size: 10 }], query: 'eventName:ConsoleLogin' },
    top('CloudTrail - Source IP', 'source.ip'),
    top('CloudTrail - Source AS organization', 'source.as.organization.name', 10, 'pie'),
    top('CloudTrail - Caller (userIdentity.arn)', 'userIdentity.arn'),
    top('CloudTrail - Event name', 'eventName', 10, 'pie'),
    trend('CloudTrail - Event name over time', 'eventName'),
    top('CloudTrail - Event source', 'eventSource', 10, 'pie'),
    trend('CloudTrail - Event source over time', 'eventSource'),
    top('CloudTrail - Event type', 'eventType', 10, 'pie'),
    top('CloudTrail - Error code', 'errorCode', 10, 'pie'),
    trend('CloudTrail - Error code over time', 'errorCode'),
    top('CloudTrail - API calls by user agent', 'user_agent.name', 15, 'pie'),
    top('CloudTrail - TLS version', 'tlsDetails.tlsVersion', 5, 'pie'),
    top('CloudTrail - S3 buckets in requests', 'typed.requestParameters.bucketName'),
    {
      title: 'CloudTrail - S3 bytes transferred by bucket',
      kind: 'table',
      metrics: [
        { type: 'sum', field: 'typed.additionalEventData.bytesTransferredOut', label: 'Bytes out' },
        { type: 'sum', field: 'typed.additionalEventData.bytesTransferredIn', label: 'Bytes in' },
      ],
      buckets: [{ type: 'terms', field: 'typed.requestParameters.bucketName', size: 10 }] },
  ],
};
