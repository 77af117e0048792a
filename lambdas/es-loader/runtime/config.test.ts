import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const base = {
  OPENSEARCH_ENDPOINT: 'search-aes-siem-abc.ap-northeast-1.es.amazonaws.com',
  AWS_REGION: 'ap-northeast-1',
  SPLIT_QUEUE_URL: 'https://sqs.ap-northeast-1.amazonaws.com/222222222222/aes-siem-sqs-splitted-logs',
  DLQ_URL: 'https://sqs.ap-northeast-1.amazonaws.com/222222222222/aes-siem-dlq',
};

describe('Function: loadConfig (Lambda environment)', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(base, '/var/task')).toEqual({
      opensearch: { node: base.OPENSEARCH_ENDPOINT, auth: 'sigv4', region: 'ap-northeast-1' },
      region: 'ap-northeast-1',
      splitQueueUrl: base.SPLIT_QUEUE_URL,
      dlqUrl: base.DLQ_URL,
      geoBucket: undefined,
      iocDatabaseKey: 'IOC/ioc.siemdb',
      awsEdgeRangesKey: 'TrustedProxy/aws-edge-ranges.json',
      userIni: undefined,
      splitSize: 100000,
      bulk: { maxBytes: 5242880, maxDocs: 2000, concurrency: 2, maxAttempts: 8 },
      objectConcurrency: 2,
      s3ForcePathStyle: false,
    });
  });

  it('reads user.ini locations: s3:// or a path next to the bundle', () => {
    expect(loadConfig({ ...base, USER_INI: 's3://cfg-bucket/siem/user.ini' }, '/var/task').userIni).toEqual({ kind: 's3', bucket: 'cfg-bucket', key: 'siem/user.ini', name: 's3://cfg-bucket/siem/user.ini' });
    expect(loadConfig({ ...base, USER_INI: 'custom/user.ini' }, '/var/task').userIni).toEqual({ kind: 'file', path: '/var/task/custom/user.ini', name: 'custom/user.ini' });
  });

  it('reads the IoC database key (empty: no IoC enrichment) and rejects a URL or absolute path', () => {
    expect(loadConfig({ ...base, IOC_DATABASE_KEY: 'threat/my.siemdb' }, '/var/task').iocDatabaseKey).toBe('threat/my.siemdb');
    expect(loadConfig({ ...base, IOC_DATABASE_KEY: '' }, '/var/task').iocDatabaseKey).toBeUndefined();
    expect(() => loadConfig({ ...base, IOC_DATABASE_KEY: 's3://geo/IOC/ioc.siemdb' }, '/var/task')).toThrow(
      /^invalid es-loader environment: IOC_DATABASE_KEY: must be an object key in GEOIP_BUCKET such as IOC\/ioc\.siemdb, without s3:\/\/ or a leading \/ \(got "s3:\/\/geo\/IOC\/ioc\.siemdb"\)$/,
    );
  });

  it('reads the AWS edge ranges key (empty: AWS ranges not trusted) and rejects a URL', () => {
    expect(loadConfig({ ...base, AWS_EDGE_RANGES_KEY: '' }, '/var/task').awsEdgeRangesKey).toBeUndefined();
    expect(() => loadConfig({ ...base, AWS_EDGE_RANGES_KEY: 's3://geo/x.json' }, '/var/task')).toThrow(
      'invalid es-loader environment: AWS_EDGE_RANGES_KEY: must be an object key in GEOIP_BUCKET such as TrustedProxy/aws-edge-ranges.json, without s3:// or a leading / (got "s3://geo/x.json")',
    );
  });

  it('names every wrong variable and the value received', () => {
    expect(() => loadConfig({ ...base, DLQ_URL: undefined, SPLIT_SIZE: 'lots', OPENSEARCH_AUTH: 'kerberos' }, '/var/task')).toThrow(
      /^invalid es-loader environment: OPENSEARCH_AUTH: must be sigv4, basic or none \(got "kerberos"\); DLQ_URL: is required: the URL of the <prefix>-dlq queue; SPLIT_SIZE: must be a positive whole number \(got "lots"\)$/,
    );
    expect(() => loadConfig({ ...base, AWS_REGION: undefined }, '/var/task')).toThrow(/AWS_REGION is required with OPENSEARCH_AUTH=sigv4/);
    expect(() => loadConfig({ ...base, OPENSEARCH_AUTH: 'basic' }, '/var/task')).toThrow(/OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD/);
    expect(() => loadConfig({ ...base, USER_INI: 's3://only-bucket' }, '/var/task')).toThrow(/USER_INI: must be s3:\/\/bucket\/key or a file path/);
  });
});
