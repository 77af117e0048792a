/**
 * GuardDuty findings export: per region a detector (or the existing one named in the config) and a
 * publishing destination on the central bucket with the central key. GuardDuty writes
 * `AWSLogs/<acct>/GuardDuty/<region>/YYYY/MM/DD/<uuid>.jsonl.gz` below the destination ARN (GuardDuty
 * User Guide, "Exporting generated findings to Amazon S3").
 */
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyPublishingDestination } from '@cdktf/provider-aws/lib/guardduty-publishing-destination';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface MemberGuardDutyProps {
  readonly providerFor: (region: string) => TerraformProvider;
  readonly regions: readonly string[];
  /** Existing detectors by region (an account has at most one detector per region). */
  readonly detectorIds?: Readonly<Record<string, string>>;
  /** How often updated findings are exported; applies to detectors this stack creates. Default 15 minutes. */
  readonly publishingFrequency?: 'FIFTEEN_MINUTES' | 'ONE_HOUR' | 'SIX_HOURS';
  readonly bucketArn: string;
  /** Key ARN; GuardDuty requires the key's ARN (an alias ARN is rejected when the destination is created). */
  readonly keyArn: string;
}

export class MemberGuardDuty extends Construct {
  readonly detectors: GuarddutyDetector[] = [];
  readonly destinations: GuarddutyPublishingDestination[] = [];

  constructor(scope: Construct, id: string, props: MemberGuardDutyProps) {
    super(scope, id);
    for (const region of props.regions) {
      const provider = props.providerFor(region);
      let detectorId = props.detectorIds?.[region];
      if (detectorId === undefined) {
        const detector = new GuarddutyDetector(this, `detector-${region}`, {
          provider,
          enable: true,
          findingPublishingFrequency: props.publishingFrequency ?? 'FIFTEEN_MINUTES',
        });
        this.detectors.push(detector);
        detectorId = detector.id;
      }
      this.destinations.push(
        new GuarddutyPublishingDestination(this, `destination-${region}`, {
          provider,
          detectorId,
          destinationType: 'S3',
          destinationArn: props.bucketArn,
          kmsKeyArn: props.keyArn,
        }),
      );
    }
  }
}
