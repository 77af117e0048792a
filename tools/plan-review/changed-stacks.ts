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
    if (NO_STACK.some((re) => re.test(file))) {
      reasons.push(`${file} -> no stack`);
      continue;
    }
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

/** What `--changed-since <ref>` compared, and the files that differ. */
export interface ChangeSet {
  readonly ref: string;
  /** The merge base of `ref` and HEAD (full commit id). */
  readonly mergeBase: string;
  /** Changed, added, deleted and untracked files, sorted. */
  readonly files: readonly string[];
}

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitError(ref: string, command: string, error: unknown): ChangedFilesError {
  const stderr = ((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
  return new ChangedFilesError(`--changed-since ${ref}: \`${command}\` failed: ${stderr || (error as Error).message}`, { cause: error });
}

/**
 * Files that differ between the merge base of `ref` and HEAD (what a pull request changes) and the
 * working tree: committed, staged, unstaged and untracked (not ignored) files, so a local run also sees
 * the edits not committed yet.
 */
export function changedFiles(ref: string, cwd: string = process.cwd()): ChangeSet {
  let mergeBase: string;
  try {
    mergeBase = git(['merge-base', ref, 'HEAD'], cwd).trim();
  } catch (error) {
    throw gitError(ref, `git merge-base ${ref} HEAD`, error);
  }
  const lines = (out: string) => out.split('\n').filter((l) => l.trim() !== '');
  try {
    const tracked = lines(git(['diff', '--name-only', '--no-renames', mergeBase], cwd));
    const untracked = lines(git(['ls-files', '--others', '--exclude-standard'], cwd));
    return { ref, mergeBase, files: [...new Set([...tracked, ...untracked])].sort() };
  } catch (error) {
    throw gitError(ref, `git diff --name-only ${mergeBase}`, error);
  }
}

/** One sentence saying what was compared (for the log and the report). */
export function describeChangeSet(changes: ChangeSet): string {
  return `the working tree (committed, staged, unstaged and untracked files) against ${changes.mergeBase.slice(0, 12)}, the merge base of ${changes.ref} and HEAD`;
}
