import { describe, expect, it } from 'vitest';
import { docs, fixture, pipeline, run } from '../log-types/testing';
import { ConfigError } from '../pipeline';
import { csvRows } from './exclusion-csv';

const OKTA_KEY = 'okta-logs/2026/11/21/okta-events-1.json.gz';
const CSV = 'log_type,field,pattern,pattern_type,comment\nokta,eventType,user.session.start,text,"sign-ins, both outcomes"\nokta,actor.alternateId,it-.*@example\\.com,regex,admins\n';

describe('Config: the exclusion CSV (exclude_log_patterns_filename)', () => {
  it('skips the records a row matches, read before the transform, as the reference (the oracle skips the same 4 of 7)', async () => {
    const p = pipeline().withExclusionCsv(CSV, 's3://geo/exclude_log_patterns.csv');
    const items = await run(p, OKTA_KEY, fixture('okta', 'fixture.json'));
    expect(docs(items).map((d) => (d._source.event as { action: string }).action)).toEqual(['user.authentication.auth_via_mfa', 'user.mfa.okta_verify.deny_push', 'policy.evaluate_sign_on']);
    expect(items.filter((i) => i.kind === 'skipped').map((i) => (i as { reason: string }).reason)).toEqual([
      'excluded by s3://geo/exclude_log_patterns.csv row 2 (okta,eventType,user.session.start,text)',
      'excluded by s3://geo/exclude_log_patterns.csv row 2 (okta,eventType,user.session.start,text)',
      'excluded by s3://geo/exclude_log_patterns.csv row 3 (okta,actor.alternateId,it-.*@example\\.com,regex)',
      'excluded by s3://geo/exclude_log_patterns.csv row 3 (okta,actor.alternateId,it-.*@example\\.com,regex)',
    ]);
    expect(items.at(-1)).toMatchObject({ kind: 'summary', totalRecords: 7, emitted: 3, skipped: 4 });
    // the pipeline it came from is unchanged
    expect(docs(await run(pipeline(), OKTA_KEY, fixture('okta', 'fixture.json')))).toHaveLength(7);
  });

  it('takes the reference\'s log type names; a regex must match the whole value', async () => {
    const p = pipeline().withExclusionCsv('log_type,field,pattern,pattern_type\nelasticache-redis-slowlog,Command,KEYS,regex\nelasticache-redis-slowlog,CacheClusterId,redis-prod-0001-00.,regex\n', 'x.csv');
    const lt = p.logTypes.find((t) => t.name === 'elasticache_redis_slowlog')!;
    expect(lt.excludeRaw!.map((r) => [r.test('KEYS'), r.test('KEYS session:*')])).toEqual([[true, false], [false, false]]);
  });

  it('names the CSV as the reference does by default, and an empty value turns it off', () => {
    expect(pipeline().exclusionCsvName).toBe('exclude_log_patterns.csv');
    expect(pipeline({ userIni: '[DEFAULT]\nexclude_log_patterns_filename = mine.csv\n' }).exclusionCsvName).toBe('mine.csv');
    expect(pipeline({ userIni: '[DEFAULT]\nexclude_log_patterns_filename =\n' }).exclusionCsvName).toBeUndefined();
  });

  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(csvRows('a,"b,c","d ""e""",\r\n"x\ny",z')).toEqual([['a', 'b,c', 'd "e"', ''], ['x\ny', 'z']]);
  });

  it.each([
    ['log_type,field,pattern\nokta,a,b\n', 'x.csv: row 1: the header must name the columns log_type,field,pattern,pattern_type (and optionally comment); missing: pattern_type'],
    ['log_type,field,pattern,pattern_type\nokta,a,(,regex\n', 'x.csv: row 2: pattern "(" is not a valid regular expression'],
    ['log_type,field,pattern,pattern_type\n\nnope,a,b,text\n', 'x.csv: row 3: log_type "nope" is not a log type of aws.ini or user.ini'],
    ['log_type,field,pattern,pattern_type\nokta,,b,text\n', 'x.csv: row 2: log_type and field must not be empty'],
  ])('%s', (csv, message) => {
    const bad = () => pipeline().withExclusionCsv(csv, 'x.csv');
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(message);
  });
});
