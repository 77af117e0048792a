/**
 * The member account's own CloudTrail trail: multi-region, log file validation, encrypted with the
 * central key, delivered to the central log bucket without a key prefix, so that CloudTrail writes
 * `AWSLogs/<acct>/CloudTrail/<region>/...` (CloudTrail User Guide, "Finding your CloudTrail log files").
 */
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface MemberTrailProps {
  /** Provider of the member's home region (a multi-region trail is created once, in one region). */
  readonly provider: TerraformProvider;
  readonly trailName: string;
  readonly bucketName: string;
  /** Central key (key ARN, or alias ARN which CloudTrail also accepts). */
  readonly keyArn: string;
  /** Data events are billed per event, so they are opt-in. Default: none. */
  readonly dataEvents?: { readonly s3?: boolean; readonly lambda?: boolean };
}

/** Advanced event selectors: management events always; S3 object and Lambda invoke data events on request. */
export function trailEventSelectors(dataEvents: MemberTrailProps['dataEvents'] = {}): CloudtrailAdvancedEventSelector[] {
  const selectors: CloudtrailAdvancedEventSelector[] = [
    { name: 'Management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] },
  ];
  if (dataEvents.s3) {
    selectors.push({
      name: 'S3 object data events',
      fieldSelector: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
      ],
    });
  }
  if (dataEvents.lambda) {
    selectors.push({
      name: 'Lambda invoke data events',
      fieldSelector: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::Lambda::Function'] },
      ],
    });
  }
  return selectors;
}

export class MemberTrail extends Construct {
  readonly trail: Cloudtrail;

  constructor(scope: Construct, id: string, props: MemberTrailProps) {
    super(scope, id);
    this.trail = new Cloudtrail(this, 'trail', {
      provider: props.provider,
      name: props.trailName,
      s3BucketName: props.bucketName,
      kmsKeyId: props.keyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      advancedEventSelector: trailEventSelectors(props.dataEvents),
    });
  }
}
