/**
 * The organization context of the loader (lambdas/es-loader/enrich/organization.ts): account names, OU
 * paths, tags and trusted proxies from accounts/, written at synth into one S3 object in the geo bucket
 * (`OrganizationContext/organization-context.json`) that the loader reads once per container.
 *
 * An S3 object rather than environment variables: Lambda's environment is limited to 4 KB in total, and
 * 300 members with an OU and two tags take about 30 KB. The object's content is in the plan (a change of
 * accounts/ shows as a diff of this object), and its SHA-256 goes into the loader's environment so that a
 * change also replaces the function's configuration (new containers read the new content).
 *
 * `loader.organizationContext: false` leaves the accounts out; the object exists only when it has
 * something to say (accounts, or trusted proxies for clientip_xff).
 */
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct } from 'constructs';
import { organizationContextFromConfig, organizationContextJson, ORGANIZATION_CONTEXT_KEY, type OrganizationSource } from '../lambdas/es-loader/enrich/organization';
import { organizationContextEnvironment } from '../lambdas/es-loader/runtime/organization';

export interface OrganizationContextProps {
  /** The validated organization (accounts/); `loader.organizationContext` and `loader.trustedProxies` decide the content. */
  readonly organization: OrganizationSource & { readonly loader: { readonly organizationContext: boolean } };
  /** The geo bucket's name and its resource's `id` attribute (the object waits for the bucket). */
  readonly bucket: { readonly name: string; readonly resourceId: string };
  /** The central key (the bucket's default encryption; named so that the object never falls back to SSE-S3). */
  readonly keyArn: string;
  /** Receives ORGANIZATION_CONTEXT_KEY and ORGANIZATION_CONTEXT_SHA256 (the es-loader construct's addEnvironment). */
  readonly loader: { addEnvironment(variables: Readonly<Record<string, string>>): void };
}

export class OrganizationContextObject extends Construct {
  /** The JSON written, or undefined when there is nothing to write. */
  readonly content?: string;

  constructor(scope: Construct, id: string, props: OrganizationContextProps) {
    super(scope, id);
    const org = props.organization;
    const file = organizationContextFromConfig(org);
    if (!org.loader.organizationContext) file.accounts = {};
    if (Object.keys(file.accounts).length === 0 && file.trustedProxies.length === 0) return;
    this.content = organizationContextJson(file);
    new S3Object(this, 'object', {
      bucket: props.bucket.resourceId,
      key: ORGANIZATION_CONTEXT_KEY,
      content: this.content,
      contentType: 'application/json',
      serverSideEncryption: 'aws:kms',
      kmsKeyId: props.keyArn,
    });
    props.loader.addEnvironment(organizationContextEnvironment(ORGANIZATION_CONTEXT_KEY, this.content));
  }
}
