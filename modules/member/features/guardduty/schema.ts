/** `guardduty:` of a member file: GuardDuty findings export. */
import { z } from 'zod';
import { featureSwitch } from '../schema-kit';

export const guardDutySchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Use an existing detector instead of creating one (an account has at most one per region). */
    detectorIds: z.record(z.string(), z.string().regex(/^[0-9a-f]{32}$/, { error: 'must be a 32-character GuardDuty detector id' })).default({}),
    publishingFrequency: z.enum(['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS']).default('FIFTEEN_MINUTES'),
  })
  .register(featureSwitch, { flag: 'guardduty', help: 'no GuardDuty findings export' });
