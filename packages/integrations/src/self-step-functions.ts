/**
 * Nested executions (`arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`) run inside Baton:
 * the invoker calls Baton's own Step Functions API, exactly as a Step Functions task calls AWS's. This builds that
 * client factory: the given endpoint (Baton's API, or AWS_ENDPOINT_URL_SFN when the user set one), signed with the
 * given access key when Baton's API checks signatures.
 */
import { SFNClient } from '@aws-sdk/client-sfn';

export interface StepFunctionsEndpoint {
  endpoint: string;
  /** An access key Baton's API accepts (BATON_ACCESS_KEYS); without one the API must run with auth off. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  requestTimeoutMs?: number;
}

export function stepFunctionsClientFactory(target: StepFunctionsEndpoint): (region: string) => SFNClient {
  const clients = new Map<string, SFNClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = new SFNClient({
        region,
        endpoint: target.endpoint,
        // StartSyncExecution's `sync-` host prefix would leave Baton's host.
        disableHostPrefix: true,
        // The state's own Retry decides about retries, as for every other integration.
        maxAttempts: 1,
        credentials: target.credentials ?? { accessKeyId: 'baton', secretAccessKey: 'baton-unsigned' },
        ...(target.requestTimeoutMs !== undefined ? { requestHandler: { requestTimeout: target.requestTimeoutMs } } : {}),
      });
      clients.set(region, client);
    }
    return client;
  };
}
