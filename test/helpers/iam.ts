/**
 * Exact allow/deny decisions of IAM policies with @cloud-copilot/iam-simulate (test-only: AGPL, never
 * imported by shipped code). The request context carries the keys AWS itself sets for the kind of
 * caller, so that conditions are evaluated as in AWS.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
export type Policy = { Version: string; Statement: any[] };

export interface ServiceCaller {
  readonly service: string;
  readonly sourceAccount: string;
  readonly sourceArn?: string;
}
export interface RoleCaller {
  readonly roleArn: string;
  /** Organization of the caller's account, if any. */
  readonly orgId?: string;
  /** The caller's identity policies (cross-account requests need an allow on both sides). */
  readonly identityPolicies?: readonly Policy[];
}
export type Caller = ServiceCaller | RoleCaller;

export interface SimulationRequest {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  readonly resourcePolicy?: Policy;
  readonly secureTransport?: boolean;
  /** Extra request context, e.g. s3:x-amz-server-side-encryption-aws-kms-key-id or kms:ViaService. */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

const ALLOW_ALL: Policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export function accountOf(roleArn: string): string {
  const account = roleArn.split(':')[4];
  if (!account) throw new Error(`not an ARN: ${roleArn}`);
  return account;
}

export async function decide(req: SimulationRequest): Promise<Decision> {
  const { caller } = req;
  const context: Record<string, string | string[]> = { 'aws:SecureTransport': String(req.secureTransport ?? true) };
  let principal: string;
  let identityPolicies: readonly Policy[] = [];
  if ('service' in caller) {
    principal = caller.service;
    context['aws:SourceAccount'] = caller.sourceAccount;
    if (caller.sourceArn) context['aws:SourceArn'] = caller.sourceArn;
    context['aws:PrincipalIsAWSService'] = 'true';
    context['aws:PrincipalServiceName'] = caller.service;
  } else {
    principal = caller.roleArn;
    context['aws:PrincipalAccount'] = accountOf(caller.roleArn);
    context['aws:PrincipalArn'] = caller.roleArn;
    context['aws:PrincipalIsAWSService'] = 'false';
    if (caller.orgId) context['aws:PrincipalOrgID'] = caller.orgId;
    identityPolicies = caller.identityPolicies ?? [ALLOW_ALL];
  }
  Object.assign(context, req.context ?? {});
  const response = await runSimulation(
    {
      identityPolicies: identityPolicies.map((policy, i) => ({ name: `identity-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: req.resourcePolicy,
      request: {
        action: req.action,
        principal,
        resource: { resource: req.resource, accountId: req.resourceAccount },
        contextVariables: context,
      },
    } as any,
    {},
  );
  if (response.resultType === 'error') throw new Error(`simulation rejected the request: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}
