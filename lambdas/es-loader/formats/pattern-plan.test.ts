import { describe, expect, it } from 'vitest';
import { patternPlan } from './index';

/** text/multiline records are built from group numbers (formats/index.ts patternPlan): same fields as m.groups. */
describe('formats: log_pattern decoding by group number', () => {
  const fields = (re: RegExp, text: string) => {
    const plan = patternPlan(re)!;
    const m = plan.re.exec(text);
    return m ? JSON.parse(JSON.stringify(plan.build(m))) : undefined;
  };
  const viaGroups = (re: RegExp, text: string) => {
    const g = re.exec(text)?.groups;
    return g ? Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined)) : undefined;
  };

  it.each([
    [/^(?<a>\S+) (x|y)(?:-|(?<b>\d+)) \[(?<c>[^\](]*)\] (?<=\] )(?<d>\(\w+\))?$/, 'one y42 [two] (three)'],
    [/^(?<a>\S+) (x|y)(?:-|(?<b>\d+)) \[(?<c>[^\](]*)\] (?<=\] )(?<d>\(\w+\))?$/, 'one x- [] '],
    [/^(?<ip>[\d.]+) "(?<ua>(?:[^"\\]|\\.)*)"(?: (?<rest>.*))?$/, '10.0.0.1 "a \\"quoted\\" (agent)" tail'],
    [/^(?<ip>[\d.]+) "(?<ua>(?:[^"\\]|\\.)*)"(?: (?<rest>.*))?$/, '10.0.0.1 "x"'],
  ])('%s on %j gives the fields m.groups gives', (re, text) => {
    expect(fields(re, text)).toEqual(viaGroups(re, text));
    expect(fields(re, text)).toBeDefined();
  });

  it('names the groups that took no part in the match as absent fields', () => {
    expect(fields(/^(?<a>\w+)(?: (?<b>\w+))?$/, 'one')).toEqual({ a: 'one' });
  });

  it('keeps the old path for a back-reference by name or a group named __proto__', () => {
    expect(patternPlan(/(?<q>["'])(?<v>.*)\k<q>/)).toBeUndefined();
    expect(patternPlan(/(?<__proto__>x)/)).toBeUndefined();
  });
});
