/**
 * Which stacks a change can affect, from the files it touches (`npm run plan -- --changed-since <ref>`,
 * used by .github/workflows/plan.yml). Conservative: anything that can reach the synthesized Terraform
 * of every stack (modules, stacks, organization settings, dependencies) selects all stacks; only
 * changes that cannot change any stack (docs, tests, benchmarks, CI files) select none.
 */
import { execFileSync } from 'node:child_process';

export interface ChangedStacks {
  /** Stacks to plan, in manifest order. */
  readonly stacks: readonly string[];
  /** One line per decision, for the log (which file selected what). */
  readonly reasons: readonly string[];
}

/** Paths that never change synthesized Terraform. */
const NO_STACK = [/^docs\//, /^README\.md$/, /^\.github\//, /^test\//, /^bench\//, /\.test\.ts$/, /^\.ci\//, /^\.gitignore$/, /^LICENSE/];

/** Files whose change selects one stack only. */
function singleStack(file: string): string | undefined {
  const member = /^accounts\/members\/([^/]+)\.ya?ml$/.exec(file);
  if (member) return `member-${member[1]}`;
  // Lambda code is packaged only into the central stack (TerraformAsset in the security account).
  if (/^lambdas\//.test(file)) return 'central';
  return undefined;
}

/**
 * Maps changed files to stacks. A member file whose stack is not in the manifest (the member was
 * removed) is reported: its resources are not planned for destruction by this tool.
 */
export function stacksForFiles(files: readonly string[], manifestStacks: readonly string[]): ChangedStacks {
  const selected = new Set<string>();
  const reasons: string[] = [];
  for (const file of files) {
    if (NO_STACK.some((re) => re.test(file))) continue;
    const one = singleStack(file);
    if (one) {
      if (manifestStacks.includes(one)) {
        selected.add(one);
        reasons.push(`${file} -> ${one}`);
      } else {
        reasons.push(`${file} -> ${one}, which is not synthesized (member removed?); destroy its resources with \`cdktf destroy ${one}\` from the previous commit`);
      }
      continue;
    }
    reasons.push(`${file} -> all stacks`);
    for (const s of manifestStacks) selected.add(s);
  }
  return { stacks: manifestStacks.filter((s) => selected.has(s)), reasons };
}

export class ChangedFilesError extends Error {
  override readonly name = 'ChangedFilesError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Files changed between the merge base of `ref` and HEAD (what a pull request changes). */
export function changedFiles(ref: string, cwd: string = process.cwd()): string[] {
  try {
    const out = execFileSync('git', ['diff', '--name-only', '--no-renames', `${ref}...HEAD`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').filter((l) => l.trim() !== '');
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new ChangedFilesError(`could not list the files changed since ${ref} (git diff ${ref}...HEAD): ${stderr.trim() || (error as Error).message}`, { cause: error });
  }
}
