/**
 * Rules that tie several fields of `organization.yaml` together (one field alone is checked by its
 * schema). They run inside the schema's validation (`organizationFileSchema`), so `npm run synth` and
 * the onboarding CLI report them with every other problem, each as `file: field: message`, before any
 * construct is built. Each rule cites why AWS (or the SIEM) needs it.
 *
 * The input type is structural (the fields the rules read), so this file does not import the schema
 * that calls it.
 */
import { bucketPatternMatches } from '../lambdas/es-loader/storage/bucket-pattern';

/** One broken rule: the dotted field it is reported on and what to do. */
export interface RuleProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The parts of the organization file the rules read. */
export interface OrganizationRulesInput {
  readonly security: { readonly region: string; readonly accountId?: string };
  readonly opensearch: {
    readonly instanceCount: number;
    readonly dedicatedMaster?: unknown;
    readonly zoneAwareness?: { readonly availabilityZoneCount: number };
    readonly network: { readonly mode: 'public'; readonly allowedCidrs?: readonly string[] } | { readonly mode: 'vpc'; readonly subnetIds: readonly string[] };
    readonly indexRetentionDays: number;
    readonly warmAfterDays?: number;
    readonly coldAfterDays?: number;
    readonly ultraWarm?: unknown;
    readonly login?: {
      readonly saml?: { readonly metadataXml: string; readonly entityId: string };
      readonly cognito?: unknown;
      readonly internalUser?: unknown;
    };
  };
  readonly logBucket: {
    readonly transitionToInfrequentAccessDays?: number;
    readonly transitionToGlacierDays?: number;
    readonly expirationDays?: number;
    readonly objectLock?: { readonly days: number };
  };
  readonly geoip: { readonly licenseKeyParameter?: string; readonly licenseKeySecret?: string };
  readonly threatIntel: { readonly otxKeyParameter?: string; readonly otxKeySecret?: string };
  readonly logArchive?: { readonly region: string; readonly notificationMode: 'eventbridge' | 'direct'; readonly manageBucketNotifications: boolean };
  readonly prefix?: string;
  readonly securityLake?: { readonly accountId: string; readonly region: string; readonly subscriberRoleArn: string; readonly queue: string; readonly buckets?: readonly string[] };
}

/** OpenSearch domain sizing and storage tiers (OpenSearch Service developer guide). */
function openSearchRules(o: OrganizationRulesInput['opensearch']): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const zones = o.zoneAwareness?.availabilityZoneCount;
  if (zones !== undefined && o.instanceCount % zones !== 0) {
    problems.push({
      path: ['opensearch', 'instanceCount'],
      message: `${o.instanceCount} must be a multiple of opensearch.zoneAwareness.availabilityZoneCount (${zones}) so that every zone holds the same number of nodes`,
    });
  }
  if (o.network.mode === 'vpc') {
    const subnets = o.network.subnetIds.length;
    if (zones !== undefined && subnets !== zones) {
      problems.push({ path: ['opensearch', 'network', 'subnetIds'], message: `lists ${subnets} subnets; with zone awareness over ${zones} zones give one subnet per zone` });
    }
    if (zones === undefined && subnets !== 1) {
      problems.push({ path: ['opensearch', 'network', 'subnetIds'], message: `lists ${subnets} subnets; without zone awareness OpenSearch takes exactly one` });
    }
  }
  // "UltraWarm requires dedicated master nodes" and warm/cold storage need UltraWarm nodes ("UltraWarm storage").
  if ((o.warmAfterDays !== undefined || o.coldAfterDays !== undefined) && !o.ultraWarm) {
    problems.push({
      path: ['opensearch', o.warmAfterDays !== undefined ? 'warmAfterDays' : 'coldAfterDays'],
      message: 'needs opensearch.ultraWarm (instanceType, count): OpenSearch Service moves indices to warm and cold storage only when the domain has UltraWarm nodes',
    });
  }
  if (o.ultraWarm && !o.dedicatedMaster) {
    problems.push({ path: ['opensearch', 'ultraWarm'], message: 'needs opensearch.dedicatedMaster: OpenSearch Service enables UltraWarm only on domains with dedicated master nodes' });
  }
  // The index lifecycle (ISM) against the storage tiers.
  if (o.coldAfterDays !== undefined && o.warmAfterDays === undefined) {
    // "You can only migrate indexes to cold storage from UltraWarm" (OpenSearch Service developer guide, "Cold storage").
    problems.push({ path: ['opensearch', 'coldAfterDays'], message: 'needs opensearch.warmAfterDays: OpenSearch Service moves indices to cold storage only from UltraWarm' });
  }
  if (o.coldAfterDays !== undefined && o.warmAfterDays !== undefined && o.coldAfterDays <= o.warmAfterDays) {
    problems.push({ path: ['opensearch', 'coldAfterDays'], message: `${o.coldAfterDays} must be later than opensearch.warmAfterDays (${o.warmAfterDays})` });
  }
  for (const field of ['warmAfterDays', 'coldAfterDays'] as const) {
    const days = o[field];
    if (days !== undefined && days >= o.indexRetentionDays) {
      problems.push({ path: ['opensearch', field], message: `${days} must be less than opensearch.indexRetentionDays (${o.indexRetentionDays}): indices are deleted before they would move` });
    }
  }
  return problems;
}

/** The `entityID` attribute of a SAML metadata document's EntityDescriptor. */
export function samlMetadataEntityId(xml: string): string | undefined {
  return /<(?:\w+:)?EntityDescriptor\b[^>]*?\sentityID\s*=\s*["']([^"']+)["']/.exec(xml)?.[1];
}

/** Dashboards login (docs/login.md) against what OpenSearch Service accepts and what users can reach. */
function loginRules(o: OrganizationRulesInput['opensearch']): RuleProblem[] {
  const login = o.login;
  if (!login) return [];
  const problems: RuleProblem[] = [];
  // "You can't enable both SAML and Amazon Cognito authentication for OpenSearch Dashboards"
  // (OpenSearch Service developer guide, "SAML authentication for OpenSearch Dashboards").
  if (login.saml && login.cognito) {
    problems.push({ path: ['opensearch', 'login', 'cognito'], message: 'opensearch.login.saml is set too; OpenSearch Service takes SAML or Cognito for Dashboards, not both. Keep one' });
  }
  if (login.saml) {
    const inMetadata = samlMetadataEntityId(login.saml.metadataXml);
    if (inMetadata === undefined) {
      problems.push({ path: ['opensearch', 'login', 'saml', 'metadataXml'], message: 'has no EntityDescriptor with an entityID; paste the whole metadata file of the identity provider (IAM Identity Center: "IAM Identity Center SAML metadata file")' });
    } else if (inMetadata !== login.saml.entityId) {
      problems.push({ path: ['opensearch', 'login', 'saml', 'entityId'], message: `is ${JSON.stringify(login.saml.entityId)} but the metadata's entityID is ${JSON.stringify(inMetadata)}; OpenSearch rejects assertions whose issuer differs. Use the metadata's value` });
    }
  }
  // SAML and internal-user logins are browser requests without a SigV4 signature: the domain's access
  // policy must let them in, which it does from opensearch.network.allowedCidrs (public) or from the VPC.
  const unsigned = login.saml ? 'saml' : login.internalUser ? 'internalUser' : undefined;
  if (unsigned && o.network.mode === 'public' && (o.network.allowedCidrs ?? []).length === 0) {
    problems.push({
      path: ['opensearch', 'network', 'allowedCidrs'],
      message: `is empty, so the domain answers only signed IAM requests and nobody could log in with opensearch.login.${unsigned}. List the networks Dashboards users come from, or use network mode "vpc"`,
    });
  }
  return problems;
}

/** The log bucket's lifecycle against S3's minimum storage durations and Object Lock. */
function logBucketRules(b: OrganizationRulesInput['logBucket']): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (b.transitionToGlacierDays !== undefined && b.transitionToInfrequentAccessDays !== undefined && b.transitionToGlacierDays < b.transitionToInfrequentAccessDays + 30) {
    problems.push({
      path: ['logBucket', 'transitionToGlacierDays'],
      message: `${b.transitionToGlacierDays} must be at least 30 days after logBucket.transitionToInfrequentAccessDays (${b.transitionToInfrequentAccessDays}); S3 bills Standard-IA for 30 days at least`,
    });
  }
  if (b.expirationDays !== undefined && b.objectLock && b.expirationDays < b.objectLock.days) {
    problems.push({ path: ['logBucket', 'expirationDays'], message: `${b.expirationDays} is shorter than the Object Lock retention (${b.objectLock.days} days); objects could not expire` });
  }
  return problems;
}

function geoIpRules(g: OrganizationRulesInput['geoip']): RuleProblem[] {
  if (g.licenseKeyParameter && g.licenseKeySecret) {
    return [{ path: ['geoip', 'licenseKeySecret'], message: 'geoip.licenseKeyParameter is set too; keep one of the two (the parameter would win)' }];
  }
  return [];
}

function threatIntelRules(t: OrganizationRulesInput['threatIntel']): RuleProblem[] {
  if (t.otxKeyParameter && t.otxKeySecret) {
    return [{ path: ['threatIntel', 'otxKeySecret'], message: 'threatIntel.otxKeyParameter is set too; keep one of the two (the parameter would win)' }];
  }
  return [];
}

function controlTowerRules(org: OrganizationRulesInput): RuleProblem[] {
  const la = org.logArchive;
  if (!la) return [];
  const problems: RuleProblem[] = [];
  // Lambda polls SQS queues only in its own Region (cross-account works, cross-Region does not:
  // AWS Lambda Developer Guide, "Using Lambda with Amazon SQS" and its cross-account tutorial).
  if (la.region !== org.security.region) {
    problems.push({
      path: ['logArchive', 'region'],
      message: `is ${la.region} but security.region is ${org.security.region}; the es-loader can only consume the Control Tower queue in its own Region. Deploy the SIEM in the Control Tower home Region, or set logArchive.region to it`,
    });
  }
  if (la.notificationMode === 'direct' && !la.manageBucketNotifications) {
    problems.push({
      path: ['logArchive', 'manageBucketNotifications'],
      message:
        'is false but logArchive.notificationMode is "direct": a direct notification exists only in the bucket configuration the stack would then not write. ' +
        'Use notificationMode "eventbridge" (and switch EventBridge on for the buckets by hand), or set manageBucketNotifications to true',
    });
  }
  return problems;
}

function securityLakeRules(org: OrganizationRulesInput): RuleProblem[] {
  const sl = org.securityLake;
  if (!sl) return [];
  const problems: RuleProblem[] = [];
  // Lambda polls SQS queues only in its own Region (AWS Lambda Developer Guide, "Using Lambda with
  // Amazon SQS"), and a Security Lake subscriber sees the data of its own Region only (Security Lake
  // User Guide, "Subscriber management"): the subscriber must be in the SIEM's Region.
  if (sl.region !== org.security.region) {
    problems.push({
      path: ['securityLake', 'region'],
      message: `is ${sl.region} but security.region is ${org.security.region}; the es-loader can only consume the subscriber queue in its own Region. Create the subscriber in ${org.security.region} (a rollup Region can collect the others), or deploy the SIEM in ${sl.region}`,
    });
  }
  const [, , , queueRegion, queueAccount] = sl.queue.split(':');
  if (queueRegion !== sl.region || queueAccount !== sl.accountId) {
    problems.push({
      path: ['securityLake', 'queue'],
      message: `is in ${queueRegion} of account ${queueAccount}, but securityLake names ${sl.region} of account ${sl.accountId}; Security Lake creates the subscriber queue in its own account and the subscriber's Region. Copy the "Subscription endpoint" of the subscriber`,
    });
  }
  const roleAccount = sl.subscriberRoleArn.split(':')[4];
  if (roleAccount !== sl.accountId) {
    problems.push({
      path: ['securityLake', 'subscriberRoleArn'],
      message: `is a role of account ${roleAccount}, but securityLake.accountId is ${sl.accountId}; Security Lake creates the subscriber role in its own account. Copy the "AWS role ID" of the subscriber`,
    });
  }
  // A pattern that also matched the SIEM's own log bucket would make the loader read it with the
  // subscriber role, which cannot.
  const ownLogBucket = org.prefix && org.security.accountId ? `${org.prefix}-${org.security.accountId}-log` : undefined;
  for (const [i, b] of (sl.buckets ?? []).entries()) {
    if (ownLogBucket && bucketPatternMatches(b, ownLogBucket)) {
      problems.push({ path: ['securityLake', 'buckets', i], message: `${JSON.stringify(b)} matches the SIEM's own log bucket ${ownLogBucket}; name the Security Lake buckets only (aws-security-data-lake-<region>-*)` });
    }
  }
  return problems;
}

/** Every broken cross-field rule of the organization file, grouped by section. */
export function organizationRuleProblems(org: OrganizationRulesInput): RuleProblem[] {
  return [...logBucketRules(org.logBucket), ...openSearchRules(org.opensearch), ...loginRules(org.opensearch), ...geoIpRules(org.geoip), ...threatIntelRules(org.threatIntel), ...controlTowerRules(org), ...securityLakeRules(org)];
}

/** Adapter for zod's superRefine: one custom issue per broken rule. */
export function checkOrganizationRules(org: OrganizationRulesInput, ctx: { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void }): void {
  for (const p of organizationRuleProblems(org)) ctx.addIssue({ code: 'custom', path: [...p.path], message: p.message });
}
