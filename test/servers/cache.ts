// Download cache for the server binaries. Artifacts come from Maven Central through `mvn` (the
// ordinary client, honouring ~/.m2/settings.xml mirrors and proxies); each unpacked server lives in
// its own folder under the cache, built in a temporary folder and renamed into place, so parallel
// runs (several vitest processes, `npm run servers`) never see a half-extracted install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { processAlive, run, TestServerError } from './process';

/** `$SIEM_SERVERS_CACHE`, else `$XDG_CACHE_HOME/siem-test-servers`, else `~/.cache/siem-test-servers`. */
export function cacheRoot(): string {
  const root =
    process.env.SIEM_SERVERS_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'siem-test-servers');
  mkdirSync(root, { recursive: true });
  return root;
}

const COMPLETE_MARKER = '.complete';

/**
 * Returns `<cache>/<name>`, building it first with `build(tmpDir)` if it is not complete yet.
 * The build happens in a private temporary folder that is renamed into place at the end.
 */
export async function ensureCached(name: string, build: (dir: string) => Promise<void>): Promise<string> {
  const root = cacheRoot();
  const target = join(root, name);
  if (existsSync(join(target, COMPLETE_MARKER))) return target;
  // Leftovers of builds whose process was killed midway.
  for (const entry of readdirSync(root)) {
    const match = /^\.tmp-.*-(\d+)-\d+$/.exec(entry);
    if (match && !processAlive(Number(match[1]))) rmSync(join(root, entry), { recursive: true, force: true });
  }
  const tmp = join(root, `.tmp-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
    writeFileSync(join(tmp, COMPLETE_MARKER), new Date().toISOString());
    if (existsSync(target) && !existsSync(join(target, COMPLETE_MARKER))) {
      rmSync(target, { recursive: true, force: true }); // leftover of an interrupted older layout
    }
    try {
      renameSync(tmp, target);
    } catch (error) {
      // Another process finished first: use its copy.
      if (!existsSync(join(target, COMPLETE_MARKER))) throw error;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  /** Maven packaging type; `jar` by default. */
  readonly type?: string;
}

export function coordinates(a: MavenArtifact): string {
  return `${a.groupId}:${a.artifactId}:${a.version}${a.type && a.type !== 'jar' ? `:${a.type}` : ''}`;
}

/**
 * Copies artifacts (and, with `transitive`, their runtime dependencies) into `outputDir` using
 * `mvn dependency:copy-dependencies` on a throw-away POM.
 */
export async function mavenCopy(
  artifacts: readonly MavenArtifact[],
  outputDir: string,
  options: { transitive: boolean; workDir: string },
): Promise<void> {
  const deps = artifacts
    .map(
      (a) =>
        `<dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId>` +
        `<version>${a.version}</version><type>${a.type ?? 'jar'}</type></dependency>`,
    )
    .join('\n    ');
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.siem-test-servers</groupId>
  <artifactId>fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    ${deps}
  </dependencies>
</project>
`;
  mkdirSync(options.workDir, { recursive: true });
  writeFileSync(join(options.workDir, 'pom.xml'), pom);
  const mvn = process.env.SIEM_MVN ?? 'mvn';
  await run(
    mvn,
    [
      '-B',
      '-q',
      '-f',
      join(options.workDir, 'pom.xml'),
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      `-DoutputDirectory=${outputDir}`,
      `-DexcludeTransitive=${options.transitive ? 'false' : 'true'}`,
      '-DincludeScope=runtime',
    ],
    { what: `downloading ${artifacts.map(coordinates).join(', ')} from Maven Central with ${mvn}` },
  );
  const copied = readdirSync(outputDir);
  for (const a of artifacts) {
    if (!copied.some((f) => f.startsWith(`${a.artifactId}-${a.version}`))) {
      throw new TestServerError(`mvn did not produce ${coordinates(a)} in ${outputDir} (got: ${copied.join(', ')})`);
    }
  }
}

/** Unzips with `unzip`, or with the JDK's `jar` tool where unzip is missing. */
export async function unzip(zipFile: string, intoDir: string): Promise<void> {
  mkdirSync(intoDir, { recursive: true });
  const hasUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;
  if (hasUnzip) await run('unzip', ['-q', '-o', zipFile, '-d', intoDir], { what: `extracting ${zipFile}` });
  else await run(join(javaHome(), 'bin', 'jar'), ['xf', zipFile], { cwd: intoDir, what: `extracting ${zipFile}` });
}

let cachedJavaHome: string | undefined;

/** `$JAVA_HOME`, else the installation that `java` on PATH belongs to. */
export function javaHome(): string {
  if (cachedJavaHome) return cachedJavaHome;
  if (process.env.JAVA_HOME && existsSync(join(process.env.JAVA_HOME, 'bin', 'java'))) {
    cachedJavaHome = process.env.JAVA_HOME;
    return cachedJavaHome;
  }
  const which = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' });
  const javaPath = which.stdout.trim();
  if (which.status !== 0 || javaPath === '') {
    throw new TestServerError('Java 17+ is needed for OpenSearch and ElasticMQ: set JAVA_HOME or put java on PATH');
  }
  // <home>/bin/java after resolving the /usr/bin/java -> /etc/alternatives/... symlinks.
  cachedJavaHome = join(realpathSync(javaPath), '..', '..');
  return cachedJavaHome;
}

/**
 * Like mavenCopy, for several independent groups in one Maven run (an aggregator POM with one module
 * per group): the artifacts of group `g` and their runtime dependencies land in `<outputRoot>/<g>`.
 */
export async function mavenCopyGroups(
  groups: Readonly<Record<string, readonly MavenArtifact[]>>,
  outputRoot: string,
  workDir: string,
): Promise<void> {
  const names = Object.keys(groups);
  const pom = (artifactId: string, body: string): string => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.siem-test-servers</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  ${body}
</project>
`;
  mkdirSync(workDir, { recursive: true });
  writeFileSync(join(workDir, 'pom.xml'), pom('fetch-all', `<modules>${names.map((n) => `<module>${n}</module>`).join('')}</modules>`));
  for (const name of names) {
    mkdirSync(join(workDir, name), { recursive: true });
    const deps = (groups[name] ?? [])
      .map(
        (a) =>
          `<dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId>` +
          `<version>${a.version}</version><type>${a.type ?? 'jar'}</type></dependency>`,
      )
      .join('');
    // Plugin-level configuration also applies to the goal invoked from the command line.
    const build =
      '<build><plugins><plugin><groupId>org.apache.maven.plugins</groupId>' +
      '<artifactId>maven-dependency-plugin</artifactId><version>3.6.1</version>' +
      `<configuration><outputDirectory>${join(outputRoot, name)}</outputDirectory></configuration>` +
      '</plugin></plugins></build>';
    writeFileSync(join(workDir, name, 'pom.xml'), pom(`fetch-${name}`, `<dependencies>${deps}</dependencies>${build}`));
  }
  const mvn = process.env.SIEM_MVN ?? 'mvn';
  const all = Object.values(groups).flat();
  await run(
    mvn,
    [
      '-B',
      '-q',
      '-f',
      join(workDir, 'pom.xml'),
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      '-DincludeScope=runtime',
    ],
    { what: `downloading ${all.map(coordinates).join(', ')} from Maven Central with ${mvn}` },
  );
  for (const name of names) {
    const dir = join(outputRoot, name);
    const copied = existsSync(dir) ? readdirSync(dir) : [];
    for (const a of groups[name] ?? []) {
      if (!copied.some((f) => f.startsWith(`${a.artifactId}-${a.version}`))) {
        throw new TestServerError(`mvn did not produce ${coordinates(a)} in ${dir} (got: ${copied.join(', ')})`);
      }
    }
  }
}
