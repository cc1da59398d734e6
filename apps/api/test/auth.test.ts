/**
 * Signature Version 4 and bearer-key authentication of the API layer, through the real SDK and hand-signed
 * requests. The backend is the in-test InMemoryBackend: these tests are about the API's own checks.
 */
import { createHash } from 'node:crypto';
import { ListStateMachinesCommand, SFNServiceException } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer, parseAccessKeys } from '../src/index.js';
import { InMemoryBackend } from './support/in-memory-backend.js';
import { KEY_ID, SECRET, API_KEY, rawCall, signedHeaders, startServer, type Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startServer(new InMemoryBackend());
});
afterAll(() => h.close());

async function failure(p: Promise<unknown>): Promise<SFNServiceException> {
  try {
    await p;
  } catch (e) {
    return e as SFNServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('SigV4', () => {
  it('accepts a request signed with a configured key', async () => {
    const out = await h.client().send(new ListStateMachinesCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('refuses a wrong secret with InvalidSignatureException (403)', async () => {
    const c = h.client({ credentials: { accessKeyId: KEY_ID, secretAccessKey: 'wrong-secret' } });
    const e = await failure(c.send(new ListStateMachinesCommand({})));
    expect(e.name).toBe('InvalidSignatureException');
    expect(e.$metadata.httpStatusCode).toBe(403);
    expect(e.message).toMatch(/^The request signature we calculated does not match the signature you provided\./);
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const c = h.client({ credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: SECRET } });
    const e = await failure(c.send(new ListStateMachinesCommand({})));
    expect(e.name).toBe('UnrecognizedClientException');
    expect(e.message).toBe('The security token included in the request is invalid.');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses an unsigned request with MissingAuthenticationToken (403)', async () => {
    const r = await rawCall(h.url, { target: 'AWSStepFunctions.ListStateMachines', body: '{}', sign: false });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ __type: 'MissingAuthenticationToken', message: 'Missing Authentication Token' });
  });

  it('refuses an incomplete Authorization header with IncompleteSignature', async () => {
    const r = await rawCall(h.url, {
      target: 'AWSStepFunctions.ListStateMachines',
      body: '{}',
      sign: false,
      extraHeaders: { authorization: `AWS4-HMAC-SHA256 Credential=${KEY_ID}/20240101/us-east-1/states/aws4_request` },
    });
    expect(r.status).toBe(400);
    expect(r.body.__type).toBe('IncompleteSignature');
    expect(r.body.message).toContain("Authorization header requires 'Signature' parameter.");
  });

  it('refuses a body changed after signing', async () => {
    const headers = await signedHeaders(h.url, { target: 'AWSStepFunctions.ListStateMachines', body: '{}' });
    delete headers.host;
    const res = await fetch(h.url, { method: 'POST', headers, body: '{"maxResults":5}' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).__type).toBe('InvalidSignatureException');
  });

  it('refuses a request signed more than 5 minutes ago, in AWS words', async () => {
    const r = await rawCall(h.url, {
      target: 'AWSStepFunctions.ListStateMachines',
      body: '{}',
      signingDate: new Date(Date.now() - 6 * 60 * 1000),
    });
    expect(r.status).toBe(403);
    expect(r.body.__type).toBe('InvalidSignatureException');
    expect(r.body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    const future = await rawCall(h.url, {
      target: 'AWSStepFunctions.ListStateMachines',
      body: '{}',
      signingDate: new Date(Date.now() + 6 * 60 * 1000),
    });
    expect(future.body.message).toMatch(/^Signature not yet current: /);
  });

  it('lets the SDK correct its clock from the refusal, as it does with AWS', async () => {
    const skewed = h.client({ systemClockOffset: -10 * 60 * 1000 });
    const e = await failure(skewed.send(new ListStateMachinesCommand({})));
    expect(e.name).toBe('InvalidSignatureException');
    const retrying = h.client({ systemClockOffset: -10 * 60 * 1000, maxAttempts: 3 });
    const out = await retrying.send(new ListStateMachinesCommand({}));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  // AWS accepts a validly signed request again within its 5-minute window; botocore signs two identical calls in
  // the same second identically, so refusing repeats broke the AWS CLI (see aws-cli.test.ts).
  it('accepts the same signed request again within the window, as AWS does', async () => {
    const headers = await signedHeaders(h.url, { target: 'AWSStepFunctions.ListStateMachines', body: '{}' });
    delete headers.host;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(h.url, { method: 'POST', headers, body: '{}' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ stateMachines: [] });
    }
  });

  it('refuses a body its signature does not cover (UNSIGNED-PAYLOAD, streaming, a wrong hash)', async () => {
    for (const declared of ['UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'a'.repeat(64)]) {
      // A valid signature over the declared hash: the signer takes x-amz-content-sha256 as the payload hash.
      const headers = await signedHeaders(h.url, {
        target: 'AWSStepFunctions.ListStateMachines',
        body: '{}',
        extraHeaders: { 'x-amz-content-sha256': declared },
      });
      delete headers.host;
      const res = await fetch(h.url, { method: 'POST', headers, body: '{"maxResults":1}' });
      const body = (await res.json()) as any;
      expect(res.status, declared).toBe(403);
      expect(body.__type).toBe('InvalidSignatureException');
      expect(body.message).toMatch(declared === 'a'.repeat(64)
        ? /^The provided 'x-amz-content-sha256' header does not match what was computed\.$/
        : /every request body must be covered by its signature/);
    }
    // The body's own hash, declared and signed, is what the SDKs send for other services: accepted.
    const body = '{"maxResults":1}';
    const headers = await signedHeaders(h.url, {
      target: 'AWSStepFunctions.ListStateMachines',
      body,
      extraHeaders: { 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
    });
    delete headers.host;
    expect((await fetch(h.url, { method: 'POST', headers, body })).status).toBe(200);
  });

  it('never writes a secret or a signature to the log', async () => {
    await h.client().send(new ListStateMachinesCommand({}));
    const text = h.logs.join('\n');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('Signature=');
    expect(text).not.toContain(API_KEY);
  });
});

describe('authentication off', () => {
  it('is refused outside developer mode', () => {
    expect(() => new ApiServer({ backend: new InMemoryBackend(), auth: { mode: 'off' } })).toThrow(/developer mode/);
  });

  it('is refused on a non-loopback address', async () => {
    const s = new ApiServer({ backend: new InMemoryBackend(), auth: { mode: 'off' }, developerMode: true });
    await expect(s.listen(0, '0.0.0.0')).rejects.toThrow(/loopback/);
  });

  it('serves unsigned requests on loopback in developer mode', async () => {
    const s = new ApiServer({ backend: new InMemoryBackend(), auth: { mode: 'off' }, developerMode: true });
    const { url } = await s.listen(0, '127.0.0.1');
    try {
      const r = await rawCall(url, { target: 'AWSStepFunctions.ListStateMachines', body: '{}', sign: false });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ stateMachines: [] });
    } finally {
      await s.close();
    }
  });

  it('still signs-checks when keys are configured, whatever the mode', async () => {
    const s = new ApiServer({
      backend: new InMemoryBackend(),
      auth: { mode: 'sigv4', accessKeys: parseAccessKeys('A1:s1') },
      developerMode: true,
    });
    const { url } = await s.listen(0, '127.0.0.1');
    try {
      const r = await rawCall(url, { target: 'AWSStepFunctions.ListStateMachines', body: '{}', sign: false });
      expect(r.body.__type).toBe('MissingAuthenticationToken');
    } finally {
      await s.close();
    }
  });
});
