/**
 * The es-loader's CloudWatch metrics (EMF through Powertools): the loader emits them under this
 * namespace and service, and the dashboard searches them there. One constant for both sides.
 */
export const LOADER_METRICS_NAMESPACE = 'SIEM/es-loader';
export const LOADER_SERVICE_NAME = 'es-loader';
