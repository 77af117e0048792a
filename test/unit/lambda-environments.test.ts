/**
 * Contract tests between each construct and its function: the environment synthesized for the example
 * organization passes the function's own schema (what the function parses at cold start), and sets no
 * variable the schema does not know.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stopperEnvSchema, settingsFromEnv as stopperSettings } from '../../lambdas/es-loader-stopper/stopper';
import { loadConfig, loaderEnvSchema } from '../../lambdas/es-loader/runtime/config';
import { organizationEnvSchema } from '../../lambdas/es-loader/runtime/organization';
import { controlTowerEnv, ctEnvSchema } from '../../lambdas/es-loader/storage/control-tower';
import { geoIpEnvSchema, settingsFromEnv as geoIpSettings } from '../../lambdas/geoip-downloader/downloader';
import { iocEnvSchema, settingsFromEnv as iocSettings } from '../../lambdas/ioc-downloader/downloader';
import { metricsExporterEnvSchema, settingsFromEnv as exporterSettings } from '../../lambdas/index-metrics-exporter/exporter';
import { configuratorEnvSchema } from '../../lambdas/opensearch-configurator/environment';
import { openSearchSettingsFromEnv } from '../../lambdas/shared/opensearch';
import { LOADER_METRICS_NAMESPACE } from '../../lambdas/shared/metrics';
import { parseOrganization } from '../../accounts/load';
import { exampleOrganization, findResource, synthesize } from '../helpers/synth';

const central = synthesize().stacks.central!;
/** The variables Lambda gives the function: the synthesized ones plus AWS_REGION, which Lambda sets. */
function environmentOf(functionName: string): Record<string, string> {
  const fn = findResource(central, 'aws_lambda_function', (f) => f.function_name === functionName);
  return { ...(fn.environment?.variables ?? {}), AWS_REGION: 'ap-northeast-1' };
}
const unknownNames = (env: Record<string, string>, ...shapes: Record<string, unknown>[]) => Object.keys(env).filter((k) => k !== 'AWS_REGION' && !shapes.some((s) => k in s));

describe('Contract: each function accepts the environment its construct gives it (example organization)', () => {
  it('es-loader: loaderEnvSchema, the Control Tower and the organization context schemas', () => {
    const env = environmentOf('aes-siem-es-loader');
    expect(unknownNames(env, loaderEnvSchema.shape, ctEnvSchema.shape, organizationEnvSchema.shape)).toEqual([]);
    expect(organizationEnvSchema.safeParse(env).success).toBe(true);
    expect(env.ORGANIZATION_CONTEXT_KEY).toBe('OrganizationContext/organization-context.json');
    expect(loaderEnvSchema.safeParse(env).success).toBe(true);
    const config = loadConfig(env, path.resolve(__dirname, '../../lambdas/es-loader'));
    expect(config).toMatchObject({ splitQueueUrl: 'https://sqs.ap-northeast-1.amazonaws.com/222222222222/aes-siem-sqs-splitted-logs', splitSize: 100000, opensearch: { auth: 'sigv4', region: 'ap-northeast-1' } });
    expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe(LOADER_METRICS_NAMESPACE);
    // The IoC database: the object the ioc-downloader writes, in the bucket it writes to (its test below).
    expect(config).toMatchObject({ geoBucket: 'aes-siem-222222222222-geo', iocDatabaseKey: 'IOC/ioc.siemdb' });
    // The example organization has a Log Archive account: the loader reads its buckets too.
    expect(controlTowerEnv(env)).toMatchObject({ roleArn: 'arn:aws:iam::333333333333:role/ct-role-for-siem', region: 'ap-northeast-1' });
  });

  it('es-loader-stopper: stopperEnvSchema', () => {
    const env = environmentOf('aes-siem-es-loader-stopper');
    expect(unknownNames(env, stopperEnvSchema.shape)).toEqual([]);
    expect(stopperSettings(env)).toEqual({
      LOADER_FUNCTION_NAME: 'aes-siem-es-loader',
      STATE_PARAMETER_NAME: '/aes-siem/es-loader-stopper/state',
      ALERT_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:222222222222:aes-siem-alert',
      DEFAULT_CONCURRENCY: 10,
    });
  });

  it('geoip-downloader: geoIpEnvSchema', () => {
    const env = environmentOf('aes-siem-geoip-downloader');
    expect(unknownNames(env, geoIpEnvSchema.shape)).toEqual([]);
    expect(geoIpSettings(env)).toMatchObject({ GEO_BUCKET: 'aes-siem-222222222222-geo' });
  });

  it('ioc-downloader: iocEnvSchema (the example, and every option set)', () => {
    expect(iocSettings(environmentOf('aes-siem-ioc-downloader'))).toMatchObject({ GEO_BUCKET: 'aes-siem-222222222222-geo', IOC_TOR_ENABLED: true, IOC_FEODO_ENABLED: true });
    expect(unknownNames(environmentOf('aes-siem-ioc-downloader'), iocEnvSchema.shape)).toEqual([]);
    const { members, ...file } = exampleOrganization();
    const threatIntel = { enabled: true, otxKeySecret: 'siem/otx', tor: false, feodo: false, torUrl: 'https://mirror.example.com/tor', feodoUrl: 'https://mirror.example.com/feodo.json', otxUrl: 'https://otx.example.com/', maxSourceMb: 10, maxOtxPulses: 20, maxCustomFiles: 30 };
    const org = parseOrganization({ file: 'organization.yaml', data: { ...file, threatIntel } }, members.map((m) => ({ file: `members/${m.name}.yaml`, data: m })));
    const fn = findResource(synthesize(org).stacks.central!, 'aws_lambda_function', (f) => f.function_name === 'aes-siem-ioc-downloader');
    const env = { ...(fn.environment?.variables as Record<string, string>), AWS_REGION: 'ap-northeast-1' };
    expect(unknownNames(env, iocEnvSchema.shape)).toEqual([]);
    expect(iocSettings(env)).toEqual({
      GEO_BUCKET: 'aes-siem-222222222222-geo',
      IOC_TOR_ENABLED: false,
      IOC_FEODO_ENABLED: false,
      IOC_TOR_URL: 'https://mirror.example.com/tor',
      IOC_FEODO_URL: 'https://mirror.example.com/feodo.json',
      IOC_OTX_URL: 'https://otx.example.com/',
      IOC_OTX_KEY_SECRET: 'siem/otx',
      IOC_MAX_SOURCE_MB: 10,
      IOC_MAX_OTX_PULSES: 20,
      IOC_MAX_CUSTOM_FILES: 30,
    });
  });

  it('index-metrics-exporter: metricsExporterEnvSchema (OpenSearch connection + its own variables)', () => {
    const env = environmentOf('aes-siem-index-metrics-exporter');
    expect(unknownNames(env, metricsExporterEnvSchema.shape)).toEqual([]);
    expect(metricsExporterEnvSchema.safeParse(env).success).toBe(true);
    expect(exporterSettings(env)).toMatchObject({ SNAPSHOT_BUCKET: 'aes-siem-222222222222-snapshot', ACCOUNT_ID: '222222222222', DOMAIN_NAME: 'aes-siem', LOADER_FUNCTION_NAME: 'aes-siem-es-loader' });
    expect(openSearchSettingsFromEnv(env)).toMatchObject({ auth: 'sigv4', region: 'ap-northeast-1' });
  });

  it('opensearch-configurator: configuratorEnvSchema', () => {
    const env = environmentOf('aes-siem-opensearch-configurator');
    expect(unknownNames(env, configuratorEnvSchema.shape)).toEqual([]);
    expect(openSearchSettingsFromEnv(env)).toMatchObject({ auth: 'sigv4', roleArn: 'arn:aws:iam::222222222222:role/aes-siem-opensearch-admin' });
  });

  it('the check can fail: a variable the schema does not know is reported', () => {
    expect(unknownNames({ GEO_BUCKET: 'b', GEOIP_BUCKET_TYPO: 'x' }, geoIpEnvSchema.shape)).toEqual(['GEOIP_BUCKET_TYPO']);
    expect(() => stopperSettings({ ...environmentOf('aes-siem-es-loader-stopper'), ALERT_TOPIC_ARN: 'alert' })).toThrow('Invalid Lambda environment: ALERT_TOPIC_ARN:');
  });
});
