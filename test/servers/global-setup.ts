// vitest globalSetup of the `integration` project (see vitest.config.ts): starts OpenSearch, s3rver and
// ElasticMQ once for the run, hands their connection details to tests, and stops them at the end,
// also when tests fail (vitest always calls the returned teardown; an interrupted run is covered by
// the servers' parent-death signal, see process.ts).
//
// Tests read the details either with `inject('siemServers')` (typed below) or through the clients
// in test/servers/clients.ts, which read the SIEM_TEST_* environment variables set here.
import { startServers, toEnv, type ServersInfo } from './index';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection details of the local servers (test/servers/index.ts). */
    siemServers: ServersInfo;
  }
}

/** The part of vitest's TestProject this setup uses. */
interface ProvideContext {
  provide(key: 'siemServers', value: ServersInfo): void;
}

export default async function setup(project: ProvideContext): Promise<() => Promise<void>> {
  const started = Date.now();
  const servers = await startServers();
  const env = toEnv(servers.info);
  // Workers are spawned after globalSetup and inherit the environment of this process.
  Object.assign(process.env, env);
  project.provide('siemServers', servers.info);
  const os = servers.info.opensearch;
  console.log(
    `[siem-test-servers] up in ${((Date.now() - started) / 1000).toFixed(1)} s: OpenSearch ${os.version} ${os.url} ` +
      `(plugins: ${os.plugins.join(', ') || 'none'}), S3 ${servers.info.s3.endpoint}, SQS ${servers.info.sqs.endpoint}`,
  );
  return async () => {
    await servers.stop();
    for (const key of Object.keys(env)) delete process.env[key];
  };
}
