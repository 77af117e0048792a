/** `cloudtrail:` of a member file: the account's own trail. */
import { z } from 'zod';
import { featureSwitch } from '../schema-kit';

export const cloudTrailSchema = z
  .strictObject({
    /** Default true. Set false when an organization trail already covers the account. */
    enabled: z.boolean().default(true),
    /** Management events are always logged; data events are opt-in because they are billed per event. */
    dataEvents: z
      .strictObject({
        s3: z.boolean().default(false),
        lambda: z.boolean().default(false),
      })
      .default({ s3: false, lambda: false }),
  })
  .register(featureSwitch, { flag: 'cloudtrail', help: 'no account trail (an organization trail covers the account)' });
