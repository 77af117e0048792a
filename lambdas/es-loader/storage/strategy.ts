/**
 * S3 client strategies: which client reads which bucket. A strategy answers with a client for the
 * buckets it knows and `undefined` for the others; a factory builds a strategy from the environment at
 * cold start, or returns `undefined` when its variables are absent. Strategies (e.g. control-tower.ts)
 * depend on this module only; the registry (clients.ts) composes them, so no strategy imports the
 * registry that uses it.
 */
import type { S3Client } from '@aws-sdk/client-s3';

export type S3ClientStrategy = (bucket: string) => S3Client | undefined;
export type S3ClientStrategyFactory = (env: NodeJS.ProcessEnv, defaults: { readonly region?: string }) => S3ClientStrategy | undefined;

/** One strategy made of several: the first one that answers for a bucket wins. */
export function firstAnswer(strategies: readonly S3ClientStrategy[]): S3ClientStrategy {
  return (bucket) => {
    for (const s of strategies) {
      const c = s(bucket);
      if (c) return c;
    }
    return undefined;
  };
}
