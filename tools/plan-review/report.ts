/**
 * Renders the plan review (`plan-report.md`) from the analysis of every stack, and decides the exit
 * code: 0 clean, 2 when a DANGER item exists, 1 when a stack could not be planned.
 */
import { hasChanges, type DangerItem, type ExposureItem, type NetworkRuleItem, type PolicyItem, type StackAnalysis } from './analyze';
import type { ConditionChange, ConditionClause, FieldChange, NormalizedStatement, PolicyField, StatementChange } from './policy-diff';

export type PlanMode = 'offline' | 'aws';

export interface StackPlanError {
  /** The step that failed: synth, init, plan, show, analyze. */
  readonly phase: string;
  readonly message: string;
}

export interface StackPlanResult {
  readonly stack: string;
  readonly analysis?: StackAnalysis;
  readonly error?: StackPlanError;
  /** Warnings cdktf recorded for the stack at synth (manifest annotations). */
  readonly warnings?: readonly string[];
}

export const EXIT_CLEAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_DANGER = 2;

/** 1 if any stack failed (the plan is incomplete, so nothing can be vouched for), else 2 on DANGER, else 0. */
export function exitCodeOf(results: readonly StackPlanResult[]): 0 | 1 | 2 {
  if (results.some((r) => r.error)) return EXIT_ERROR;
  if (results.some((r) => (r.analysis?.danger.length ?? 0) > 0)) return EXIT_DANGER;
  return EXIT_CLEAN;
}

const FIELD_LABELS: Record<PolicyField, string> = {
  Effect: 'effect',
  Principal: 'principals',
  NotPrincipal: 'not principals',
  Action: 'actions',
  NotAction: 'not actions',
  Resource: 'resources',
  NotResource: 'not resources',
};

/** How to read the statements of the access policy section (IAM's evaluation, not one line per value). */
export const POLICY_LEGEND =
  '_How to read the statements: principals, actions and resources each match any of the values listed. ' +
  'Conditions are AND: every condition of a statement must hold, across keys and operators. ' +
  'The values of one condition key are OR: "any of" them matches (with a negated operator such as `StringNotEquals`, the condition holds when the value matches none of them)._';

/** Values of a condition clause listed in a changed statement in full up to this many. */
const LISTED_CONDITION_VALUES = 10;

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const codes = (values: readonly string[]) => values.map(code).join(', ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const cell = (s: string) => s.replace(/\|/g, '\\|');

function statementTitle(s: NormalizedStatement, sid?: string): string {
  const effect = s.fields.Effect?.[0] ?? '?';
  return `${sid ? `statement ${code(sid)}` : `statement #${s.index + 1} (no Sid)`} (${effect})`;
}

/** `StringEquals aws:SourceAccount` = `A`, or `StringEquals aws:SourceAccount` any of `A`, `B`. */
function valuesText(values: readonly string[]): string {
  return values.length === 1 ? `= ${code(values[0]!)}` : `any of ${codes(values)}`;
}

function clauseName(c: { operator: string; key: string }): string {
  return code(c.key ? `${c.operator} ${c.key}` : c.operator);
}

export function conditionText(c: ConditionClause): string {
  return `${clauseName(c)} ${valuesText(c.values)}`;
}

function conditionLines(conditions: readonly ConditionClause[], indent: string): string[] {
  if (conditions.length === 0) return [];
  if (conditions.length === 1) return [`${indent}- condition: ${conditionText(conditions[0]!)}`];
  return [`${indent}- conditions (all must hold):`, ...conditions.map((c) => `${indent}  - ${conditionText(c)}`)];
}

function statementLines(s: NormalizedStatement, indent: string): string[] {
  const lines: string[] = [];
  for (const field of Object.keys(FIELD_LABELS) as PolicyField[]) {
    if (field === 'Effect') continue;
    const values = s.fields[field];
    if (values && values.length > 0) lines.push(`${indent}- ${FIELD_LABELS[field]}: ${codes(values)}`);
  }
  return [...lines, ...conditionLines(s.conditions, indent)];
}

function fieldChangeLines(changes: readonly FieldChange[], indent: string): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    if (c.added.length > 0) lines.push(`${indent}- ${FIELD_LABELS[c.field]} added: ${codes(c.added)}`);
    if (c.removed.length > 0) lines.push(`${indent}- ${FIELD_LABELS[c.field]} removed: ${codes(c.removed)}`);
  }
  return lines;
}

function conditionChangeLine(c: ConditionChange, indent: string): string {
  if (c.before.length === 0) return `${indent}- condition added: ${conditionText({ ...c, values: c.after })}`;
  if (c.after.length === 0) return `${indent}- condition removed: ${conditionText({ ...c, values: c.before })}`;
  const added = c.after.filter((v) => !c.before.includes(v));
  const removed = c.before.filter((v) => !c.after.includes(v));
  const parts = [...(added.length ? [`values added: ${codes(added)}`] : []), ...(removed.length ? [`values removed: ${codes(removed)}`] : [])];
  const now = c.after.length > LISTED_CONDITION_VALUES ? `any of ${c.after.length} values (see the policy document)` : valuesText(c.after);
  return `${indent}- condition ${clauseName(c)}: ${parts.join('; ')}; now ${now}`;
}

function statementChangeLines(c: StatementChange): string[] {
  const head = `- **${c.kind}** ${statementTitle(c.statement, c.sid)}`;
  if (c.kind === 'changed') return [head, ...fieldChangeLines(c.fieldChanges ?? [], '  '), ...(c.conditionChanges ?? []).map((x) => conditionChangeLine(x, '  '))];
  return [head, ...statementLines(c.statement, '  ')];
}

/** A fenced block that no backtick run inside `text` can close. */
function fenced(lang: string, text: string): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, text, fence];
}

/** The whole policy before and after, folded, so the statement-level reading can be checked against it. */
function documentLines(p: PolicyItem): string[] {
  const docs = p.documents;
  if (!docs || (docs.before === undefined && docs.after === undefined)) return [];
  const what = docs.before !== undefined && docs.after !== undefined ? 'before and after' : docs.before !== undefined ? 'before (deleted)' : 'after (new)';
  const lines = ['', `<details><summary>${docs.label ?? 'Policy document'} ${what}</summary>`, ''];
  if (docs.before !== undefined) lines.push('Before:', '', ...fenced('json', docs.before), '');
  if (docs.after !== undefined) lines.push('After:', '', ...fenced('json', docs.after), '');
  lines.push('</details>');
  return lines;
}

function resourceLabel(stack: string, address: string, target: string | undefined): string {
  return `${code(stack)} · ${code(address)}${target ? ` (${code(target)})` : ''}`;
}

function dangerLines(stack: string, d: DangerItem): string[] {
  return [
    `- **DANGER** ${resourceLabel(stack, d.address, d.target)} is **${d.kind === 'replace' ? 'replaced' : 'destroyed'}**: ${d.loss}.`,
    ...d.causes.map((c) => `  - ${c}`),
  ];
}

function policyLines(stack: string, p: PolicyItem): string[] {
  const title = `#### ${code(stack)} · ${p.policyKind} of ${code(p.target ?? p.address)} — ${p.kind}`;
  const body: string[] = [`Resource ${code(p.address)}.`];
  for (const note of p.notes) body.push(`_${note}_`);
  if (p.diff.problem) body.push(`_Could not read the policy: ${p.diff.problem}_`);
  if (p.attachments) {
    for (const a of p.attachments.added) body.push(`- **attached** ${code(a)}`);
    for (const r of p.attachments.removed) body.push(`- **detached** ${code(r)}`);
  }
  const counts = (['added', 'removed', 'changed'] as const).map((k) => [k, p.diff.changes.filter((c) => c.kind === k).length] as const).filter(([, n]) => n > 0);
  if (counts.length > 0 || p.diff.unchanged > 0) {
    body.push(`${counts.map(([k, n]) => `${plural(n, 'statement')} ${k}`).join(', ')}${p.diff.unchanged > 0 ? `${counts.length ? ', ' : ''}${plural(p.diff.unchanged, 'statement')} unchanged` : ''}.`);
    body.push('');
  }
  for (const c of p.diff.changes) body.push(...statementChangeLines(c));
  body.push(...documentLines(p));
  // A new resource's policy is long and less surprising; fold it so that edits stand out.
  if (p.kind === 'create') return [title, '', '<details><summary>new policy</summary>', '', ...body, '', '</details>', ''];
  return [title, '', ...body, ''];
}

function networkLines(stack: string, n: NetworkRuleItem): string[] {
  const lines = [`- ${n.opensToInternet ? '**OPEN TO THE INTERNET** ' : ''}${resourceLabel(stack, n.address, undefined)} — ${n.kind}`];
  for (const a of n.added) lines.push(`  - **added** ${code(a)}`);
  for (const r of n.removed) lines.push(`  - **removed** ${code(r)}`);
  return lines;
}

function exposureLines(stack: string, e: ExposureItem): string[] {
  return [`- ${e.weakens ? '**WEAKENS** ' : ''}${resourceLabel(stack, e.address, e.target)} — ${e.kind}`, ...e.details.map((d) => `  - ${d}`)];
}

export interface RenderOptions {
  readonly mode: PlanMode;
  /** Heading of the report (default "Terraform plan review"). */
  readonly title?: string;
  /** How the stacks were chosen, e.g. what `--changed-since` compared; printed under the mode. */
  readonly scope?: string;
}

/**
 * The report of a `--changed-since` run whose changed files affect no stack: nothing was planned, and
 * the report says what was compared and why each file selects nothing.
 */
export function renderNoStackReport(compared: string, reasons: readonly string[], options: Pick<RenderOptions, 'title'> = {}): string {
  const out = [`# ${options.title ?? 'Terraform plan review'}`, ''];
  out.push(`**Result: no stack planned.** ${reasons.length === 0 ? 'No file differs' : `None of the ${plural(reasons.length, 'changed file')} can change a stack`}: compared ${compared}.`, '');
  if (reasons.length > 0) {
    out.push('| changed file | stacks it can affect |', '| --- | --- |');
    for (const r of reasons) {
      const [file, what] = r.split(' -> ');
      out.push(`| ${cell(file!)} | ${cell(what ?? '')} |`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderReport(results: readonly StackPlanResult[], options: RenderOptions): string {
  const out: string[] = [];
  const exit = exitCodeOf(results);
  const dangerCount = results.reduce((n, r) => n + (r.analysis?.danger.length ?? 0), 0);
  const errors = results.filter((r) => r.error);
  const anyChanges = results.some((r) => r.analysis && hasChanges(r.analysis.counts));

  out.push(`# ${options.title ?? 'Terraform plan review'}`, '');
  out.push(
    options.mode === 'offline'
      ? '_Offline plan: fake credentials, no AWS calls, empty state unless a state file was given; every resource of a stack without state shows as added._'
      : '_Plan against AWS with the deploy role of each stack and its remote state._',
    '',
  );
  if (options.scope) out.push(`_${options.scope}_`, '');
  if (exit === EXIT_ERROR) out.push(`**Result: ERROR** — ${plural(errors.length, 'stack')} could not be planned (${errors.map((e) => code(e.stack)).join(', ')}); the review is incomplete.`);
  else if (exit === EXIT_DANGER) out.push(`**Result: DANGER** — ${plural(dangerCount, 'stateful resource')} would be destroyed or replaced. Deploying needs an extra approval.`);
  else if (!anyChanges) out.push('**Result: no changes.** The infrastructure matches the configuration.');
  else out.push('**Result: changes, none destroys a stateful resource.** Review the items below.');
  out.push('');

  out.push('| stack | add | change | replace | destroy | status |', '| --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    if (!r.analysis) {
      out.push(`| ${cell(r.stack)} | – | – | – | – | ERROR (${r.error?.phase ?? '?'}) |`);
      continue;
    }
    const c = r.analysis.counts;
    const status = !hasChanges(c) ? 'no changes' : r.analysis.danger.length > 0 ? `**DANGER** (${r.analysis.danger.length})` : 'changes';
    out.push(`| ${cell(r.stack)} | ${c.add} | ${c.change} | ${c.replace} | ${c.destroy} | ${status} |`);
  }
  out.push('');

  if (errors.length > 0) {
    out.push('## Errors', '');
    for (const r of errors) {
      out.push(`### ${code(r.stack)}: ${r.error!.phase} failed`, '', '```text', r.error!.message.trim(), '```', '');
    }
  }

  const all = <T>(pick: (a: StackAnalysis) => readonly T[]) => results.flatMap((r) => (r.analysis ? pick(r.analysis).map((item) => [r.stack, item] as const) : []));
  const danger = all((a) => a.danger);
  const policies = all((a) => a.policies);
  const network = all((a) => a.network);
  const exposure = all((a) => a.exposure);

  out.push('## Needs attention', '');
  if (danger.length + policies.length + network.length + exposure.length === 0) {
    out.push('Nothing: no stateful resource is destroyed or replaced, and no policy, security group rule or public-exposure setting changes.', '');
  }
  if (danger.length > 0) {
    out.push('### DANGER: stateful resources destroyed or replaced', '');
    for (const [stack, d] of danger) out.push(...dangerLines(stack, d));
    out.push('');
  }
  if (policies.length > 0) {
    out.push('### Access policy changes', '', POLICY_LEGEND, '');
    // Edits of existing policies first: they are what a reviewer must read; new policies follow.
    const ordered = [...policies].sort(([, a], [, b]) => Number(a.kind === 'create') - Number(b.kind === 'create'));
    for (const [stack, p] of ordered) out.push(...policyLines(stack, p));
  }
  if (network.length > 0) {
    out.push('### Security group rules', '');
    for (const [stack, n] of network) out.push(...networkLines(stack, n));
    out.push('');
  }
  if (exposure.length > 0) {
    out.push('### Public exposure', '');
    for (const [stack, e] of exposure) out.push(...exposureLines(stack, e));
    out.push('');
  }

  const warned = results.filter((r) => (r.warnings?.length ?? 0) > 0);
  if (warned.length > 0) {
    out.push('## Synthesis warnings', '');
    for (const r of warned) for (const w of r.warnings!) out.push(`- ${code(r.stack)}: ${w}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** GitHub refuses comment bodies above 65,536 characters; this leaves room for the workflow's own lines. */
export const COMMENT_LIMIT = 60_000;

const DOCUMENT_BLOCK = /\n<details><summary>(?:Policy document|Permission arguments)[^\n]*<\/summary>\n[\s\S]*?\n<\/details>\n/g;
const DOCUMENT_LEFT_OUT = '\n_(Policy document left out to fit the comment; plan-report.md in the workflow artifact has it.)_\n';
const TRUNCATED = '\n\n_(Truncated to fit the comment; plan-report.md in the workflow artifact has the full report.)_\n';

/**
 * The report shortened to at most `limit` characters for a pull request comment: the whole-policy
 * blocks are left out first, from the last one back, so that the findings themselves stay; only if that
 * is not enough is the text cut (at a line end).
 */
export function fitReport(report: string, limit: number = COMMENT_LIMIT): string {
  let text = report;
  const blocks = [...report.matchAll(DOCUMENT_BLOCK)];
  for (let i = blocks.length - 1; i >= 0 && text.length > limit; i--) {
    const b = blocks[i]!;
    text = text.slice(0, b.index) + DOCUMENT_LEFT_OUT + text.slice(b.index + b[0].length);
  }
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf('\n', limit - TRUNCATED.length);
  return text.slice(0, Math.max(0, cut)) + TRUNCATED;
}
