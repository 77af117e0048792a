import { accountAndRegion, top, trend, type DashboardSpec, type PanelSpec } from '../spec';

/** A metric panel counting the events that match a CIS AWS Foundations monitoring query (the reference's CIS 3.x panels). */
const cis = (title: string, query: string): PanelSpec => ({ title, kind: 'metric', buckets: [{ type: 'filters', filters: [{ label: title.replace(/^CloudTrail - /, ''), query }] }], width: 12, height: 8 });

export const cloudtrail: DashboardSpec = {
  name: 'cloudtrail',
  title: 'CloudTrail Summary',
  description: 'API activity across the organization: who called what, from where, with which errors; CIS AWS Foundations monitoring counts.',
  indexPattern: 'log-aws-cloudtrail-*',
  searchColumns: ['cloud.account.id', 'cloud.region', 'eventSource', 'eventName', 'userIdentity.arn', 'source.ip', 'errorCode'],
  panels: [
    ...accountAndRegion('CloudTrail'),
    cis('CloudTrail - Console login failed', 'eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure'),
    cis('CloudTrail - Root use (CIS 3.3)', 'userIdentity.type:Root AND NOT _exists_:userIdentity.invokedBy AND NOT eventType:AwsServiceEvent'),
    cis('CloudTrail - Unauthorized API calls (CIS 3.1)', 'errorCode:*UnauthorizedOperation OR errorCode:AccessDenied*'),
    cis('CloudTrail - Security group changes (CIS 3.10)', 'eventName:(AuthorizeSecurityGroupIngress OR AuthorizeSecurityGroupEgress OR RevokeSecurityGroupIngress OR RevokeSecurityGroupEgress OR CreateSecurityGroup OR DeleteSecurityGroup)'),
    cis('CloudTrail - Network ACL changes (CIS 3.11)', 'eventName:(CreateNetworkAcl OR CreateNetworkAclEntry OR DeleteNetworkAcl OR DeleteNetworkAclEntry OR ReplaceNetworkAclEntry OR ReplaceNetworkAclAssociation)'),
    cis('CloudTrail - Network gateway changes (CIS 3.12)', 'eventName:(CreateCustomerGateway OR DeleteCustomerGateway OR AttachInternetGateway OR CreateInternetGateway OR DeleteInternetGateway OR DetachInternetGateway)'),
    cis('CloudTrail - Route table changes (CIS 3.13)', 'eventName:(CreateRoute OR CreateRouteTable OR ReplaceRoute OR ReplaceRouteTableAssociation OR DeleteRouteTable OR DeleteRoute OR DisassociateRouteTable)'),
    cis('CloudTrail - VPC changes (CIS 3.14)', 'eventName:(CreateVpc OR DeleteVpc OR ModifyVpcAttribute OR AcceptVpcPeeringConnection OR CreateVpcPeeringConnection OR DeleteVpcPeeringConnection OR RejectVpcPeeringConnection)'),
    cis('CloudTrail - S3 bucket policy changes (CIS 3.8)', 'eventSource:s3.amazonaws.com AND eventName:(PutBucketAcl OR PutBucketPolicy OR PutBucketCors OR PutBucketLifecycle OR PutBucketReplication OR DeleteBucketPolicy OR DeleteBucketCors OR DeleteBucketLifecycle OR DeleteBucketReplication)'),
    cis('CloudTrail - KMS key disabled or scheduled for deletion (CIS 3.7)', 'eventSource:kms.amazonaws.com AND eventName:(DisableKey OR ScheduleKeyDeletion OR PutKeyPolicy)'),
    top('CloudTrail - Console logins by country', 'source.geo.country_name', 10, 'pie'),
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
    { title: 'CloudTrail - Bytes transferred out by bucket', kind: 'table', metrics: [{ type: 'sum', field: 'typed.additionalEventData.bytesTransferredOut' }], buckets: [{ type: 'terms', field: 'typed.requestParameters.bucketName', size: 10 }] },
  ],
};
