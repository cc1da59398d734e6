/**
 * A minimal AWS Secrets Manager endpoint for tests, in the AWS JSON 1.1 protocol (`X-Amz-Target:
 * secretsmanager.<Action>`), following the Secrets Manager API reference pages "CreateSecret"
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html: `ARN`, `Name`,
 * `VersionId`; names of ASCII letters, digits and `/_+=.@-`, ResourceExistsException for a taken name),
 * "GetSecretValue" (API_GetSecretValue.html: `ARN`, `Name`, `VersionId`, `SecretString` or `SecretBinary`,
 * `VersionStages`, `CreatedDate`), "DescribeSecret", "ListSecrets" (`SecretList`), "PutSecretValue" and
 * "DeleteSecret" (`ForceDeleteWithoutRecovery`). A secret is found by name or ARN; an unknown one answers
 * ResourceNotFoundException "Secrets Manager can't find the specified secret.". A name Secrets Manager refuses
 * answers ValidationException (not in the service model: the SDK's base exception), with the message AWS
 * recorded for it. Every call is recorded with the key that signed it (tests check assumed-role signing).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { callerOf, jsonError, jsonReply, jsonTarget, listen, type Caller, type RunningServer } from './http-util.js';

const CT = 'application/x-amz-json-1.1';
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

interface Secret {
  arn: string;
  name: string;
  versionId: string;
  secretString?: string;
  secretBinary?: string;
  createdDate: number;
}

export interface SecretsManagerCall extends Caller {
  action: string;
  input: Record<string, unknown>;
}

export interface SecretsManagerTestServer extends RunningServer {
  readonly calls: SecretsManagerCall[];
  /** Stores a secret directly (as EventBridge CreateConnection does on AWS); returns its ARN. */
  put(name: string, secretString: string): string;
}

export async function startSecretsManagerServer(region = 'us-east-1', account = '123456789012'): Promise<SecretsManagerTestServer> {
  const secrets = new Map<string, Secret>();
  const calls: SecretsManagerCall[] = [];
  const find = (id: unknown): Secret | undefined =>
    typeof id === 'string' ? (secrets.get(id) ?? [...secrets.values()].find((s) => s.arn === id)) : undefined;
  const create = (name: string, fields: Pick<Secret, 'secretString' | 'secretBinary'>): Secret => {
    const secret: Secret = {
      arn: `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${randomBytes(3).toString('hex')}`,
      name, versionId: randomUUID(), createdDate: Date.now() / 1000, ...fields,
    };
    secrets.set(name, secret);
    return secret;
  };
  const value = (s: Secret) => ({
    ARN: s.arn, Name: s.name, VersionId: s.versionId, VersionStages: ['AWSCURRENT'], CreatedDate: s.createdDate,
    ...(s.secretString !== undefined ? { SecretString: s.secretString } : {}),
    ...(s.secretBinary !== undefined ? { SecretBinary: s.secretBinary } : {}),
  });
  const describe = (s: Secret) => ({ ARN: s.arn, Name: s.name, CreatedDate: s.createdDate, VersionIdsToStages: { [s.versionId]: ['AWSCURRENT'] } });

  const running = await listen((req, body, res) => {
    const requestId = randomUUID();
    const action = jsonTarget(req, 'secretsmanager');
    if (!action) return jsonError(res, 400, CT, 'UnknownOperationException', 'Unknown operation', requestId);
    const input = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    calls.push({ action, input, ...callerOf(req) });
    const notFound = () => jsonError(res, 400, CT, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.", requestId);
    switch (action) {
      case 'CreateSecret': {
        const name = input.Name;
        if (typeof name !== 'string' || !NAME.test(name)) {
          return jsonError(res, 400, CT, 'ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!', requestId);
        }
        if (secrets.has(name)) return jsonError(res, 400, CT, 'ResourceExistsException', `The operation failed because the secret ${name} already exists.`, requestId);
        const s = create(name, {
          ...(typeof input.SecretString === 'string' ? { secretString: input.SecretString } : {}),
          ...(typeof input.SecretBinary === 'string' ? { secretBinary: input.SecretBinary } : {}),
        });
        return jsonReply(res, CT, { ARN: s.arn, Name: s.name, VersionId: s.versionId }, requestId);
      }
      case 'GetSecretValue': {
        const s = find(input.SecretId);
        return s ? jsonReply(res, CT, value(s), requestId) : notFound();
      }
      case 'DescribeSecret': {
        const s = find(input.SecretId);
        return s ? jsonReply(res, CT, describe(s), requestId) : notFound();
      }
      case 'ListSecrets':
        return jsonReply(res, CT, { SecretList: [...secrets.values()].map(describe) }, requestId);
      case 'PutSecretValue': {
        const s = find(input.SecretId);
        if (!s) return notFound();
        s.versionId = randomUUID();
        s.secretString = typeof input.SecretString === 'string' ? input.SecretString : undefined;
        return jsonReply(res, CT, { ARN: s.arn, Name: s.name, VersionId: s.versionId, VersionStages: ['AWSCURRENT'] }, requestId);
      }
      case 'DeleteSecret': {
        const s = find(input.SecretId);
        if (!s) return notFound();
        secrets.delete(s.name);
        return jsonReply(res, CT, { ARN: s.arn, Name: s.name, DeletionDate: Date.now() / 1000 }, requestId);
      }
      default:
        return jsonError(res, 400, CT, 'UnknownOperationException', `Unsupported operation ${action}`, requestId);
    }
  });
  return {
    endpoint: running.endpoint,
    close: running.close,
    calls,
    put: (name, secretString) => create(name, { secretString }).arn,
  };
}
