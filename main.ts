/**
 * Entry point of `npm run synth` and of `cdktf synth|deploy`: validates the organization in accounts/,
 * synthesizes every stack into cdktf.out/ and prints a summary. Invalid configuration prints every
 * problem (file and field) and exits 1 before anything is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadOrganization } from './accounts/load';
import { buildApp } from './stacks/app';

function main(): number {
  let org;
  try {
    org = loadOrganization();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    return failed(error);
  }
  try {
    // `cdktf synth` passes its output folder in CDKTF_OUTDIR; a plain `npm run synth` writes cdktf.out/.
    const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
    const app = buildApp(org, { outdir });
    app.synth();
    if (!process.env.CDKTF_OUTDIR) printSummary(outdir);
    return 0;
  } catch (error) {
    return failed(error);
  }
}

/**
 * A rule a construct checks (a policy above its size limit, a validation of the whole tree) or a file
 * system error: the message only, never a stack trace. SIEM_DEBUG=1 adds the stack for developers.
 */
function failed(error: unknown): number {
  const e = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(`npm run synth: ${e.message}\n`);
  if (process.env.SIEM_DEBUG) process.stderr.write(`${e.stack}\n`);
  return 1;
}

function printSummary(outdir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string; annotations?: { level: string; message: string }[] }>;
  };
  const rows = Object.entries(manifest.stacks).map(([name, stack]) => {
    const file = path.join(outdir, stack.synthesizedStackPath);
    const tf = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    const resources = Object.values(tf.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
    return { name, resources, file };
  });
  const width = Math.max(...rows.map((r) => r.name.length), 5);
  const lines = [`Synthesized ${rows.length} stack${rows.length === 1 ? '' : 's'} into ${path.resolve(outdir)}/`, `  ${'stack'.padEnd(width)}  resources  Terraform JSON`];
  for (const r of rows) lines.push(`  ${r.name.padEnd(width)}  ${String(r.resources).padStart(9)}  ${r.file}`);
  // Warnings the stacks raised (cdktf's CLI prints them too); one line per message, naming its stacks.
  const warnings = new Map<string, string[]>();
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    for (const a of stack.annotations ?? []) {
      if (!/warn|error/.test(a.level)) continue;
      warnings.set(a.message, [...(warnings.get(a.message) ?? []), name]);
    }
  }
  if (warnings.size > 0) {
    lines.push('Warnings:');
    for (const [message, stacks] of warnings) lines.push(`  [${stacks.join(', ')}] ${message}`);
  }
  lines.push(`Next: review with \`terraform plan\` (npm run plan) or deploy one stack with \`npx cdktf deploy <stack>\`.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

process.exitCode = main();
