/**
 * npm run -s organization-context -- [ACCOUNTS_DIR]
 *
 * Prints the organization context of an accounts/ folder (default: SIEM_ACCOUNTS_DIR or accounts/): the
 * JSON the central stack writes to OrganizationContext/organization-context.json in the geo bucket, for
 * `siem-load --organization FILE`. A configuration problem prints one line per problem and exits 1.
 */
import { ConfigError, loadOrganization } from '../../accounts/load';
import { organizationContextFromConfig, organizationContextJson } from '../../lambdas/es-loader/enrich/organization';

export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  if (argv.length > 1 || argv[0]?.startsWith('-')) {
    err('usage: npm run -s organization-context -- [ACCOUNTS_DIR] > organization-context.json');
    return 2;
  }
  try {
    const org = argv[0] ? loadOrganization(argv[0]) : loadOrganization();
    const file = organizationContextFromConfig(org);
    if (!org.loader.organizationContext) file.accounts = {};
    out(organizationContextJson(file));
    return 0;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) err(`${p.file}${p.field ? `: ${p.field}` : ''}: ${p.message}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(`${s}\n`));
