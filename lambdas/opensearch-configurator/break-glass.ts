/**
 * The break-glass user's password. Terraform creates the Secrets Manager secret without a value (an
 * `aws_secretsmanager_secret` and no `aws_secretsmanager_secret_version`), so no password is ever in
 * the Terraform configuration or state. The configurator reads the secret's current value; on the
 * first run there is none, and it generates a random password and puts it into the secret itself.
 * The internal user records the secret's version (attributes.secret_version), so putting a new
 * value into the secret by hand and re-running the configurator changes the user's password.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ConfiguratorError, type PasswordSource, type SecretPassword } from './configurator';

/** The part of SecretsManagerClient used here (a stub in tests). */
export interface SecretsClient {
  send(command: GetSecretValueCommand | PutSecretValueCommand): Promise<{ SecretString?: string; VersionId?: string }>;
}

const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-.:=?@^_~'];

/**
 * A random password of `length` characters with upper and lower case letters, digits and symbols
 * (OpenSearch fine-grained access control requires each class and at least 8 characters).
 */
export function generatePassword(length = 32): string {
  const all = CLASSES.join('');
  const chars = CLASSES.map((c) => c[randomInt(c.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

const errorName = (err: unknown) => (err as { name?: string })?.name;

/** Reads the password from Secrets Manager, generating and storing one when the secret has no value yet. */
export function secretsManagerPasswords(client: SecretsClient): PasswordSource {
  return async (secretId) => {
    const current = async (): Promise<SecretPassword | undefined> => {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        if (!out.SecretString || !out.VersionId) return undefined;
        return { password: out.SecretString, versionId: out.VersionId };
      } catch (err) {
        // A secret without any version answers ResourceNotFoundException, like a missing secret; the
        // PutSecretValue below then tells the two apart.
        if (errorName(err) === 'ResourceNotFoundException') return undefined;
        throw new ConfiguratorError(`Break-glass user: cannot read secret ${secretId}: ${errorName(err) ?? 'Error'}: ${(err as Error).message}`, undefined, { cause: err });
      }
    };
    const existing = await current();
    if (existing) return existing;
    const versionId = randomUUID();
    try {
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: generatePassword(), ClientRequestToken: versionId }));
    } catch (err) {
      throw new ConfiguratorError(`Break-glass user: cannot store a generated password in secret ${secretId}: ${errorName(err) ?? 'Error'}: ${(err as Error).message}`, undefined, { cause: err });
    }
    const stored = await current();
    if (!stored) throw new ConfiguratorError(`Break-glass user: secret ${secretId} has no value after storing one`);
    return stored;
  };
}
