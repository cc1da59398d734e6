/**
 * A wire-level stand-in for CloudWatch Logs (no npm emulator exists): the AWS JSON 1.1 protocol, `POST /` with
 * `X-Amz-Target: Logs_20140328.<Action>`, for the two actions Baton calls. Log groups exist only when the test
 * creates them (as on AWS, where the user creates the group); CreateLogStream answers
 * ResourceAlreadyExistsException for a stream that exists; PutLogEvents refuses unknown streams and events out of
 * chronological order (InvalidParameterException) as the service does. `failPuts(n)` makes the next n
 * PutLogEvents calls answer 503 ServiceUnavailableException.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredEvent {
  group: string;
  stream: string;
  timestamp: number;
  message: string;
}

export class CloudWatchLogsServer {
  readonly groups = new Set<string>();
  readonly streams = new Map<string, StoredEvent[]>();
  readonly events: StoredEvent[] = [];
  readonly calls: { action: string; status: number; body: Record<string, unknown> }[] = [];
  private failing = 0;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const action = String(req.headers['x-amz-target'] ?? '').replace(/^Logs_20140328\./, '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        const [status, answer] = this.answer(action, body);
        this.calls.push({ action, status, body });
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'test' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  failPuts(n: number): void {
    this.failing = n;
  }

  /** The parsed messages delivered, in delivery order. */
  messages(): Record<string, unknown>[] {
    return this.events.map((e) => JSON.parse(e.message) as Record<string, unknown>);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(action: string, body: Record<string, unknown>): [number, Record<string, unknown>] {
    const error = (type: string, message: string, status = 400): [number, Record<string, unknown>] => [status, { __type: type, message }];
    const group = String(body.logGroupName);
    const stream = String(body.logStreamName);
    const key = `${group}\n${stream}`;
    switch (action) {
      case 'CreateLogStream':
        if (!this.groups.has(group)) return error('ResourceNotFoundException', 'The specified log group does not exist.');
        if (this.streams.has(key)) return error('ResourceAlreadyExistsException', 'The specified log stream already exists');
        this.streams.set(key, []);
        return [200, {}];
      case 'PutLogEvents': {
        if (this.failing > 0) {
          this.failing--;
          return error('ServiceUnavailableException', 'The service cannot complete the request.', 503);
        }
        const events = this.streams.get(key);
        if (!events) return error('ResourceNotFoundException', 'The specified log stream does not exist.');
        const logEvents = body.logEvents as { timestamp: number; message: string }[];
        for (let i = 1; i < logEvents.length; i++) {
          if (logEvents[i]!.timestamp < logEvents[i - 1]!.timestamp) {
            return error('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
          }
        }
        for (const e of logEvents) {
          const stored = { group, stream, timestamp: e.timestamp, message: e.message };
          events.push(stored);
          this.events.push(stored);
        }
        return [200, { nextSequenceToken: String(this.events.length) }];
      }
      default:
        return error('UnknownOperationException', `Unknown operation ${action}`);
    }
  }
}
