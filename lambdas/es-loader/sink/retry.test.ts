import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableError, resolveRetry } from './retry';

describe('Function: backoffDelay (full jitter)', () => {
  it('draws between 0 and min(cap, base * 2^attempt)', () => {
    const top = resolveRetry({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(top, a))).toEqual([99, 199, 399, 799, 999, 999]);
    const bottom = resolveRetry({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0 });
    expect(backoffDelay(bottom, 5)).toBe(0);
  });
});

describe('Function: isRetryableError', () => {
  it.each([
    [{ meta: { statusCode: 429 } }, true],
    [{ meta: { statusCode: 502 } }, true],
    [{ meta: { statusCode: 503 } }, true],
    [{ meta: { statusCode: 400 } }, false],
    [{ meta: { statusCode: 403 } }, false],
    [{ meta: { statusCode: 404 } }, false],
    [{ name: 'ConnectionError' }, true],
    [{ name: 'TimeoutError' }, true],
    [{ name: 'NoLivingConnectionsError' }, true],
    [{ code: 'ECONNRESET' }, true],
    [{ name: 'TypeError' }, false],
  ])('%j -> %s', (err, expected) => {
    expect(isRetryableError(err)).toBe(expected);
  });
});
