/**
 * Lambda entry of `<prefix>-es-loader` (handler `index.handler`).
 *
 * The runtime (clients, configuration, GeoIP databases, pipeline) is built on the first invocation of
 * a container and reused; if building it fails, the invocation throws (the platform retries) and the
 * next one tries again.
 */
import type { Context } from 'aws-lambda';
import { handleEvent, type LoaderRuntime, type SqsBatchResponse } from './handler';
import { tuneHeapForStreaming } from './runtime/heap';
import { initRuntime } from './runtime/init';

tuneHeapForStreaming();

let runtime: Promise<LoaderRuntime> | undefined;

export async function handler(event: unknown, context?: Context): Promise<SqsBatchResponse | undefined> {
  void context;
  if (!runtime) {
    runtime = initRuntime(process.env, __dirname);
    runtime.catch(() => {
      runtime = undefined;
    });
  }
  return handleEvent(await runtime, event);
}
