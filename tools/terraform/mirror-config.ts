/**
 * `npm run -s terraform-mirror [-- --out FILE]`: writes a Terraform CLI configuration that installs
 * hashicorp/aws from the local filesystem mirror (the one the offline runner uses: SIEM_TF_PLUGIN_MIRROR,
 * else /opt/tf-plugins and the usual plugin folders) and prints the line that points Terraform at it:
 *
 *   eval "$(npm run -s terraform-mirror)"
 *   npx cdktf diff central --skip-provider-lock
 *
 * so that the standard cdktf commands work on a machine without access to the Terraform Registry.
 * (`--skip-provider-lock`: cdktf otherwise runs `terraform providers lock`, which ignores the CLI
 * configuration and asks the registry.) Exit code 1 with one line on stderr when there is no mirror.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliConfigText, findProviderMirror, MIRROR_CANDIDATES } from './offline';

/** Where the configuration goes by default (.cache/ is ignored by git). */
export const DEFAULT_CLI_CONFIG = path.join('.cache', 'terraform-mirror.tfrc');

/** A value quoted for POSIX shells. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io: Io = defaultIo): number {
  const name = 'npm run terraform-mirror';
  let out = DEFAULT_CLI_CONFIG;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) out = argv[++i]!;
    else {
      io.err(`${name}: unknown argument "${argv[i]}"; usage: ${name} -- [--out FILE]\n`);
      return 1;
    }
  }
  let mirror: string | undefined;
  try {
    mirror = findProviderMirror(env);
  } catch (error) {
    io.err(`${name}: ${(error as Error).message}\n`);
    return 1;
  }
  if (!mirror) {
    io.err(`${name}: no hashicorp/aws provider mirror found in ${MIRROR_CANDIDATES.join(', ')}; set SIEM_TF_PLUGIN_MIRROR to the folder that contains registry.terraform.io/ (without a mirror, cdktf installs the provider from the Terraform Registry and needs no configuration)\n`);
    return 1;
  }
  const file = path.resolve(out);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, cliConfigText(mirror));
  io.err(`# ${file}: hashicorp/aws from ${mirror}\n`);
  io.out(`export TF_CLI_CONFIG_FILE=${shellQuote(file)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
