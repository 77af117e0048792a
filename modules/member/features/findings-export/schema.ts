/** `findingsExport:` of a member file: Security Hub, Inspector and Config rules findings through EventBridge and Firehose (off by default). */
import { z } from 'zod';
import { featureSwitch } from '../schema-kit';

export const findingsExportSchema = z
  .strictObject({
    /** Default false: the services must be on in the account (Security Hub, Inspector, Config rules). */
    enabled: z.boolean().default(false),
    /** "Security Hub Findings - Imported" events. Default true. */
    securityHub: z.boolean().default(true),
    /** "Inspector2 Finding" events. Default true. */
    inspector: z.boolean().default(true),
    /** "Config Rules Compliance Change" events. Default true. */
    configRules: z.boolean().default(true),
    /** Firehose buffer interval. Default 300 s; dynamic partitioning needs at least 60. */
    bufferingIntervalSeconds: z
      .number()
      .int()
      .min(60, { error: 'must be at least 60 seconds (Firehose dynamic partitioning)' })
      .max(900, { error: 'must be at most 900 seconds' })
      .default(300),
  })
  .register(featureSwitch, { flag: 'findings-export', help: 'send Security Hub, Inspector and Config rules findings through EventBridge and Firehose' });
