/** The real SDK client for an engine stack, and the waits and failure capture the API suites share. */
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll } from 'vitest';
import type { EngineOptions } from '@baton/engine';
import { ACCESS_KEY_ID, SECRET_KEY, startEngineStack, type Backend, type EngineStack } from './engine-stack.js';

export function sdkClient(stack: EngineStack): S.SFNClient {
  return new S.SFNClient({
    endpoint: stack.url,
    region: 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}

/** The SDK exception a call raised (fails the test when it succeeds). */
export async function failure(p: Promise<unknown>): Promise<S.SFNServiceException> {
  try {
    await p;
  } catch (e) {
    return e as S.SFNServiceException;
  }
  throw new Error('expected the call to fail');
}

export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function finished(sfn: S.SFNClient, executionArn: string): Promise<S.DescribeExecutionCommandOutput> {
  return until(
    () => sfn.send(new S.DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING',
    `${executionArn} to finish`,
  );
}

/**
 * An engine stack and an SDK client for the suite it is called in (started before its tests, stopped after them).
 * Read `stack` and `sfn` inside tests, once `beforeAll` has run.
 */
export function suiteStack(backend: Backend, engineOptions: Partial<Omit<EngineOptions, 'store' | 'queue'>> = {}): { stack: EngineStack; sfn: S.SFNClient } {
  const suite = {} as { stack: EngineStack; sfn: S.SFNClient };
  beforeAll(async () => {
    suite.stack = await startEngineStack(backend, engineOptions);
    suite.sfn = sdkClient(suite.stack);
  });
  afterAll(async () => {
    suite.sfn?.destroy();
    await suite.stack?.stop();
  });
  return suite;
}
