/** `waf:` of a member file: WAF logging of the listed web ACLs through Kinesis Data Firehose. */
import { z } from 'zod';
import { positiveInt } from '../../../../accounts/fields';
import { featureSwitch, listOption } from '../schema-kit';

const wafRedactedField = z.union([
  z.strictObject({ singleHeader: z.string().min(1) }),
  z.literal('uriPath'),
  z.literal('queryString'),
  z.literal('method'),
]);

export const wafSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    webAcls: z
      .array(
        z.string().regex(/^arn:aws[\w-]*:wafv2:[a-z0-9-]+:\d{12}:(regional|global)\/webacl\/[\w-]+\/[\w-]+$/, {
          error: (iss) => `must be a WAFv2 web ACL ARN (arn:aws:wafv2:<region>:<account>:regional|global/webacl/<name>/<id>), got ${JSON.stringify(iss.input)}`,
        }),
      )
      .default([])
      .register(listOption, { flag: 'web-acl', value: 'arn', help: 'WAFv2 web ACL ARN to log (repeatable)' }),
    bufferingSizeMb: positiveInt(128).default(5),
    bufferingIntervalSeconds: z.number().int().min(0).max(900, { error: 'must be at most 900 seconds' }).default(300),
    redactedFields: z.array(wafRedactedField).default([]),
    /** Optional WAF logging filter: keep only requests with these actions (e.g. ["BLOCK", "COUNT"]). */
    keepOnlyActions: z.array(z.enum(['ALLOW', 'BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE', 'EXCLUDED_AS_COUNT'])).optional(),
  })
  .register(featureSwitch, { flag: 'waf', help: 'no WAF logging' });
