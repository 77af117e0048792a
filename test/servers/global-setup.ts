// vitest globalSetup of the `integration` project (see vitest.config.mts): starts OpenSearch, s3rver and
// ElasticMQ once for the run, hands their connection details to tests, and stops them at the end,
// also when tests fail (vitest always calls the returned teardown; an interrupted run is covered by
// the servers' parent-death signal, see process.ts).
//
// Tests read the details either with `inject('siemServers')` (typed below) or through the clients
// in test/servers/clients.ts, which read the SIEM_TEST_* environment variables set here.
import { openSearchClient } from './clients';
import { fromEnv, startServers, toEnv, type ServersInfo } from './index';

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

/**
 * Servers announced by SIEM_TEST_* variables in the environment (a developer ran `npm run servers`
 * and exported its lines) and answering; undefined otherwise. Reusing them saves the startup while
 * iterating; their data persists between runs, unlike fresh servers.
 */
async function runningServers(): Promise<ServersInfo | undefined> {
  if (/^(0|false|no|off)$/i.test(process.env.SIEM_TEST_REUSE_SERVERS ?? '')) return undefined;
  const info = fromEnv();
  if (!info) return undefined;
  const client = openSearchClient(info);
  try {
    await client.cluster.health({}, { requestTimeout: 3_000 });
    await fetch(info.s3.endpoint, { signal: AbortSignal.timeout(3_000) });
    const sqs = await fetch(`${info.sqs.endpoint}/?Action=ListQueues`, { signal: AbortSignal.timeout(3_000) });
    return sqs.ok ? info : undefined;
  } catch {
    return undefined;
  } finally {
    await client.close();
  }
}

export default async function setup(project: ProvideContext): Promise<() => Promise<void>> {
  const reused = await runningServers();
  if (reused) {
    project.provide('siemServers', reused);
    console.log(`[siem-test-servers] reusing the servers of SIEM_TEST_* (OpenSearch ${reused.opensearch.url}); SIEM_TEST_REUSE_SERVERS=0 starts fresh ones`);
    return async () => undefined;
  }
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
