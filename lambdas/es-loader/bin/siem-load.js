#!/usr/bin/env node
// siem-load: batch import of historic logs and dry runs (see lambdas/es-loader/cli.ts).
// Registers tsx so the TypeScript sources run directly from a checkout or an installed package,
// with no build step.
'use strict';
require('tsx/cjs');
// Before the first document: see runtime/heap.ts.
require('../runtime/heap.ts').tuneHeapForStreaming();
// `siem-load --dry-run ... | head`: the reader went away; stop quietly, as Unix filters do.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
require('../cli.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
