import { describe, expect, it } from 'vitest';
import { failureMessages } from './dlq';
import type { DeadLetter } from './types';

const letter = (key: string, record: number, extra: Partial<DeadLetter> = {}): DeadLetter => ({ stage: 'parse', bucket: 'b', key, record, reason: `bad ${record}`, ...extra });

describe('Function: failureMessages (DLQ message bodies)', () => {
  it('groups letters per object, at most 50 per message, without repeating bucket and key per failure', () => {
    const letters = [...Array.from({ length: 120 }, (_, i) => letter('k1', i)), letter('k2', 7, { stage: 'index', index: 'i', id: 'x' })];
    const bodies = failureMessages(letters).map((b) => JSON.parse(b));
    expect(bodies.map((b) => [b.key, b.failures.length])).toEqual([
      ['k1', 50],
      ['k1', 50],
      ['k1', 20],
      ['k2', 1],
    ]);
    expect(bodies[3]).toEqual({ type: 'es-loader-failure', version: 1, bucket: 'b', key: 'k2', failures: [{ stage: 'index', record: 7, reason: 'bad 7', index: 'i', id: 'x' }] });
    expect(bodies[0].failures.map((f: { record: number }) => f.record)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps every message under 256 KiB by truncating long reasons and raw text and splitting by size', () => {
    const big = Array.from({ length: 40 }, (_, i) => letter('k', i, { reason: 'r'.repeat(50_000), raw: 'x'.repeat(50_000) }));
    const bodies = failureMessages(big);
    for (const b of bodies) expect(Buffer.byteLength(b)).toBeLessThan(256 * 1024);
    const all = bodies.flatMap((b) => JSON.parse(b).failures);
    expect(all).toHaveLength(40);
    expect(all[0].reason).toHaveLength(2003);
    expect(all[0].raw).toBe(`${'x'.repeat(2000)}...`);
  });

  it('omits the bucket for local files (CLI)', () => {
    const [body] = failureMessages([{ stage: 'parse', key: './trail.json', record: 0, reason: 'x' }]);
    expect(JSON.parse(body!)).toEqual({ type: 'es-loader-failure', version: 1, key: './trail.json', failures: [{ stage: 'parse', record: 0, reason: 'x' }] });
  });
});
