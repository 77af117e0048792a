// s3rver (npm) as a child process: an S3-API server storing objects in a fresh temporary folder.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeRunDir, startProcess, TestServerError, waitUntilReady, type ManagedProcess } from './process';

export interface S3Info {
  /** e.g. `http://127.0.0.1:41236`; clients must use path-style addressing (`forcePathStyle: true`). */
  readonly endpoint: string;
  readonly region: string;
}

export interface RunningS3 {
  readonly info: S3Info;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startS3(options: { region?: string; startTimeoutMs?: number } = {}): Promise<RunningS3> {
  try {
    require.resolve('s3rver');
  } catch (error) {
    throw new TestServerError('s3rver is not installed: run `npm ci` (it is a devDependency)', { cause: error });
  }
  // require.resolve rather than __dirname: under tsx's ESM loader __dirname is not the file's folder.
  const childScript = require.resolve('./s3rver-child.cjs');
  const runDir = makeRunDir('siem-s3rver-');
  let port: number | undefined;
  const proc = startProcess(
    's3rver',
    process.execPath,
    [childScript, join(runDir, 'data')],
    {
      cwd: dirname(childScript),
      logFile: join(runDir, 's3rver.log'),
      stdinPipe: true,
      onStdoutLine: (line) => {
        try {
          const parsed = JSON.parse(line) as { port?: unknown };
          if (typeof parsed.port === 'number') port = parsed.port;
        } catch {
          // not the port line
        }
      },
    },
  );
  const stop = async (): Promise<void> => {
    await proc.stop(5_000);
    if (!process.env.SIEM_TEST_KEEP_SERVER_DATA) rmSync(runDir, { recursive: true, force: true });
  };
  try {
    const listening = await waitUntilReady(proc, async () => port, options.startTimeoutMs ?? 30_000);
    return {
      info: { endpoint: `http://127.0.0.1:${listening}`, region: options.region ?? 'us-east-1' },
      process: proc,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
