/**
 * A minimal AWS STS endpoint for tests, in the AWS Query protocol (form-encoded `Action=AssumeRole&Version=
 * 2011-06-15&...`, XML answers), following the STS API reference page "AssumeRole"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html): `RoleArn`, `RoleSessionName` (2-64
 * characters of `[\w+=,.@-]`), `ExternalId`, `DurationSeconds` (900-43200, default 3600); the answer's
 * `AssumeRoleResult` carries `Credentials` (`AccessKeyId`, `SecretAccessKey`, `SessionToken`, `Expiration`) and
 * `AssumedRoleUser`. Errors use the Query `ErrorResponse` shape: AccessDenied (403) for a role the test did not
 * allow, "User: ... is not authorized to perform: sts:AssumeRole on resource: <role>", ValidationError (400) for
 * a bad session name or duration. Every call is recorded; `expiresInSeconds` shortens the credentials' life so
 * tests can see them renewed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { callerOf, listen, type Caller, type RunningServer } from './http-util.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface AssumeRoleCall extends Caller {
  RoleArn: string;
  RoleSessionName: string;
  ExternalId: string | undefined;
  DurationSeconds: number;
  /** The access key id handed out. */
  issued?: string;
}

export interface StsTestServer extends RunningServer {
  readonly calls: AssumeRoleCall[];
  /** Roles AssumeRole may assume (others: AccessDenied). */
  allow(roleArn: string): void;
  /** Credentials issued from now on expire this many seconds after issue (default: DurationSeconds). */
  expiresInSeconds: number | undefined;
  /** Which role (and session) issued an access key id. */
  issuedTo(accessKeyId: string): AssumeRoleCall | undefined;
}

function xml(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}

function error(res: ServerResponse, status: number, code: string, message: string): void {
  const id = randomUUID();
  xml(res, status, `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`, id);
}

export async function startStsServer(): Promise<StsTestServer> {
  const allowed = new Set<string>();
  const calls: AssumeRoleCall[] = [];
  const server: StsTestServer = {
    endpoint: '',
    close: async () => {},
    calls,
    allow: (arn) => void allowed.add(arn),
    expiresInSeconds: undefined,
    issuedTo: (key) => calls.find((c) => c.issued === key),
  };
  const running = await listen((req, body, res) => {
    const form = new URLSearchParams(body);
    if (form.get('Action') !== 'AssumeRole') return error(res, 400, 'InvalidAction', `Could not find operation ${form.get('Action')} for version 2011-06-15`);
    const call: AssumeRoleCall = {
      RoleArn: form.get('RoleArn') ?? '',
      RoleSessionName: form.get('RoleSessionName') ?? '',
      ExternalId: form.get('ExternalId') ?? undefined,
      DurationSeconds: Number(form.get('DurationSeconds') ?? 3600),
      ...callerOf(req),
    };
    calls.push(call);
    if (!/^[\w+=,.@-]{2,64}$/.test(call.RoleSessionName)) {
      return error(res, 400, 'ValidationError', "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }
    if (!(call.DurationSeconds >= 900 && call.DurationSeconds <= 43200)) {
      return error(res, 400, 'ValidationError', "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
    }
    if (!allowed.has(call.RoleArn)) {
      return error(res, 403, 'AccessDenied', `User: arn:aws:iam::123456789012:user/${call.accessKeyId ?? 'anonymous'} is not authorized to perform: sts:AssumeRole on resource: ${call.RoleArn}`);
    }
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    call.issued = accessKeyId;
    const requestId = randomUUID();
    const expiration = new Date(Date.now() + (server.expiresInSeconds ?? call.DurationSeconds) * 1000).toISOString();
    xml(res, 200, `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>`
      + `<AssumedRoleUser><Arn>${call.RoleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${call.RoleSessionName}</Arn>`
      + `<AssumedRoleId>AROA${randomBytes(6).toString('hex').toUpperCase()}:${call.RoleSessionName}</AssumedRoleId></AssumedRoleUser>`
      + `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${randomBytes(20).toString('base64')}</SecretAccessKey>`
      + `<SessionToken>${randomBytes(32).toString('base64')}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`
      + `<PackedPolicySize>0</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`
      + `</AssumeRoleResponse>`, requestId);
  });
  return Object.assign(server, { endpoint: running.endpoint, close: running.close });
}
