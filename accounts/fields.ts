/**
 * Field validators shared by the organization file and the member features' schemas. This file
 * imports only zod and the static Region list, so that a feature's schema (modules/member/features/
 * <feature>/schema.ts) can use it without importing the organization schema, which lists the features.
 */
import { z } from 'zod';
import { AWS_REGIONS, isAwsRegion } from './regions';

export const accountId = z
  .string({ error: 'must be a 12-digit AWS account id in quotes, e.g. "123456789012"' })
  .regex(/^\d{12}$/, { error: (iss) => `must be a 12-digit AWS account id, got ${JSON.stringify(iss.input)}` });

export const region = z
  .string({ error: 'must be an AWS Region name such as "ap-northeast-1"' })
  .refine(isAwsRegion, { error: (iss) => `unknown AWS Region ${JSON.stringify(iss.input)} (known: ${AWS_REGIONS.join(', ')})` });

export const positiveInt = (max?: number) => {
  const base = z.number().int({ error: 'must be a whole number' }).positive({ error: 'must be greater than 0' });
  return max === undefined ? base : base.max(max, { error: `must be at most ${max}` });
};
