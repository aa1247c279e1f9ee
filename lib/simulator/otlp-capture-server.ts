import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in OTLP/HTTP receiver for tests: records every request on 127.0.0.1 (port 0) and
 * answers with a fixed status. `decodeJsonSpans` flattens OTLP/JSON bodies for assertions.
 */
export interface CapturedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CaptureServer {
  /** The OTLP base URL to pass as `endpoint`. */
  endpoint: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

export async function startCaptureServer(status = 200): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) });
      const isJson = request.headers["content-type"]?.includes("json");
      response.writeHead(status, { "content-type": isJson ? "application/json" : "application/x-protobuf" });
      response.end(status === 200 && isJson ? "{}" : status === 200 ? undefined : "unauthorized");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/otlp`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type JsonAnyValue = {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: JsonAnyValue[] };
};
type JsonKeyValue = { key: string; value: JsonAnyValue };
interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: JsonKeyValue[];
  status?: { code?: number };
}
interface JsonExport {
  resourceSpans?: { resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: { spans?: JsonSpan[] }[] }[];
}

export interface DecodedTestSpan {
  serviceName: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startMs: number;
  endMs: number;
  statusCode: number;
  attributes: Record<string, unknown>;
}

function plainValue(value: JsonAnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plainValue);
  return null;
}

function plainAttributes(attributes: JsonKeyValue[] = []): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, plainValue(value)]));
}

export function decodeJsonSpans(requests: CapturedRequest[]): DecodedTestSpan[] {
  const spans: DecodedTestSpan[] = [];
  for (const request of requests) {
    const body = JSON.parse(request.body.toString("utf8")) as JsonExport;
    for (const resourceSpans of body.resourceSpans ?? []) {
      const resource = plainAttributes(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          spans.push({
            serviceName: String(resource["service.name"]),
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || null,
            name: span.name,
            kind: span.kind,
            startMs: Number(BigInt(span.startTimeUnixNano) / 1000n) / 1000,
            endMs: Number(BigInt(span.endTimeUnixNano) / 1000n) / 1000,
            statusCode: span.status?.code ?? 0,
            attributes: plainAttributes(span.attributes),
          });
        }
      }
    }
  }
  return spans;
}
