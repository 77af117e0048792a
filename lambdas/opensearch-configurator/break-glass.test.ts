import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { generatePassword, secretsManagerPasswords, type SecretsClient } from './break-glass';

/** A Secrets Manager stand-in: one secret, created by Terraform without a value. */
function fakeSecrets(initial?: { value: string; version: string }) {
  const calls: string[] = [];
  let current = initial;
  const client: SecretsClient = {
    async send(command) {
      if (command instanceof GetSecretValueCommand) {
        calls.push(`GetSecretValue ${command.input.SecretId}`);
        if (!current) throw Object.assign(new Error("Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"), { name: 'ResourceNotFoundException' });
        return { SecretString: current.value, VersionId: current.version };
      }
      if (command instanceof PutSecretValueCommand) {
        calls.push(`PutSecretValue ${command.input.SecretId}`);
        current = { value: command.input.SecretString!, version: command.input.ClientRequestToken! };
        return { VersionId: current.version };
      }
      throw new Error('unexpected command');
    },
  };
  return { client, calls, value: () => current };
}

describe('Function: opensearch-configurator break-glass password', () => {
  it('generates passwords OpenSearch accepts: 32 characters with upper, lower, digit and symbol, never the same', () => {
    const a = generatePassword();
    expect(a).toHaveLength(32);
    expect(a).toMatch(/[A-Z]/);
    expect(a).toMatch(/[a-z]/);
    expect(a).toMatch(/[0-9]/);
    expect(a).toMatch(/[^A-Za-z0-9]/);
    expect(generatePassword()).not.toBe(a);
  });

  it('first run: the secret has no value, so a password is generated into it and returned with its version', async () => {
    const sm = fakeSecrets();
    const got = await secretsManagerPasswords(sm.client)('aes-siem/opensearch/break-glass');
    expect(sm.calls).toEqual(['GetSecretValue aes-siem/opensearch/break-glass', 'PutSecretValue aes-siem/opensearch/break-glass', 'GetSecretValue aes-siem/opensearch/break-glass']);
    expect(got).toEqual({ password: sm.value()!.value, versionId: sm.value()!.version });
    expect(got.password).toHaveLength(32);
  });

  it('later runs: the stored password is used as it is (a value put by hand included)', async () => {
    const sm = fakeSecrets({ value: 'Set-By-Hand-123!', version: 'v-hand' });
    expect(await secretsManagerPasswords(sm.client)('s')).toEqual({ password: 'Set-By-Hand-123!', versionId: 'v-hand' });
    expect(sm.calls).toEqual(['GetSecretValue s']);
  });

  it('an access error names the secret and is not taken for an empty secret', async () => {
    const client: SecretsClient = {
      send: async () => {
        throw Object.assign(new Error('User is not authorized to perform: secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' });
      },
    };
    await expect(secretsManagerPasswords(client)('aes-siem/opensearch/break-glass')).rejects.toThrow(
      'Break-glass user: cannot read secret aes-siem/opensearch/break-glass: AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue',
    );
  });
});
