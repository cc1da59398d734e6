/**
 * A small OTLP/HTTP trace receiver for tests: `POST /v1/traces` in `application/json` (OTLP/JSON, ids in hex) or
 * `application/x-protobuf` (decoded here from the wire format: ExportTraceServiceRequest > ResourceSpans >
 * ScopeSpans > Span, only the fields the tests read). Every span received is kept with the service that sent it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  /** How it arrived: `json` or `protobuf`. */
  encoding: 'json' | 'protobuf';
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  /** 2 = error. */
  statusCode: number;
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly requests: { path: string; contentType: string }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const contentType = String(req.headers['content-type'] ?? '');
        this.requests.push({ path: req.url ?? '', contentType });
        try {
          if (req.url === '/v1/traces') {
            if (contentType.includes('json')) this.spans.push(...decodeJson(JSON.parse(body.toString('utf8'))));
            else if (contentType.includes('protobuf')) this.spans.push(...decodeProtobuf(body));
          }
          const json = contentType.includes('json');
          res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : Buffer.alloc(0));
        } catch (e) {
          res.writeHead(400).end(String(e));
        }
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// ------------------------------------------------------------------------------------ OTLP/JSON

interface JsonValue { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number }
interface JsonKv { key: string; value: JsonValue }
interface JsonSpan {
  traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number; startTimeUnixNano: string | number;
  endTimeUnixNano: string | number; attributes?: JsonKv[]; status?: { code?: number };
}
interface JsonRequest { resourceSpans?: { resource?: { attributes?: JsonKv[] }; scopeSpans?: { spans?: JsonSpan[] }[] }[] }

const jsonValue = (v: JsonValue): string | number | boolean =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.boolValue ?? v.doubleValue ?? '';

function decodeJson(req: JsonRequest): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const service = String(jsonValue(rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value ?? {}));
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          service, encoding: 'json', traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, kind: s.kind ?? 0,
          startNs: BigInt(s.startTimeUnixNano), endNs: BigInt(s.endTimeUnixNano),
          attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, jsonValue(a.value)])), statusCode: s.status?.code ?? 0,
        });
      }
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------ OTLP/protobuf

type Field = { no: number; wire: number; value: bigint | Buffer };

/** The fields of one protobuf message (varint, fixed64, length-delimited, fixed32). */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 1) {
      out.push({ no, wire, value: buf.readBigUInt64LE(i) });
      i += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 5) {
      out.push({ no, wire, value: BigInt(buf.readUInt32LE(i)) });
      i += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const bytes = (f: Field[], no: number): Buffer[] => f.filter((x) => x.no === no).map((x) => x.value as Buffer);
const one = (f: Field[], no: number): Field | undefined => f.find((x) => x.no === no);

function anyValue(buf: Buffer): string | number | boolean {
  const f = fields(buf)[0];
  if (!f) return '';
  switch (f.no) {
    case 1: return (f.value as Buffer).toString('utf8');
    case 2: return (f.value as bigint) !== 0n;
    case 3: return Number(f.value as bigint);
    case 4: return Buffer.from(new BigUint64Array([f.value as bigint]).buffer).readDoubleLE(0);
    default: return '';
  }
}

function keyValues(list: Buffer[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of list) {
    const f = fields(kv);
    const key = bytes(f, 1)[0]?.toString('utf8') ?? '';
    const value = bytes(f, 2)[0];
    out[key] = value ? anyValue(value) : '';
  }
  return out;
}

function decodeProtobuf(body: Buffer): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of bytes(fields(body), 1)) {
    const rsf = fields(rs);
    const resource = bytes(rsf, 1)[0];
    const service = String(resource ? keyValues(bytes(fields(resource), 1))['service.name'] ?? '' : '');
    for (const ss of bytes(rsf, 2)) {
      for (const span of bytes(fields(ss), 2)) {
        const f = fields(span);
        const status = bytes(f, 15)[0];
        out.push({
          service, encoding: 'protobuf',
          traceId: bytes(f, 1)[0]!.toString('hex'), spanId: bytes(f, 2)[0]!.toString('hex'),
          parentSpanId: bytes(f, 4)[0]?.toString('hex') ?? '', name: bytes(f, 5)[0]?.toString('utf8') ?? '',
          kind: Number((one(f, 6)?.value as bigint | undefined) ?? 0n),
          startNs: (one(f, 7)?.value as bigint | undefined) ?? 0n, endNs: (one(f, 8)?.value as bigint | undefined) ?? 0n,
          attributes: keyValues(bytes(f, 9)),
          statusCode: status ? Number((one(fields(status), 3)?.value as bigint | undefined) ?? 0n) : 0,
        });
      }
    }
  }
  return out;
}
