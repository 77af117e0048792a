/**
 * Structured logs (Powertools Logger: one JSON object per line) and metrics in CloudWatch embedded
 * metric format (Powertools Metrics). The handler talks to two small interfaces so that tests can
 * record what is logged and measured.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { LOADER_METRICS_NAMESPACE, LOADER_SERVICE_NAME } from '../../shared/metrics';

export interface Log {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** What is measured for each object (or range of one). */
export interface ObjectMeasurement {
  readonly logType: string;
  readonly origin: string;
  readonly key: string;
  readonly read: number;
  readonly indexed: number;
  readonly duplicates: number;
  readonly skipped: number;
  readonly failed: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly durationMs: number;
  /** S3 event time -> last document acknowledged by OpenSearch; absent when the event time is unknown. */
  readonly lagMs?: number;
}

export interface MetricsSink {
  object(m: ObjectMeasurement): void;
  /** Flushes what is buffered (end of invocation). */
  flush(): void;
}

/** The namespace the dashboard searches (one constant for both: lambdas/shared/metrics.ts). */
export const METRICS_NAMESPACE = LOADER_METRICS_NAMESPACE;

export function powertoolsLogger(): Logger {
  return new Logger({ serviceName: LOADER_SERVICE_NAME });
}

/** Adapts a Powertools Logger to `Log` (extra keys become top-level keys of the JSON line). */
export function logFrom(logger: Logger): Log {
  return {
    info: (m, extra) => (extra ? logger.info(m, extra) : logger.info(m)),
    warn: (m, extra) => (extra ? logger.warn(m, extra) : logger.warn(m)),
    error: (m, extra) => (extra ? logger.error(m, extra) : logger.error(m)),
  };
}

/**
 * One EMF document per object with dimension LogType: RecordsRead, RecordsIndexed, RecordsSkipped,
 * RecordsFailed, DuplicateDocuments, InputBytes, OutputBytes, Duration and IngestionLag (S3 event
 * time to indexed). The object key goes along as metadata (searchable in Logs Insights, not a
 * dimension: dimensions with unbounded values would create a metric per object).
 */
export class PowertoolsMetricsSink implements MetricsSink {
  private readonly metrics: Metrics;

  constructor(namespace = METRICS_NAMESPACE) {
    this.metrics = new Metrics({ namespace, serviceName: LOADER_SERVICE_NAME });
  }

  object(m: ObjectMeasurement): void {
    // All calls are synchronous, so measurements of objects processed concurrently cannot interleave.
    const x = this.metrics;
    x.addDimension('LogType', m.logType);
    x.addMetric('RecordsRead', MetricUnit.Count, m.read);
    x.addMetric('RecordsIndexed', MetricUnit.Count, m.indexed);
    x.addMetric('RecordsSkipped', MetricUnit.Count, m.skipped);
    x.addMetric('RecordsFailed', MetricUnit.Count, m.failed);
    x.addMetric('DuplicateDocuments', MetricUnit.Count, m.duplicates);
    x.addMetric('InputBytes', MetricUnit.Bytes, m.bytesIn);
    x.addMetric('OutputBytes', MetricUnit.Bytes, m.bytesOut);
    x.addMetric('Duration', MetricUnit.Milliseconds, m.durationMs);
    if (m.lagMs !== undefined) x.addMetric('IngestionLag', MetricUnit.Milliseconds, Math.max(0, m.lagMs));
    x.addMetadata('s3_key', m.key);
    x.addMetadata('origin', m.origin);
    x.publishStoredMetrics();
  }

  flush(): void {
    /* every object is published as it completes */
  }
}
