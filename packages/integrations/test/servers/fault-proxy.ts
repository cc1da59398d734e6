/**
 * A pass-through HTTP proxy that answers the next N requests itself with a service's throttling error, so tests
 * can prove a Retry rule sees the error as AWS names it (through the SDK's real error parsing), in front of
 * emulators that never throttle. The error bodies follow each protocol's documented error shape:
 * AWS JSON 1.0 (`{"__type", "message"}`: DynamoDB "ProvisionedThroughputExceededException", SQS "RequestThrottled"
 * with the `x-amzn-query-error` header) and the AWS Query XML `ErrorResponse` (SNS "Throttled").
 */
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listen, type RunningServer } from './http-util.js';

export type Throttle = 'dynamodb' | 'sqs' | 'sns';

export interface FaultProxy extends RunningServer {
  throttleNext(count: number): void;
  readonly throttled: number;
}

export async function startFaultProxy(target: string, kind: Throttle): Promise<FaultProxy> {
  let pending = 0;
  let throttled = 0;
  const upstream = new URL(target);
  const running = await listen((req, body, res) => {
    const requestId = randomUUID();
    if (pending > 0) {
      pending--;
      throttled++;
      if (kind === 'sns') {
        const xml = `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
        res.writeHead(400, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
        return void res.end(xml);
      }
      const type = kind === 'dynamodb' ? 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException' : 'com.amazonaws.sqs#RequestThrottled';
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId,
        ...(kind === 'sqs' ? { 'x-amzn-query-error': 'RequestThrottled;Sender' } : {}),
      });
      return void res.end(JSON.stringify({ __type: type, message: 'Rate exceeded' }));
    }
    return new Promise<void>((resolve, reject) => {
      const headers = { ...req.headers, host: upstream.host };
      const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        ur.pipe(res);
        ur.on('end', resolve);
      });
      up.on('error', reject);
      up.end(body);
    });
  });
  return {
    endpoint: running.endpoint,
    close: running.close,
    throttleNext: (count) => void (pending = count),
    get throttled() {
      return throttled;
    },
  };
}
