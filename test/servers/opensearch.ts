// A real single-node OpenSearch 2.x for integration tests, built from Maven Central artifacts:
// the `integ-test-zip` distribution (core server + transport-netty4 only), the standard modules
// assembled from their jars, and optionally the security plugin zip. The Index Management plugin
// (ISM) is not published there (only job-scheduler is), so ISM is absent.
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { cacheRoot, coordinates, ensureCached, javaHome, mavenCopy, mavenCopyGroups, unzip, type MavenArtifact } from './cache';
import { freePort, makeRunDir, run, startProcess, TestServerError, waitUntilReady, type ManagedProcess } from './process';

/**
 * 2.19.4: the newest 2.x whose security plugin (2.19.4.0) is also on Maven Central (the distribution
 * goes up to 2.19.6, the plugin does not). A plugin installs only into the exact OpenSearch version
 * it was built for.
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
  /** Security plugin with TLS + basic auth. Default: `SIEM_TEST_OPENSEARCH_SECURITY=1` in the environment. */
  readonly security?: boolean;
}

const SECURITY_PLUGIN: MavenArtifact = {
  groupId: 'org.opensearch.plugin',
  artifactId: 'opensearch-security',
  version: `${OPENSEARCH_VERSION}.0`,
  type: 'zip',
};

/** The admin user of a node with the security plugin (all_access + security REST API). */
export const OPENSEARCH_ADMIN = { username: 'admin', password: 'SiemTest-Admin-2024!' } as const;

/** Distinguished names of the generated certificates (RFC 2253 order, as the plugin compares them). */
const NODE_DN = 'CN=localhost,OU=siem-test,O=siem-test';
const ADMIN_DN = 'CN=admin,OU=siem-test,O=siem-test';

/**
 * Standard modules of the full distribution that the integ-test-zip leaves out (it only has
 * transport-netty4). Maven Central carries each as a jar with a POM of its own dependencies; the
 * descriptor and the security policy (needed under the Java security manager) are written here,
 * with the values of the modules' build files in the OpenSearch repository (modules/<name>).
 * Amazon OpenSearch Service domains have all of them: painless scripts, `lowercase` & co.
 * (analysis-common), ingest pipelines, `_reindex` / `_delete_by_query`, `scaled_float`, ...
 */
interface ModuleSpec {
  readonly name: string;
  readonly artifactId: string;
  readonly classname: string;
  readonly description: string;
  readonly extendedPlugins?: readonly string[];
  readonly policy?: string;
}

const MODULES: readonly ModuleSpec[] = [
  {
    name: 'lang-painless',
    artifactId: 'lang-painless',
    classname: 'org.opensearch.painless.PainlessPlugin',
    description: 'An easy, safe and fast scripting language for OpenSearch',
    policy: 'grant {\n  permission java.lang.RuntimePermission "createClassLoader";\n  permission java.lang.RuntimePermission "getClassLoader";\n};\n',
  },
  {
    name: 'analysis-common',
    artifactId: 'analysis-common',
    classname: 'org.opensearch.analysis.common.CommonAnalysisPlugin',
    description: 'Adds "built in" analyzers to OpenSearch.',
    extendedPlugins: ['lang-painless'],
  },
  {
    name: 'ingest-common',
    artifactId: 'ingest-common',
    classname: 'org.opensearch.ingest.common.IngestCommonPlugin',
    description: 'Module for ingest processors that do not require additional security permissions',
    extendedPlugins: ['lang-painless'],
  },
  {
    name: 'reindex',
    artifactId: 'reindex-client',
    classname: 'org.opensearch.index.reindex.ReindexPlugin',
    description: 'The Reindex module adds APIs to reindex from one index to another or update documents in place.',
    policy:
      'grant {\n  permission java.net.SocketPermission "*", "connect";\n};\n' +
      'grant codeBase "${codebase.opensearch-rest-client}" {\n  permission java.net.NetPermission "getProxySelector";\n};\n' +
      'grant codeBase "${codebase.httpasyncclient}" {\n  permission java.net.NetPermission "getProxySelector";\n};\n',
  },
  {
    name: 'mapper-extras',
    artifactId: 'mapper-extras-client',
    classname: 'org.opensearch.index.mapper.MapperExtrasPlugin',
    description: 'Adds advanced field mappers',
  },
  {
    name: 'parent-join',
    artifactId: 'parent-join-client',
    classname: 'org.opensearch.join.ParentJoinPlugin',
    description: 'This module adds the support parent-child queries and aggregations',
  },
  {
    name: 'percolator',
    artifactId: 'percolator-client',
    classname: 'org.opensearch.percolator.PercolatorPlugin',
    description: 'Percolator module adds capability to index queries and query these queries by specifying documents',
  },
  {
    name: 'aggs-matrix-stats',
    artifactId: 'aggs-matrix-stats-client',
    classname: 'org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin',
    description: 'Adds aggregations whose input are a list of numeric fields and output includes a matrix.',
  },
  {
    name: 'lang-mustache',
    artifactId: 'lang-mustache-client',
    classname: 'org.opensearch.script.mustache.MustachePlugin',
    description: 'Mustache scripting integration for OpenSearch',
    policy: 'grant {\n  permission java.lang.RuntimePermission "accessDeclaredMembers";\n};\n',
  },
  {
    name: 'rank-eval',
    artifactId: 'rank-eval-client',
    classname: 'org.opensearch.index.rankeval.RankEvalPlugin',
    description: 'The Rank Eval module adds APIs to evaluate ranking quality.',
  },
  {
    name: 'geo',
    artifactId: 'geo',
    classname: 'org.opensearch.geo.GeoModulePlugin',
    description: 'Plugin for Geospatial features in OpenSearch.',
  },
];

/** `name-1.2.3.jar` -> `name`, to compare jars across versions. */
function jarBaseName(file: string): string {
  return file.replace(/\.jar$/, '').replace(/-\d[\w.+-]*$/, '');
}

async function installModules(home: string, workDir: string): Promise<void> {
  const groups: Record<string, MavenArtifact[]> = {};
  for (const m of MODULES) {
    groups[m.name] = [{ groupId: 'org.opensearch.plugin', artifactId: m.artifactId, version: OPENSEARCH_VERSION }];
  }
  const downloads = join(workDir, 'modules');
  await mavenCopyGroups(groups, downloads, join(workDir, 'mvn-modules'));
  const coreJars = new Set(readdirSync(join(home, 'lib')).map(jarBaseName));
  for (const m of MODULES) {
    const target = join(home, 'modules', m.name);
    mkdirSync(target, { recursive: true });
    // A class present twice on a plugin's class path ("jar hell") stops the node: skip what the core
    // or an extended module already has.
    const inherited = new Set(coreJars);
    for (const parent of m.extendedPlugins ?? []) {
      for (const f of readdirSync(join(home, 'modules', parent))) inherited.add(jarBaseName(f));
    }
    for (const file of readdirSync(join(downloads, m.name))) {
      if (file.endsWith('.jar') && !inherited.has(jarBaseName(file))) {
        copyFileSync(join(downloads, m.name, file), join(target, file));
      }
    }
    writeFileSync(
      join(target, 'plugin-descriptor.properties'),
      [
        `description=${m.description}`,
        `version=${OPENSEARCH_VERSION}`,
        `name=${m.name}`,
        `classname=${m.classname}`,
        'java.version=11',
        `opensearch.version=${OPENSEARCH_VERSION}`,
        'custom.foldername=',
        `extended.plugins=${(m.extendedPlugins ?? []).join(',')}`,
        'has.native.controller=false',
        '',
      ].join('\n'),
    );
    if (m.policy) writeFileSync(join(target, 'plugin-security.policy'), m.policy);
  }
}

/** Bumped when the layout of the cached install changes, so that older caches are rebuilt. */
const INSTALL_REVISION = 'r2';

async function ensureBaseInstall(): Promise<string> {
  const dir = await ensureCached(`opensearch-${OPENSEARCH_VERSION}-${INSTALL_REVISION}`, async (tmp) => {
    const downloads = join(tmp, 'downloads');
    await mavenCopy([DISTRIBUTION], downloads, { transitive: false, workDir: join(tmp, 'mvn') });
    const zip = readdirSync(downloads).find((f) => f.endsWith('.zip'));
    if (!zip) throw new TestServerError(`no OpenSearch zip in ${downloads}`);
    await unzip(join(downloads, zip), join(tmp, 'unpacked'));
    const [top] = readdirSync(join(tmp, 'unpacked'));
    if (!top) throw new TestServerError(`empty OpenSearch archive ${zip}`);
    await run('mv', [join(tmp, 'unpacked', top), join(tmp, 'home')], { what: 'moving OpenSearch into place' });
    await installModules(join(tmp, 'home'), tmp);
    for (const sub of ['downloads', 'unpacked', 'mvn', 'modules', 'mvn-modules']) {
      rmSync(join(tmp, sub), { recursive: true, force: true });
    }
  });
  return join(dir, 'home');
}

/** Generates a CA, a node certificate (localhost / 127.0.0.1) and an admin certificate with openssl. */
async function generateCertificates(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const ssl = (args: string[], what: string): Promise<string> => run('openssl', args, { cwd: dir, what });
  const days = '3650';
  // genpkey writes PKCS#8 ("BEGIN PRIVATE KEY"), the only unencrypted key format the plugin reads.
  await ssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'root-ca-key.pem'], 'CA key');
  await ssl(
    ['req', '-new', '-x509', '-sha256', '-key', 'root-ca-key.pem', '-subj', '/O=siem-test/OU=siem-test/CN=siem-test-root-ca', '-days', days, '-out', 'root-ca.pem'],
    'CA certificate',
  );
  const leaf = async (name: string, subject: string, extensions: string): Promise<void> => {
    await ssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', `${name}-key.pem`], `${name} key`);
    await ssl(['req', '-new', '-key', `${name}-key.pem`, '-subj', subject, '-out', `${name}.csr`], `${name} CSR`);
    writeFileSync(join(dir, `${name}.ext`), extensions);
    await ssl(
      ['x509', '-req', '-in', `${name}.csr`, '-CA', 'root-ca.pem', '-CAkey', 'root-ca-key.pem', '-CAcreateserial', '-sha256', '-days', days, '-extfile', `${name}.ext`, '-out', `${name}.pem`],
      `${name} certificate`,
    );
  };
  await leaf(
    'node',
    '/O=siem-test/OU=siem-test/CN=localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  await leaf('admin', '/O=siem-test/OU=siem-test/CN=admin', 'keyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n');
}

async function ensureSecurityInstall(base: string): Promise<string> {
  const dir = await ensureCached(`opensearch-${OPENSEARCH_VERSION}-${INSTALL_REVISION}-security`, async (tmp) => {
    const downloads = join(tmp, 'downloads');
    await mavenCopy([SECURITY_PLUGIN], downloads, { transitive: false, workDir: join(tmp, 'mvn') });
    const zip = readdirSync(downloads).find((f) => f.endsWith('.zip'));
    if (!zip) throw new TestServerError(`no security plugin zip in ${downloads}`);
    const home = join(tmp, 'home');
    await run('cp', ['-a', base, home], { what: 'copying OpenSearch' });
    const env = { ...process.env, JAVA_HOME: javaHome(), OPENSEARCH_JAVA_HOME: javaHome(), OPENSEARCH_PATH_CONF: join(home, 'config') };
    await run(join(home, 'bin', 'opensearch-plugin'), ['install', '--batch', `file://${join(downloads, zip)}`], {
      env,
      what: 'installing the security plugin',
    });
    const hashOutput = await run(
      'bash',
      [join(home, 'plugins', 'opensearch-security', 'tools', 'hash.sh'), '-p', OPENSEARCH_ADMIN.password],
      { env, what: 'hashing the admin password' },
    );
    const hash = hashOutput.split('\n').map((l) => l.trim()).find((l) => /^\$2[aby]\$/.test(l));
    if (!hash) throw new TestServerError(`hash.sh printed no bcrypt hash:\n${hashOutput}`);
    writeFileSync(join(tmp, 'admin-password.bcrypt'), hash);
    await generateCertificates(join(tmp, 'certs'));
    rmSync(downloads, { recursive: true, force: true });
    rmSync(join(tmp, 'mvn'), { recursive: true, force: true });
  });
  return dir;
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
    // Extra JVM flags, one per whitespace-separated word (e.g. GC logging while investigating).
    ...(process.env.SIEM_TEST_OPENSEARCH_JAVA_OPTS ?? '').split(/\s+/).filter((o) => o !== ''),
    '',
  ].join('\n');
}

function openSearchYml(runDir: string, httpPort: number, transportPort: number, security: boolean): string {
  const lines = [
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
  ];
  if (security) {
    lines.push(
      // TLS on both layers is mandatory for the plugin; the files are copied into the config dir.
      'plugins.security.ssl.transport.pemcert_filepath: node.pem',
      'plugins.security.ssl.transport.pemkey_filepath: node-key.pem',
      'plugins.security.ssl.transport.pemtrustedcas_filepath: root-ca.pem',
      'plugins.security.ssl.transport.enforce_hostname_verification: false',
      'plugins.security.ssl.http.enabled: true',
      'plugins.security.ssl.http.pemcert_filepath: node.pem',
      'plugins.security.ssl.http.pemkey_filepath: node-key.pem',
      'plugins.security.ssl.http.pemtrustedcas_filepath: root-ca.pem',
      // Load config/opensearch-security/*.yml into the security index at first start (no securityadmin run).
      'plugins.security.allow_default_init_securityindex: true',
      `plugins.security.authcz.admin_dn: ["${ADMIN_DN}"]`,
      `plugins.security.nodes_dn: ["${NODE_DN}"]`,
      'plugins.security.restapi.roles_enabled: ["all_access", "security_rest_api_access"]',
      'plugins.security.system_indices.enabled: true',
      'plugins.security.check_snapshot_restore_write_privileges: true',
      'plugins.security.enable_snapshot_restore_privilege: true',
    );
  }
  return [...lines, ''].join('\n');
}

/** The bits of an HTTP response the readiness probes need. */
interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

/** GET with optional TLS trust anchor and basic auth (node:http(s), since fetch cannot take a CA). */
function requestJson(
  url: string,
  options: { ca?: string; auth?: { username: string; password: string } } = {},
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.auth) {
      headers.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
    }
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      { method: 'GET', headers, ca: options.ca, timeout: 5_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
          } catch (error) {
            reject(new Error(`${url}: HTTP ${response.statusCode}, not JSON: ${text.slice(0, 200)}`, { cause: error }));
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url}: timed out`)));
    request.on('error', reject);
    request.end();
  });
}

/** True when the security plugin should be on for the shared servers (`SIEM_TEST_OPENSEARCH_SECURITY=1`). */
export function securityRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(1|true|yes|on)$/i.test(env.SIEM_TEST_OPENSEARCH_SECURITY ?? '');
}

async function startOnce(home: string, securityDir: string | undefined, options: OpenSearchOptions): Promise<RunningOpenSearch> {
  const security = securityDir !== undefined;
  const runDir = makeRunDir('siem-opensearch-');
  for (const sub of ['config', 'data', 'logs', 'tmp']) mkdirSync(join(runDir, sub));
  const config = join(runDir, 'config');
  const [httpPort, transportPort] = [await freePort(), await freePort()];
  writeFileSync(join(config, 'opensearch.yml'), openSearchYml(runDir, httpPort, transportPort, security));
  writeFileSync(join(config, 'jvm.options'), jvmOptions(runDir, options.heap ?? process.env.SIEM_TEST_OPENSEARCH_HEAP));
  copyFileSync(join(home, 'config', 'log4j2.properties'), join(config, 'log4j2.properties'));
  let caCertFile: string | undefined;
  if (securityDir) {
    cpSync(join(home, 'config', 'opensearch-security'), join(config, 'opensearch-security'), { recursive: true });
    const hash = readFileSync(join(securityDir, 'admin-password.bcrypt'), 'utf8').trim();
    // Only our admin: the demo users of the plugin's sample file are not wanted.
    writeFileSync(
      join(config, 'opensearch-security', 'internal_users.yml'),
      [
        '_meta:',
        '  type: "internalusers"',
        '  config_version: 2',
        `${OPENSEARCH_ADMIN.username}:`,
        `  hash: "${hash}"`,
        '  reserved: true',
        '  backend_roles: ["admin"]',
        '  description: "Admin of the local test node (mapped to all_access through backend role admin)"',
        '',
      ].join('\n'),
    );
    for (const file of ['node.pem', 'node-key.pem', 'root-ca.pem']) {
      copyFileSync(join(securityDir, 'certs', file), join(config, file));
    }
    caCertFile = join(config, 'root-ca.pem');
  }
  const proc = startProcess('OpenSearch', join(home, 'bin', 'opensearch'), [], {
    cwd: runDir,
    env: {
      ...process.env,
      OPENSEARCH_PATH_CONF: config,
      OPENSEARCH_TMPDIR: join(runDir, 'tmp'),
      JAVA_HOME: javaHome(),
      OPENSEARCH_JAVA_HOME: javaHome(),
      OPENSEARCH_JAVA_OPTS: '',
    },
    logFile: join(runDir, 'opensearch.out.log'),
  });
  const url = `${security ? 'https' : 'http'}://127.0.0.1:${httpPort}`;
  const requestOptions = security
    ? { ca: readFileSync(caCertFile as string, 'utf8'), auth: { ...OPENSEARCH_ADMIN } }
    : {};
  const stop = async (): Promise<void> => {
    await proc.stop();
    if (!process.env.SIEM_TEST_KEEP_SERVER_DATA) rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(
      proc,
      async () => {
        // With security, 503 / 401 answers come while the security index is being initialised.
        const health = await requestJson(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, requestOptions);
        const status = (health.body as { status?: string } | undefined)?.status;
        return health.status === 200 && (status === 'yellow' || status === 'green') ? status : undefined;
      },
      options.startTimeoutMs ?? 180_000,
    );
    const cat = await requestJson(`${url}/_cat/plugins?format=json`, requestOptions);
    const plugins = [...new Set((cat.body as { component: string }[]).map((p) => p.component))].sort();
    const info: OpenSearchInfo = {
      url,
      ...(security ? { username: OPENSEARCH_ADMIN.username, password: OPENSEARCH_ADMIN.password, caCertFile } : {}),
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

/**
 * Prepares the cached install (downloading on first use) and starts a fresh single-node cluster.
 * With `security` (default: `SIEM_TEST_OPENSEARCH_SECURITY=1`) the node has the security plugin,
 * TLS with a generated CA, and basic auth for OPENSEARCH_ADMIN.
 */
export async function startOpenSearch(options: OpenSearchOptions = {}): Promise<RunningOpenSearch> {
  const security = options.security ?? securityRequested();
  let home: string;
  let securityDir: string | undefined;
  const tried = [DISTRIBUTION, ...(security ? [SECURITY_PLUGIN] : [])].map(coordinates).join(', ');
  try {
    home = await ensureBaseInstall();
    if (security) {
      securityDir = await ensureSecurityInstall(home);
      home = join(securityDir, 'home');
    }
  } catch (error) {
    throw new TestServerError(
      `Could not prepare OpenSearch ${OPENSEARCH_VERSION}: tried ${tried} from Maven Central via mvn into ` +
        `${cacheRoot()}.\n${String((error as Error).message)}`,
      { cause: error },
    );
  }
  // The free-port probe can race with another process; retry on a bind failure.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(home, securityDir, options);
    } catch (error) {
      const message = String((error as Error).message);
      if (attempt < 3 && /BindException|Address already in use/.test(message)) continue;
      throw error;
    }
  }
}
