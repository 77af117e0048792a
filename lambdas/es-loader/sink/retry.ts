/**
 * Retry policy of the bulk sink: exponential backoff with "full jitter" (sleep a random time between 0
 * and min(cap, base * 2^attempt)), as recommended in the AWS Architecture Blog post "Exponential Backoff
 * And Jitter". OpenSearch signals overload with 429 (es_rejected_execution_exception) and transient
 * trouble with 5xx; both are retried, as are connection errors and timeouts. Other 4xx are permanent.
 */

export interface RetryOptions {
  /** Attempts in all, the first included. Default 10. */
  readonly maxAttempts?: number;
  /** Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Default 10 s. */
  readonly maxDelayMs?: number;
  /** Injected for tests; default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; default Math.random. */
  readonly random?: () => number;
}

export interface ResolvedRetry {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function resolveRetry(o: RetryOptions = {}): ResolvedRetry {
  return {
    maxAttempts: o.maxAttempts ?? 10,
    baseDelayMs: o.baseDelayMs ?? 100,
    maxDelayMs: o.maxDelayMs ?? 10_000,
    sleep: o.sleep ?? defaultSleep,
    random: o.random ?? Math.random,
  };
}

/** Delay before retry number `attempt` (0 = the first retry). */
export function backoffDelay(r: ResolvedRetry, attempt: number): number {
  const ceiling = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** attempt);
  return Math.floor(r.random() * ceiling);
}

/** HTTP statuses worth retrying: throttling and server-side trouble. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 429 || (status !== undefined && status >= 500);
}

/** Status of an error thrown by @opensearch-project/opensearch, if it carries one. */
export function statusOf(err: unknown): number | undefined {
  const e = err as { meta?: { statusCode?: number }; statusCode?: number } | undefined;
  return e?.meta?.statusCode ?? e?.statusCode;
}

/**
 * Whether a failed request should be retried: retryable statuses, and errors without a status at all
 * (ConnectionError, TimeoutError, NoLivingConnectionsError, a socket reset mid-response that leaves a
 * DeserializationError behind).
 */
export function isRetryableError(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined && status !== 0 && status !== null) return isRetryableStatus(status);
  const name = (err as { name?: string } | undefined)?.name ?? '';
  return ['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError', 'DeserializationError'].includes(name) || isNodeNetworkError(err);
}

function isNodeNetworkError(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(code);
}
