import { describe, expect, it } from 'vitest';
import { docs, pipeline, run } from '../log-types/testing';
import { AGGREGATABLE_FIELDS, ALL_LOG_FAMILIES } from './aggregatable-fields';
import { ECS_COMPONENT, indexTemplates, type TemplateDefinition } from './templates';

type Props = Record<string, { type?: string; properties?: Props }>;

const propsOf = (t: TemplateDefinition | undefined): Props =>
  ((t?.body.template as { mappings?: { properties?: Props } } | undefined)?.mappings?.properties ?? {}) as Props;

/** The mapping type of a dotted field in an index family: the family's component over the ECS component. */
function typeIn(templates: TemplateDefinition[], family: string, field: string): string | undefined {
  const byName = new Map(templates.map((t) => [t.name, t]));
  const index = byName.get(family);
  if (!index) return `no index template ${family}`;
  for (const component of [...(index.body.composed_of as string[])].reverse()) {
    let cur: Props | undefined = propsOf(byName.get(component));
    const parts = field.split('.');
    for (let i = 0; i < parts.length && cur; i++) {
      const node: Props[string] | undefined = cur[parts[i]];
      if (!node) break;
      if (node.type === 'flat_object') return 'flat_object';
      if (i === parts.length - 1) return node.type;
      cur = node.properties;
    }
  }
  return undefined;
}

const CT_KEY = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/21/111122223333_CloudTrail_us-east-1_20261121T1010Z_FIELDS.json.gz';
const WAF_KEY = 'AWSLogs/123456789012/WAF/ap-northeast-1/2026/11/22/07/aws-waf-logs-aes-siem-ap-northeast-1-1-2026-11-22-07-00-00-fields';

describe('Field model: every field a dashboard aggregates is aggregatable and typed', () => {
  const templates = indexTemplates(pipeline());
  const families = templates.filter((t) => t.kind === 'index_template').map((t) => t.name);

  it('maps every field of the checked-in list with its type, in its index family', () => {
    const wrong: string[] = [];
    for (const [family, fields] of Object.entries(AGGREGATABLE_FIELDS)) {
      const targets = family === ALL_LOG_FAMILIES ? families.filter((n) => n.startsWith('log-')) : [family];
      for (const target of targets)
        for (const { field, type } of fields) {
          const got = typeIn(templates, target, field);
          if (got !== type) wrong.push(`${target} ${field}: ${got ?? 'unmapped'}, want ${type}`);
        }
    }
    expect(wrong).toEqual([]);
  });

  it('types the VPC Flow Logs columns: counters and ports long, addresses ip, names keyword', () => {
    const vpc = propsOf(templates.find((t) => t.name === 'siem-log-aws-vpcflowlogs-mappings'));
    expect(vpc.bytes).toEqual({ type: 'long' });
    expect(vpc.packets).toEqual({ type: 'long' });
    expect(vpc.dstport).toEqual({ type: 'long' });
    expect(vpc.srcaddr).toEqual({ type: 'ip' });
    expect(vpc.action).toEqual({ type: 'keyword', ignore_above: 1024 });
  });

  it('keeps the polymorphic objects flat_object and maps their typed copies beside them under typed.*', () => {
    const ct = propsOf(templates.find((t) => t.name === 'siem-log-aws-cloudtrail-mappings'));
    expect(ct.requestParameters).toEqual({ type: 'flat_object' });
    expect(ct.additionalEventData).toEqual({ type: 'flat_object' });
    expect(ct.typed.properties!.requestParameters.properties!.bucketName).toEqual({ type: 'keyword', ignore_above: 1024 });
    expect(ct.typed.properties!.additionalEventData.properties!.bytesTransferredOut).toEqual({ type: 'double' });
    expect(propsOf(templates.find((t) => t.name === ECS_COMPONENT)).typed).toBeUndefined();
  });
});

describe('Field model: typed copies written by the loader', () => {
  it('copies CloudTrail paths inside flat_object fields to typed.*, coerced, leaving objects and blanks out', async () => {
    const records = [
      {
        eventVersion: '1.08', eventTime: '2026-11-21T10:10:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-1',
        eventID: 'ev-typed-1', recipientAccountId: '111122223333',
        requestParameters: { bucketName: 'logs-bucket', key: 'a.txt', instanceType: { value: 'not-a-scalar' } },
        additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: '2048.5' },
      },
      {
        eventVersion: '1.08', eventTime: '2026-11-21T10:11:00Z', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1',
        eventID: 'ev-typed-2', recipientAccountId: '111122223333',
        requestParameters: null,
        responseElements: { ConsoleLogin: 'Failure' },
        additionalEventData: { MFAUsed: 'No', bytesTransferredOut: 'n/a', LoginTo: '' },
      },
    ];
    const out = docs(await run(pipeline(), CT_KEY, JSON.stringify({ Records: records })));
    expect(out.map((d) => d._source.typed)).toEqual([
      { requestParameters: { bucketName: 'logs-bucket' }, additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 2048.5 } },
      { responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { MFAUsed: 'No' } },
    ]);
    // The flat_object fields themselves are unchanged.
    expect(out[0]._source.requestParameters).toEqual({ bucketName: 'logs-bucket', key: 'a.txt', instanceType: { value: 'not-a-scalar' } });
    expect(out[1]._source.additionalEventData).toEqual({ MFAUsed: 'No', bytesTransferredOut: 'n/a', LoginTo: '' });
  });

  it('collects a path through arrays (every rule group of a WAF record) into one multi-valued field', async () => {
    const record = {
      timestamp: 1795255200123, formatVersion: 1, webaclId: 'arn:aws:wafv2:ap-northeast-1:123456789012:regional/webacl/acl/x', terminatingRuleId: 'Default_Action',
      terminatingRuleType: 'REGULAR', action: 'ALLOW', httpSourceName: 'ALB', httpSourceId: 'alb',
      ruleGroupList: [
        { ruleGroupId: 'AWS#AWSManagedRulesCommonRuleSet', terminatingRule: null, nonTerminatingMatchingRules: [{ ruleId: 'SizeRestrictions_BODY', action: 'COUNT' }, { ruleId: 'NoUserAgent_HEADER', action: 'COUNT' }] },
        { ruleGroupId: 'AWS#AWSManagedRulesSQLiRuleSet', terminatingRule: { ruleId: 'SQLi_BODY', action: 'BLOCK' }, nonTerminatingMatchingRules: [] },
      ],
      rateBasedRuleList: [], nonTerminatingMatchingRules: [],
      httpRequest: { clientIp: '192.0.2.10', country: 'JP', headers: [], uri: '/', args: '', httpVersion: 'HTTP/1.1', httpMethod: 'POST', requestId: 'r1' },
    };
    const [doc] = docs(await run(pipeline(), WAF_KEY, JSON.stringify(record) + '\n'));
    expect(doc._source.typed).toEqual({
      ruleGroupList: {
        ruleGroupId: ['AWS#AWSManagedRulesCommonRuleSet', 'AWS#AWSManagedRulesSQLiRuleSet'],
        terminatingRule: { ruleId: 'SQLi_BODY', action: 'BLOCK' },
        nonTerminatingMatchingRules: { ruleId: ['SizeRestrictions_BODY', 'NoUserAgent_HEADER'] },
      },
    });
  });

  it('reads * as every element and a number as one element of a list', async () => {
    const p = pipeline({ userIni: '[waf]\nkeyword_fields = ruleGroupList.*.ruleGroupId ruleGroupList.1.nonTerminatingMatchingRules.0.ruleId' });
    const waf = propsOf(indexTemplates(p).find((t) => t.name === 'siem-log-aws-waf-mappings'));
    expect(Object.keys(waf.typed.properties!.ruleGroupList.properties!)).toEqual(['1', 'ruleGroupId']);
    const record = {
      timestamp: 1795255200123, action: 'ALLOW', httpRequest: { clientIp: '192.0.2.10', uri: '/' },
      ruleGroupList: [
        { ruleGroupId: 'A', nonTerminatingMatchingRules: [{ ruleId: 'a0' }] },
        { ruleGroupId: 'B', nonTerminatingMatchingRules: [{ ruleId: 'b0' }, { ruleId: 'b1' }] },
      ],
    };
    const [doc] = docs(await run(p, WAF_KEY, JSON.stringify(record) + '\n'));
    expect(doc._source.typed).toEqual({ ruleGroupList: { ruleGroupId: ['A', 'B'], 1: { nonTerminatingMatchingRules: { 0: { ruleId: 'b0' } } } } });
  });

  it('lets user.ini type a new path: the template maps typed.<path> and the loader fills it', async () => {
    const p = pipeline({ userIni: '[cloudtrail]\nlong_fields = requestParameters.maxResults\nkeyword_fields = requestParameters.bucketName requestParameters.groupId' });
    const ct = propsOf(indexTemplates(p).find((t) => t.name === 'siem-log-aws-cloudtrail-mappings'));
    expect(ct.typed.properties!.requestParameters.properties).toEqual({
      bucketName: { type: 'keyword', ignore_above: 1024 },
      groupId: { type: 'keyword', ignore_above: 1024 },
      maxResults: { type: 'long' },
    });
    const record = { eventTime: '2026-11-21T10:10:00Z', eventID: 'ev-user', eventName: 'DescribeSecurityGroups', requestParameters: { maxResults: 50, groupId: 'sg-1' } };
    const [doc] = docs(await run(p, CT_KEY, JSON.stringify({ Records: [record] })));
    expect(doc._source.typed).toEqual({ requestParameters: { maxResults: 50, groupId: 'sg-1' } });
  });
});

describe('Field model: configuration errors name file, section and key', () => {
  const fails = (userIni: string) => () => indexTemplates(pipeline({ userIni }));

  it('rejects a flat_object field itself, an ECS field with another type, a typed.* path and a path listed twice', () => {
    expect(fails('[waf]\nkeyword_fields = ruleGroupList')).toThrow(
      '[waf] keyword_fields: "ruleGroupList" is a flat_object field; list the paths inside it that should be typed, e.g. ruleGroupList.<name>',
    );
    expect(fails('[vpcflowlogs]\nkeyword_fields = source.port')).toThrow('[vpcflowlogs] keyword_fields: "source.port" is an ECS field mapped as long (ecs/fields.ts); its type cannot be changed here');
    expect(fails('[vpcflowlogs]\nlong_fields = typed.bytes')).toThrow('[vpcflowlogs] long_fields: "typed.bytes": typed.* holds the loader\'s typed copies; list the original path instead');
    expect(fails('[vpcflowlogs]\ndouble_fields = bytes')).toThrow('[vpcflowlogs] double_fields: "bytes" is also listed in long_fields; give each field one type');
  });

  it('rejects two types for one field in the log types that share an index', () => {
    expect(fails('[nlb]\nlong_fields = client_port\ndouble_fields = sent_bytes')).toThrow(
      '[nlb] double_fields: "sent_bytes" is typed double here but long in [alb], which shares index log-aws-elb; give it one type',
    );
  });
});
