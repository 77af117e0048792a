// Runs s3rver (an S3-API server) as its own process so that the S3 traffic of integration tests does
// not compete with the test runner's event loop. Plain CommonJS so that it starts without a
// TypeScript loader. Usage: node s3rver-child.cjs <data-dir>
// Prints one JSON line {"port": N} on stdout once listening on 127.0.0.1:N (port chosen by the kernel).
'use strict';
const S3rver = require('s3rver');

const directory = process.argv[2];
if (!directory) {
  console.error('usage: node s3rver-child.cjs <data-dir>');
  process.exit(2);
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(process.env.SIEM_S3RVER_PORT || 0),
  directory,
  silent: process.env.SIEM_S3RVER_VERBOSE !== '1',
  // Buckets are addressed in the path (clients use forcePathStyle), never as <bucket>.localhost.
  vhostBuckets: false,
  // The AWS SDK signs with fake credentials; s3rver checks signatures against its built-in key pair.
  allowMismatchedSignatures: true,
});

server.run().then(
  (address) => {
    process.stdout.write(JSON.stringify({ port: address.port }) + '\n');
  },
  (error) => {
    console.error(`s3rver failed to start: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);

const shutdown = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(0),
  );
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
// Exit when the parent goes away without signalling (its end of the stdin pipe closes).
process.stdin.on('end', shutdown);
process.stdin.on('error', shutdown);
process.stdin.resume();
