/**
 * The V8 setting a loader process runs with (the Lambda's index.ts, `siem-load`, bench:enrich).
 *
 * V8 "pretenures" an allocation site when most of the objects it made survived a young-generation
 * collection: from then on the site allocates straight into the old generation. Early in a load a chunk's
 * documents are all alive while it is normalized (and the GeoIP memo and IoC indexes fill), so sites that
 * build documents cross that line; every later document from them is then born old, and only a full
 * mark-compact frees it. The loader's documents all die young (built, serialized, dropped), so the guess
 * is wrong here. Measured (300,000 VPC Flow Logs lines, the dry-run path, GeoIP + IoC + organization
 * context on, 6 alternating runs each): with pretenuring, every run grew the old generation to about 120 MB
 * between full collections, peaked at 260-268 MB RSS and did 33,000-42,000 records per CPU second;
 * without, 168-172 MB and 47,000-65,000. NODE_OPTIONS (the only way to give a Lambda function Node
 * options) refuses this flag ("is not allowed in NODE_OPTIONS"), so the process sets it itself, once,
 * before the first document.
 */
import { setFlagsFromString } from 'node:v8';

let done = false;

/** Turns off allocation-site pretenuring for this process (idempotent). */
export function tuneHeapForStreaming(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
