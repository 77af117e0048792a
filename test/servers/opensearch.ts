// A real single-node OpenSearch 2.x for integration tests, built from Maven Central artifacts:
// the `integ-test-zip` distribution (core server + transport-netty4 only) plus plugin zips.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCached, javaHome, mavenCopy, unzip, type MavenArtifact } from './cache';
import { freePort, run, startProcess, TestServerError, waitUntilReady, type ManagedProcess } from './process';

/**
 * 2.19.4: the newest 2.x whose plugins (job-scheduler, security 2.19.4.0) are also on Maven Central.
 * A plugin installs only into the exact OpenSearch version it was built for.
 */
export const OPENSEARCH_VERSION = '2.19.4';

const DISTRIBUTION: MavenArtifact = {
  groupId: 'org.opensearch.distribution.integ-test-zip',
  artifactId: 'opensearch',
  version: OPENSEARCH_VERSION,
  type: 'zip',
};

/** Connection details of the running OpenSearch. */
export interface OpenSearchInfo {
  /** Base URL, e.g. `http://127.0.0.1:41234` (https when the security plugin is on). */
  readonly url: string;
  /** Basic-auth user when the security plugin is on. */
  readonly username?: string;
  readonly password?: string;
  /** PEM file of the CA that signed the node certificate, when the security plugin is on. */
  readonly caCertFile?: string;
  /** e.g. `2.19.4`. */
  readonly version: string;
  /** Installed plugin names (`_cat/plugins`), e.g. `opensearch-security`. */
  readonly plugins: readonly string[];
  /** True when the Index State Management API (`_plugins/_ism`) is available. */
  readonly ism: boolean;
  /** True when the security plugin (FGAC, `_plugins/_security`) is enabled. */
  readonly security: boolean;
}

export interface RunningOpenSearch {
  readonly info: OpenSearchInfo;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export interface OpenSearchOptions {
  /** JVM heap, e.g. `1g`; default `$SIEM_TEST_OPENSEARCH_HEAP` or 512m initial / 1g max. */
  readonly heap?: string;
  /** Milliseconds to wait for a yellow cluster. Default 180 s (a cold JVM on 2 busy cores). */
  readonly startTimeoutMs?: number;
}

async function ensureInstall(): Promise<string> {
  const name = `opensearch-${OPENSEARCH_VERSION}`;
  const dir = await ensureCached(name, async (tmp) => {
    const downloads = join(tmp, 'downloads');
    await mavenCopy([DISTRIBUTION], downloads, { transitive: false, workDir: join(tmp, 'mvn') });
    const zip = readdirSync(downloads).find((f) => f.endsWith('.zip'));
    if (!zip) throw new TestServerError(`no OpenSearch zip in ${downloads}`);
    await unzip(join(downloads, zip), join(tmp, 'unpacked'));
    const [top] = readdirSync(join(tmp, 'unpacked'));
    if (!top) throw new TestServerError(`empty OpenSearch archive ${zip}`);
    await run('mv', [join(tmp, 'unpacked', top), join(tmp, 'home')], { what: 'moving OpenSearch into place' });
    rmSync(downloads, { recursive: true, force: true });
    rmSync(join(tmp, 'unpacked'), { recursive: true, force: true });
    rmSync(join(tmp, 'mvn'), { recursive: true, force: true });
  });
  return join(dir, 'home');
}

function jvmOptions(runDir: string, heap: string | undefined): string {
  const [xms, xmx] = heap ? [heap, heap] : ['512m', '1g'];
  return [
    `-Xms${xms}`,
    `-Xmx${xmx}`,
    '-XX:+UseG1GC',
    '-XX:-HeapDumpOnOutOfMemoryError',
    `-XX:ErrorFile=${join(runDir, 'logs', 'hs_err_pid%p.log')}`,
    '-Djava.io.tmpdir=${OPENSEARCH_TMPDIR}',
    '-Djava.security.manager=allow',
    '-Djava.util.concurrent.ForkJoinPool.common.threadFactory=org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory',
    // OpenSearch refuses to start as root, and CI runs as root. The check needs JNA's native
    // library; keeping JNA from loading it skips the check (and only memory locking and the
    // seccomp filter, which a throw-away test node does not need).
    ...(process.getuid?.() === 0 ? ['-Djna.nosys=true', '-Djna.nounpack=true'] : []),
    '',
  ].join('\n');
}

function openSearchYml(runDir: string, httpPort: number, transportPort: number): string {
  return [
    'cluster.name: siem-test',
    'node.name: siem-test-node',
    `path.data: ${join(runDir, 'data')}`,
    `path.logs: ${join(runDir, 'logs')}`,
    'network.host: 127.0.0.1',
    `http.port: ${httpPort}`,
    `transport.port: ${transportPort}`,
    'discovery.type: single-node',
    // The test box's disk may be fuller than the default 85/90/95 % watermarks allow.
    'cluster.routing.allocation.disk.threshold_enabled: false',
    // Tests create and delete indices by pattern.
    'action.destructive_requires_name: false',
    '',
  ].join('\n');
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function startOnce(home: string, options: OpenSearchOptions): Promise<RunningOpenSearch> {
  const runDir = mkdtempSync(join(tmpdir(), 'siem-opensearch-'));
  for (const sub of ['config', 'data', 'logs', 'tmp']) mkdirSync(join(runDir, sub));
  const [httpPort, transportPort] = [await freePort(), await freePort()];
  writeFileSync(join(runDir, 'config', 'opensearch.yml'), openSearchYml(runDir, httpPort, transportPort));
  writeFileSync(join(runDir, 'config', 'jvm.options'), jvmOptions(runDir, options.heap ?? process.env.SIEM_TEST_OPENSEARCH_HEAP));
  writeFileSync(
    join(runDir, 'config', 'log4j2.properties'),
    readFileSync(join(home, 'config', 'log4j2.properties'), 'utf8'),
  );
  const proc = startProcess('OpenSearch', join(home, 'bin', 'opensearch'), [], {
    cwd: runDir,
    env: {
      ...process.env,
      OPENSEARCH_PATH_CONF: join(runDir, 'config'),
      OPENSEARCH_TMPDIR: join(runDir, 'tmp'),
      JAVA_HOME: javaHome(),
      OPENSEARCH_JAVA_HOME: javaHome(),
      OPENSEARCH_JAVA_OPTS: '',
    },
    logFile: join(runDir, 'opensearch.out.log'),
  });
  const url = `http://127.0.0.1:${httpPort}`;
  const stop = async (): Promise<void> => {
    await proc.stop();
    if (!process.env.SIEM_TEST_KEEP_SERVER_DATA) rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(
      proc,
      async () => {
        const health = (await getJson(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`)) as {
          status?: string;
        };
        return health.status === 'yellow' || health.status === 'green' ? health : undefined;
      },
      options.startTimeoutMs ?? 180_000,
    );
    const plugins = ((await getJson(`${url}/_cat/plugins?format=json`)) as { component: string }[]).map(
      (p) => p.component,
    );
    const info: OpenSearchInfo = {
      url,
      version: OPENSEARCH_VERSION,
      plugins,
      ism: plugins.includes('opensearch-index-management'),
      security: plugins.includes('opensearch-security'),
    };
    return { info, process: proc, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Prepares the cached install (downloading on first use) and starts a fresh single-node cluster. */
export async function startOpenSearch(options: OpenSearchOptions = {}): Promise<RunningOpenSearch> {
  let home: string;
  try {
    home = await ensureInstall();
  } catch (error) {
    throw new TestServerError(
      `Could not prepare OpenSearch ${OPENSEARCH_VERSION}: tried ${DISTRIBUTION.groupId}:${DISTRIBUTION.artifactId}:` +
        `${DISTRIBUTION.version}:zip from Maven Central via mvn into ${join(process.env.SIEM_SERVERS_CACHE ?? '~/.cache/siem-test-servers')}.\n` +
        String((error as Error).message),
      { cause: error },
    );
  }
  // The free-port probe can race with another process; retry on a bind failure.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(home, options);
    } catch (error) {
      const message = String((error as Error).message);
      if (attempt < 3 && /BindException|Address already in use/.test(message)) continue;
      throw error;
    }
  }
}
