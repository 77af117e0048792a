/** `cloudwatchLogsExport:` of a member file: CloudWatch Logs groups subscribed to the central bucket through Firehose (off by default). */
import { z } from 'zod';
import { region } from '../../../../accounts/fields';
import { featureSwitch } from '../schema-kit';
import { closestLogType, CWL_LOG_TYPE_NAMES, type CwlLogTypeName } from './log-types';

/** CloudWatch Logs API, CreateLogGroup: 1-512 characters of a-z A-Z 0-9 _ - / . # */
const LOG_GROUP_NAME = /^[\w\-/.#]{1,512}$/;

const logType = z.enum(CWL_LOG_TYPE_NAMES as [CwlLogTypeName, ...CwlLogTypeName[]], {
  error: (iss) => {
    const guess = typeof iss.input === 'string' ? closestLogType(iss.input) : undefined;
    return `${JSON.stringify(iss.input)} is not a log type the loader reads from CloudWatch Logs${guess ? `; did you mean "${guess}"?` : ''} (one of ${CWL_LOG_TYPE_NAMES.join(', ')})`;
  },
});

export const cwlLogGroup = z.strictObject({
  /** The log group's name, e.g. `/ec2/linux/secure`. */
  name: z.string().regex(LOG_GROUP_NAME, { error: (iss) => `must be a CloudWatch Logs group name (1-512 letters, digits and _ - / . #), got ${JSON.stringify(iss.input)}` }),
  /** Region of the log group: one of the member's regions. */
  region,
  /** The loader's type of its events (log-types.ts). */
  logType,
  /** Subscription filter pattern (CloudWatch Logs filter syntax). Default "": every event. */
  filterPattern: z.string().max(1024, { error: 'must be at most 1024 characters (CloudWatch Logs limit)' }).default(''),
});
export type CwlLogGroup = z.output<typeof cwlLogGroup>;

export const cloudwatchLogsExportSchema = z
  .strictObject({
    /** Default false: the member names its log groups. */
    enabled: z.boolean().default(false),
    logGroups: z.array(cwlLogGroup).default([]),
    /** Firehose buffer interval. Default 300 s; dynamic partitioning needs at least 60. */
    bufferingIntervalSeconds: z
      .number()
      .int()
      .min(60, { error: 'must be at least 60 seconds (Firehose dynamic partitioning)' })
      .max(900, { error: 'must be at most 900 seconds' })
      .default(300),
  })
  .register(featureSwitch, { flag: 'cloudwatch-logs-export', help: 'subscribe the CloudWatch Logs groups listed under cloudwatchLogsExport.logGroups of the member file (Linux, Apache, NGINX, ...) to the central bucket' });
