import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docs, expected, fixture, pipeline, run } from '../log-types/testing';
import { fromReferenceSyntax } from './ini-files';

/**
 * configparser joins an indented continuation line to the value above with a line break. The reference
 * writes its CloudHSM `log_pattern` over many lines, and the break is part of the expression: a user.ini
 * that copies such a pattern must match the same multi-line records.
 */
const CLOUDHSM_KEY = 'AWSLogs/123456789012/CloudHSM/ap-northeast-1/2026/11/21/10/aes-siem-cloudhsm-1-2026-11-21-10-05-00-1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809';

/** Our built-in one-line [cloudhsm] log_pattern (line breaks written `\n`), as the reference writes it: one line per break. */
function multiLinePattern(): string {
  const awsIni = readFileSync(join(__dirname, '..', 'aws.ini'), 'utf8');
  const section = awsIni.slice(awsIni.indexOf('\n[cloudhsm]\n'));
  const line = /^log_pattern = (.*)$/m.exec(section)![1]!;
  const parts = line.split('\\n');
  expect(parts.length).toBeGreaterThan(10);
  return `log_pattern = ${parts[0]}\n${parts.slice(1).map((p) => ` ${p}`).join('\n')}\n`;
}

describe('Config: continuation lines of the reference grammar', () => {
  it('joins the lines of a regular expression with \\n and those of a list with a space', () => {
    expect(fromReferenceSyntax('[a]\nlog_pattern = ^x(\n y)?\n z$\necs = source.ip\n  user.name\n')).toBe('[a]\nlog_pattern = ^x(\\ny)?\\nz$\n\n\necs = source.ip user.name\n\n');
  });

  it("a user.ini with the reference's multi-line CloudHSM pattern loads the same documents as the built-in one-line pattern", async () => {
    const p = pipeline({ userIni: `[cloudhsm]\n${multiLinePattern()}`, userIniName: 'user.ini' });
    const items = await run(p, CLOUDHSM_KEY, fixture('cloudhsm', 'fixture.json'));
    expect(docs(items)).toEqual(expected('cloudhsm'));
    expect(items.at(-1)).toMatchObject({ kind: 'summary', logType: 'cloudhsm', totalRecords: 5, emitted: 5, failed: 0 });
  });
});
