/**
 * Which S3 client reads which bucket.
 *
 * The central log bucket is read with the Lambda role's own credentials. Other buckets may need other
 * credentials: the Control Tower log buckets live in the Log Archive account and are read through the
 * role `ct-role-for-siem` assumed there; the Amazon Security Lake buckets through the subscriber role
 * (security-lake.ts). Each such case is a strategy (strategy.ts): a function from a
 * bucket name to an S3 client, or `undefined` to let the next strategy (finally the default client)
 * answer.
 *
 * How to plug one in (e.g. storage/control-tower.ts):
 *   1. write `export function controlTowerStrategy(env): S3ClientStrategy | undefined` that returns
 *      undefined when its environment variables are absent (it imports the types from strategy.ts);
 *   2. add it to `STRATEGY_FACTORIES` below (one line).
 * runtime/ builds the registry at cold start with `S3ClientRegistry.fromEnvironment(env, defaultClient)`.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { controlTowerStrategy } from './control-tower';
import { securityLakeStrategy } from './security-lake';
import { firstAnswer, type S3ClientStrategy, type S3ClientStrategyFactory } from './strategy';

export type { S3ClientStrategy, S3ClientStrategyFactory };

/** Strategies built from the environment at cold start, asked in this order. */
export const STRATEGY_FACTORIES: S3ClientStrategyFactory[] = [(env, defaults) => controlTowerStrategy(env, defaults), (env, defaults) => securityLakeStrategy(env, defaults)];

export class S3ClientRegistry {
  private readonly strategies: S3ClientStrategy[] = [];
  private readonly answer = firstAnswer(this.strategies);

  constructor(private readonly defaultClient: S3Client) {}

  static fromEnvironment(env: NodeJS.ProcessEnv, defaultClient: S3Client, factories: readonly S3ClientStrategyFactory[] = STRATEGY_FACTORIES): S3ClientRegistry {
    const registry = new S3ClientRegistry(defaultClient);
    for (const f of factories) {
      const s = f(env, { region: env.AWS_REGION });
      if (s) registry.use(s);
    }
    return registry;
  }

  /** Adds a strategy; the first one that answers for a bucket wins. */
  use(strategy: S3ClientStrategy): this {
    this.strategies.push(strategy);
    return this;
  }

  clientFor(bucket: string): S3Client {
    return this.answer(bucket) ?? this.defaultClient;
  }
}
