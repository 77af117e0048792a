// `npm run servers`: starts the local OpenSearch, S3 (s3rver) and SQS (ElasticMQ) servers in the
// foreground for manual work and benchmarks, prints their endpoints as shell `export` lines on
// stdout (progress goes to stderr), and stops them on Ctrl-C / SIGTERM.
//
//   npm run -s servers > /tmp/siem-servers.env &   then   . /tmp/siem-servers.env
import { startServers, toEnv } from './index';

async function main(): Promise<void> {
  const started = Date.now();
  process.stderr.write('[siem-test-servers] starting OpenSearch, s3rver and ElasticMQ...\n');
  const servers = await startServers();
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[siem-test-servers] ${signal}: stopping...\n`);
    servers.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`[siem-test-servers] stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));

  const quote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;
  for (const [key, value] of Object.entries(toEnv(servers.info))) {
    process.stdout.write(`export ${key}=${quote(value)}\n`);
  }
  process.stderr.write(
    `[siem-test-servers] ready in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(OpenSearch plugins: ${servers.info.opensearch.plugins.join(', ') || 'none'}); Ctrl-C to stop\n`,
  );
  // Stop when the launching process goes away without signalling us: `npm run` exits on SIGTERM
  // without forwarding it, and the tsx wrapper may die the same way; we are then re-parented.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent process exited');
  }, 1_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
