import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');

/**
 * Runs a process that keeps 2,000,000 objects from one allocation site alive (what V8 pretenures) and
 * counts V8's "=> tenure" decisions, with or without tuneHeapForStreaming first. Node documents flags set
 * after start-up as possibly without effect: this shows that this one takes effect.
 */
function tenureDecisions(tune: boolean): number {
  const script = [
    tune ? "require('./lambdas/es-loader/runtime/heap.ts').tuneHeapForStreaming();" : '',
    'function make(i) { return { a: i, b: { c: i } }; }',
    'const keep = [];',
    'for (let i = 0; i < 2e6; i++) keep.push(make(i));',
    'console.log(keep.length);',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--trace-pretenuring-statistics', '-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim().split('\n').at(-1)).toBe('2000000');
  return r.stdout.split('\n').filter((l) => l.includes('=> tenure')).length;
}

describe('runtime/heap: tuneHeapForStreaming', () => {
  it('stops V8 from pretenuring allocation sites whose objects survive (without it, V8 does)', () => {
    expect(tenureDecisions(false)).toBeGreaterThan(0);
    expect(tenureDecisions(true)).toBe(0);
  });
});
