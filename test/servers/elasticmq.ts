// ElasticMQ (an SQS-compatible queue server) from Maven Central. Maven Central has no single runnable
// jar, so the server artifact and its runtime dependencies are copied into the cache and started with
// `java -cp 'lib/*' org.elasticmq.server.Main`. ElasticMQ >= 1.5 speaks the AWS JSON protocol that
// @aws-sdk/client-sqs has used since 3.44x, so the SDK needs no special option.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCached, javaHome, mavenCopy, type MavenArtifact } from './cache';
import { freePort, makeRunDir, startProcess, TestServerError, waitUntilReady, type ManagedProcess } from './process';

export const ELASTICMQ_VERSION = '1.7.1';

const SERVER: MavenArtifact = { groupId: 'org.elasticmq', artifactId: 'elasticmq-server_2.13', version: ELASTICMQ_VERSION };

/** Account id ElasticMQ puts into queue URLs and ARNs. */
export const SQS_ACCOUNT_ID = '000000000000';

export interface SqsInfo {
  /** e.g. `http://127.0.0.1:41235`; queue URLs look like `<endpoint>/000000000000/<name>`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
}

export interface RunningElasticMq {
  readonly info: SqsInfo;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

async function ensureInstall(): Promise<string> {
  const dir = await ensureCached(`elasticmq-${ELASTICMQ_VERSION}`, async (tmp) => {
    await mavenCopy([SERVER], join(tmp, 'lib'), { transitive: true, workDir: join(tmp, 'mvn') });
    rmSync(join(tmp, 'mvn'), { recursive: true, force: true });
  });
  return join(dir, 'lib');
}

export async function startElasticMq(options: { region?: string; startTimeoutMs?: number } = {}): Promise<RunningElasticMq> {
  let lib: string;
  try {
    lib = await ensureInstall();
  } catch (error) {
    throw new TestServerError(
      `Could not prepare ElasticMQ ${ELASTICMQ_VERSION}: tried ${SERVER.groupId}:${SERVER.artifactId}:${SERVER.version} ` +
        `and its dependencies from Maven Central via mvn.\n${String((error as Error).message)}`,
      { cause: error },
    );
  }
  const region = options.region ?? 'us-east-1';
  for (let attempt = 1; ; attempt++) {
    const runDir = makeRunDir('siem-elasticmq-');
    const port = await freePort();
    // HOCON; `include classpath("application.conf")` keeps ElasticMQ's defaults for everything else.
    writeFileSync(
      join(runDir, 'elasticmq.conf'),
      [
        'include classpath("application.conf")',
        `node-address { protocol = http, host = 127.0.0.1, port = ${port}, context-path = "" }`,
        `rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }`,
        'rest-stats { enabled = false }',
        `aws { region = ${region}, accountId = "${SQS_ACCOUNT_ID}" }`,
        '',
      ].join('\n'),
    );
    const proc = startProcess(
      'ElasticMQ',
      join(javaHome(), 'bin', 'java'),
      [
        '-Xms64m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        `-Dconfig.file=${join(runDir, 'elasticmq.conf')}`,
        '-cp',
        `${lib}/*`,
        'org.elasticmq.server.Main',
      ],
      { cwd: runDir, logFile: join(runDir, 'elasticmq.log') },
    );
    const endpoint = `http://127.0.0.1:${port}`;
    const stop = async (): Promise<void> => {
      await proc.stop(10_000);
      if (!process.env.SIEM_TEST_KEEP_SERVER_DATA) rmSync(runDir, { recursive: true, force: true });
    };
    try {
      await waitUntilReady(
        proc,
        async () => {
          const response = await fetch(`${endpoint}/?Action=ListQueues`, { signal: AbortSignal.timeout(3_000) });
          return response.ok ? true : undefined;
        },
        options.startTimeoutMs ?? 90_000,
      );
      return { info: { endpoint, region, accountId: SQS_ACCOUNT_ID }, process: proc, stop };
    } catch (error) {
      await stop().catch(() => undefined);
      if (attempt < 3 && /BindException|already in use/i.test(String((error as Error).message))) continue;
      throw error;
    }
  }
}
