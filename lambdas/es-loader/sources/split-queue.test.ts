import { describe, expect, it } from 'vitest';
import { rangeMessages, splitRanges } from './split-queue';

describe('Function: splitRanges', () => {
  it('covers [from, total) in steps of size, the last range short', () => {
    expect(splitRanges(100000, 250001, 100000)).toEqual([
      { start: 100000, end: 200000 },
      { start: 200000, end: 250001 },
    ]);
    expect(splitRanges(5, 5, 2)).toEqual([]);
  });

  it('carries bucket, key, event time and size in each message', () => {
    expect(rangeMessages({ bucket: 'b', key: 'k', eventTime: '2026-11-20T00:00:00Z', size: 9 }, [{ start: 2, end: 4 }])).toEqual([
      { bucket: 'b', key: 'k', range: { start: 2, end: 4 }, eventTime: '2026-11-20T00:00:00Z', size: 9 },
    ]);
  });
});
