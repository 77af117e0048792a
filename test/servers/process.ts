// Child-process plumbing shared by the three local servers: free ports, spawning with a log file,
// waiting for readiness, and stopping without leaving orphans.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Raised when a local test server cannot be prepared or started; the message says what was tried. */
export class TestServerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TestServerError';
  }
}

/** Asks the kernel for a free loopback port. A tiny race remains until the server binds it. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new TestServerError('could not obtain a free port'))));
    });
  });
}

let pdeathsigSupported: boolean | undefined;

/**
 * `setpriv --pdeathsig TERM` makes the kernel signal the server when the process that spawned it dies,
 * even by SIGKILL, so a crashed vitest cannot leave a JVM behind (util-linux >= 2.33, Linux only).
 */
function canUsePdeathsig(): boolean {
  if (pdeathsigSupported === undefined) {
    if (process.platform !== 'linux') {
      pdeathsigSupported = false;
    } else {
      const probe = spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore' });
      pdeathsigSupported = probe.status === 0;
    }
  }
  return pdeathsigSupported;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort for a parent that exits without calling stop(): 'exit' handlers may only run
  // synchronous code, and process.kill is synchronous.
  process.on('exit', () => {
    for (const child of running) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
}

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Last lines of the log, for error messages. */
  tail(lines?: number): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    logFile: string;
    /** Give the child a stdin pipe that closes when this process dies (for children that watch it). */
    stdinPipe?: boolean;
    /** Also receive stdout lines here (they still go to the log). */
    onStdoutLine?: (line: string) => void;
  },
): ManagedProcess {
  installExitHook();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const [cmd, argv] = canUsePdeathsig()
    ? ['setpriv', ['--pdeathsig', 'TERM', '--', command, ...args]]
    : [command, [...args]];
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  };
  const child = spawn(cmd, argv, spawnOptions);
  running.add(child);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  if (options.onStdoutLine && child.stdout) {
    const onLine = options.onStdoutLine;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      log.write(`\n[${name}] spawn error: ${error.message}\n`);
      running.delete(child);
      resolve({ code: -1, signal: null });
    });
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  exited.then(
    () => log.end(),
    () => log.end(),
  );
  const tail = (lines = 40): string => {
    if (!existsSync(options.logFile)) return '(no log)';
    return readFileSync(options.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  };
  const stop = async (graceMs = 20_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || !running.has(child)) {
      await exited;
      return;
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, logFile: options.logFile, tail, exited, stop };
}

/**
 * Polls `probe` until it returns a value, the process exits, or `timeoutMs` passes. Errors thrown by
 * the probe mean "not ready yet".
 */
export async function waitUntilReady<T>(
  proc: ManagedProcess,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let exitedEarly: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void proc.exited.then((result) => {
    exitedEarly = result;
  });
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitedEarly) {
      throw new TestServerError(
        `${proc.name} exited during startup (code ${exitedEarly.code}, signal ${exitedEarly.signal}); ` +
          `log ${proc.logFile}:\n${proc.tail()}`,
      );
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await proc.stop(2_000);
  throw new TestServerError(
    `${proc.name} was not ready after ${timeoutMs} ms; log ${proc.logFile}:\n${proc.tail()}`,
    { cause: lastError },
  );
}

/** Runs a command to completion, capturing output; throws a TestServerError naming it on failure. */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; what: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) =>
      reject(new TestServerError(`${options.what}: could not run ${command}: ${error.message}`, { cause: error })),
    );
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new TestServerError(
            `${options.what}: \`${command} ${args.join(' ')}\` exited with ${code}:\n${output.slice(-4000)}`,
          ),
        );
    });
  });
}

const OWNER_FILE = 'owner.pid';

/** True when a process with this id exists (signal 0 probes without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates a fresh temporary folder `<tmp>/<prefix>XXXXXX` for one server run, recording this process
 * as its owner. Folders of earlier runs whose owner died without cleaning up (killed test runner)
 * are removed first, so OpenSearch data does not pile up in /tmp.
 */
export function makeRunDir(prefix: string): string {
  const root = tmpdir();
  for (const entry of readdirSync(root)) {
    if (!entry.startsWith(prefix)) continue;
    const dir = join(root, entry);
    try {
      const owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) rmSync(dir, { recursive: true, force: true });
    } catch {
      // no owner file (being created right now, or not ours): leave it
    }
  }
  const dir = mkdtempSync(join(root, prefix));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  return dir;
}
