/**
 * How people log in to OpenSearch Dashboards (docs/login.md), and who they are inside OpenSearch:
 *
 * - SAML (IAM Identity Center, the documented default): the domain's SAML options are set by
 *   SiemDomain; here only the groups become backend roles (admin groups -> `all_access`, analyst
 *   groups -> `siem_analyst`).
 * - Amazon Cognito: a user pool (administrators create the users), its hosted UI domain, an identity
 *   pool, the role OpenSearch uses to configure Cognito, and one IAM role per user group (`admin`,
 *   `analyst`) whose ARN is the backend role. Identities get the analyst role unless the identity
 *   pool takes the role from the token (docs/login.md).
 * - A break-glass internal user: a Secrets Manager secret without a value. The configurator
 *   generates the password into it at deploy, so no password is in the Terraform configuration or
 *   state (lambdas/opensearch-configurator/break-glass.ts).
 *
 * The construct is built before the domain (the domain takes its Cognito ids); the names of the
 * domain and its ARN are known from the configuration.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CognitoIdentityPool } from '@cdktf/provider-aws/lib/cognito-identity-pool';
import { CognitoIdentityPoolRolesAttachment } from '@cdktf/provider-aws/lib/cognito-identity-pool-roles-attachment';
import { CognitoUserGroup } from '@cdktf/provider-aws/lib/cognito-user-group';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { arn } from './naming';
import { terraformPolicy } from './policies/document';

/** The organization's `opensearch.login` section (accounts/schema.ts) fits it as it is. */
export interface DashboardsLoginSettings {
  /** SAML through IAM Identity Center. Default: off. */
  readonly saml?: { readonly adminGroups: readonly string[]; readonly analystGroups: readonly string[] };
  /** Amazon Cognito user pool created here, with the hosted UI domain prefix. Default: off. */
  readonly cognito?: { readonly domainPrefix: string };
  /** Break-glass user of the internal user database. Default: none. */
  readonly internalUser?: { readonly username: string };
}

export interface DashboardsLoginProps {
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** ARN of the domain (known from its name). */
  readonly domainArn: string;
  /** The central key: encrypts the break-glass secret. */
  readonly kmsKeyArn: string;
  readonly settings: DashboardsLoginSettings;
}

/** AWS managed policy that lets OpenSearch Service configure Cognito for Dashboards. */
export const COGNITO_ACCESS_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonOpenSearchServiceCognitoAccess';

/** Name of the break-glass secret. */
export const breakGlassSecretName = (prefix: string) => `${prefix}/opensearch/break-glass`;

export class DashboardsLogin extends Construct {
  /** Backend roles and users mapped to `all_access` besides the master role. */
  readonly adminBackendRoles: string[] = [];
  readonly adminUsers: string[] = [];
  /** Backend roles mapped to `siem_analyst`. */
  readonly analystBackendRoles: string[] = [];
  /** The domain's `cognito_options`, when Cognito is the login. */
  readonly cognitoOptions?: { readonly userPoolId: string; readonly identityPoolId: string; readonly roleArn: string };
  /** Resources the domain must wait for (the Cognito role's policy). */
  readonly domainDependencies: IamRolePolicyAttachment[] = [];
  /** The break-glass user and the secret holding its password (`secretName` is what the configurator reads). */
  readonly breakGlass?: { readonly username: string; readonly secretName: string; readonly secret: SecretsmanagerSecret };
  /** Resources the configurator's run waits for (the secret, the Cognito roles). */
  readonly configuratorDependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: DashboardsLoginProps) {
    super(scope, id);
    const { prefix, accountId, settings } = props;

    if (settings.saml) {
      this.adminBackendRoles.push(...settings.saml.adminGroups);
      this.analystBackendRoles.push(...settings.saml.analystGroups);
    }

    if (settings.cognito) {
      const pool = new CognitoUserPool(this, 'user-pool', {
        name: `${prefix}-dashboards`,
        // Administrators create the users; nobody signs up.
        adminCreateUserConfig: { allowAdminCreateUserOnly: true },
        usernameAttributes: ['email'],
        autoVerifiedAttributes: ['email'],
        passwordPolicy: { minimumLength: 14, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 3 },
        mfaConfiguration: 'OPTIONAL',
        softwareTokenMfaConfiguration: { enabled: true },
        deletionProtection: 'ACTIVE',
      });
      new CognitoUserPoolDomain(this, 'user-pool-domain', { domain: settings.cognito.domainPrefix, userPoolId: pool.id });
      const identityPool = new CognitoIdentityPool(this, 'identity-pool', {
        identityPoolName: `${prefix.replace(/-/g, '_')}_dashboards`,
        allowUnauthenticatedIdentities: false,
        // OpenSearch Service adds its own app client as the identity provider when it enables Cognito.
        lifecycle: { ignoreChanges: ['cognito_identity_providers'] },
      });
      // "Configuring Amazon Cognito authentication for OpenSearch Dashboards": the role OpenSearch
      // Service assumes to configure the pools, with the AWS managed policy.
      const cognitoRole = new IamRole(this, 'cognito-access-role', {
        name: `${prefix}-dashboards-cognito`,
        description: 'OpenSearch Service configures the Dashboards user and identity pools',
        assumeRolePolicy: terraformPolicy([{ Effect: 'Allow', Principal: { Service: 'opensearchservice.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': accountId } } }]),
      });
      this.domainDependencies.push(new IamRolePolicyAttachment(this, 'cognito-access-policy', { role: cognitoRole.name, policyArn: COGNITO_ACCESS_POLICY_ARN }));

      const groupRole = (group: 'admin' | 'analyst', description: string) => {
        const role = new IamRole(this, `${group}-role`, {
          name: `${prefix}-dashboards-${group}`,
          description,
          assumeRolePolicy: terraformPolicy([
            {
              Effect: 'Allow',
              Principal: { Federated: 'cognito-identity.amazonaws.com' },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPool.id }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } },
            },
          ]),
        });
        // What the user may do inside OpenSearch is decided by fine-grained access control.
        new IamRolePolicy(this, `${group}-role-policy`, {
          name: 'dashboards',
          role: role.name,
          policy: terraformPolicy([{ Sid: 'OpenSearchHttp', Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${props.domainArn}/*` }]),
        });
        new CognitoUserGroup(this, `${group}-group`, { name: group, userPoolId: pool.id, roleArn: role.arn, precedence: group === 'admin' ? 1 : 10, description });
        this.configuratorDependencies.push(role);
        return role;
      };
      const adminRole = groupRole('admin', 'SIEM administrators in OpenSearch Dashboards (all_access)');
      const analystRole = groupRole('analyst', 'SIEM analysts in OpenSearch Dashboards (siem_analyst, read-only)');
      // Every signed-in identity gets the analyst role; the admin group's role applies once the identity
      // pool takes roles from the token of OpenSearch's app client (docs/login.md).
      new CognitoIdentityPoolRolesAttachment(this, 'identity-pool-roles', {
        identityPoolId: identityPool.id,
        roles: { authenticated: analystRole.arn },
        lifecycle: { ignoreChanges: ['role_mapping'] },
      });
      // Deterministic ARNs (not tokens), so that the configurator's desired-state hash is stable.
      this.adminBackendRoles.push(arn.role(accountId, adminRole.nameInput!));
      this.analystBackendRoles.push(arn.role(accountId, analystRole.nameInput!));
      this.cognitoOptions = { userPoolId: pool.id, identityPoolId: identityPool.id, roleArn: cognitoRole.arn };
    }

    if (settings.internalUser) {
      // No aws_secretsmanager_secret_version: the value is written by the configurator, so it never
      // appears in the Terraform configuration or state.
      const secret = new SecretsmanagerSecret(this, 'break-glass-secret', {
        name: breakGlassSecretName(prefix),
        description: `Password of the OpenSearch break-glass user ${settings.internalUser.username} (generated by the configurator)`,
        kmsKeyId: props.kmsKeyArn,
        recoveryWindowInDays: 7,
      });
      this.breakGlass = { username: settings.internalUser.username, secretName: breakGlassSecretName(prefix), secret };
      this.configuratorDependencies.push(secret);
      this.adminUsers.push(settings.internalUser.username);
    }
  }
}
