/** The built-in transforms, by the name a section's `transform` key uses. */
import { cloudtrail } from './cloudtrail/transform';
import { config } from './config/transform';
import { guardduty } from './guardduty/transform';
import { s3accesslog } from './s3accesslog/transform';
import type { Transform } from './types';
import { vpcflowlogs } from './vpcflowlogs/transform';
import { waf } from './waf/transform';

export const TRANSFORMS: ReadonlyMap<string, Transform> = new Map<string, Transform>([
  ['cloudtrail', cloudtrail],
  ['vpcflowlogs', vpcflowlogs],
  ['waf', waf],
  ['guardduty', guardduty],
  ['config', config],
  ['s3accesslog', s3accesslog],
]);
export type { Transform, TransformContext, KeyInfo } from './types';
