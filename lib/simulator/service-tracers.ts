import type { Tracer } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter as OtlpHttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  TracerProvider,
  type IdGenerator,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import type { Random } from "./random";

export type OtlpProtocol = "proto" | "json";

export interface ExportStats {
  exportRequests: number;
  failedRequests: number;
  spansExported: number;
  spansFailed: number;
  /** The most recent export failure, as the exporter reported it. */
  lastError: string | null;
  /** The receiver answered 401 or 403: no point sending more. */
  isKeyRejected: boolean;
}

export interface ServiceTracersOptions {
  endpoint: string; // the OTLP base, e.g. http://127.0.0.1:3000/api/otlp
  apiKey?: string;
  protocol: OtlpProtocol;
  environment: string;
  rng: Random;
  scheduledDelayMillis: number;
}

/** Trace and span ids from the seeded stream, so `--seed` reproduces ids too. */
class SeededIdGenerator implements IdGenerator {
  constructor(private readonly rng: Random) {}
  generateTraceId(): string {
    return this.rng.hex(16);
  }
  generateSpanId(): string {
    return this.rng.hex(8);
  }
}

/** Wraps the official exporter to count what was delivered and what failed. */
class CountingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly stats: ExportStats,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.stats.exportRequests += 1;
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.stats.spansExported += spans.length;
      } else {
        this.stats.failedRequests += 1;
        this.stats.spansFailed += spans.length;
        this.stats.lastError = describeExportError(result.error);
        const status = (result.error as { code?: unknown } | undefined)?.code;
        if (status === 401 || status === 403) this.stats.isKeyRejected = true;
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

function describeExportError(error: Error | undefined): string {
  if (!error) return "export failed";
  const { code, data } = error as Error & { code?: unknown; data?: unknown };
  const status = typeof code === "number" ? `HTTP ${code}` : "";
  const body = typeof data === "string" && data.length > 0 ? `: ${data.slice(0, 300)}` : "";
  return [status, error.message].filter(Boolean).join(" ") + body;
}

/**
 * One TracerProvider per simulated service, as each real service would have its own SDK, with
 * `service.name` and `deployment.environment.name` on the resource and a BatchSpanProcessor in
 * front of the official OTLP/HTTP exporter.
 */
export class ServiceTracers {
  readonly stats: ExportStats = {
    exportRequests: 0,
    failedRequests: 0,
    spansExported: 0,
    spansFailed: 0,
    lastError: null,
    isKeyRejected: false,
  };
  private readonly providers = new Map<string, TracerProvider>();
  private readonly tracers = new Map<string, Tracer>();
  private readonly idGenerator: SeededIdGenerator;

  constructor(private readonly options: ServiceTracersOptions) {
    this.idGenerator = new SeededIdGenerator(options.rng);
  }

  tracerFor(serviceName: string): Tracer {
    let tracer = this.tracers.get(serviceName);
    if (!tracer) {
      const provider = new TracerProvider({
        resource: resourceFromAttributes({
          "service.name": serviceName,
          "service.version": "1.0.0",
          "deployment.environment.name": this.options.environment,
          "sous.simulated": true,
        }),
        idGenerator: this.idGenerator,
        spanProcessors: [
          new BatchSpanProcessor({
            exporter: new CountingExporter(this.createExporter(), this.stats),
            maxExportBatchSize: 512,
            maxQueueSize: 16_384,
            scheduledDelayMillis: this.options.scheduledDelayMillis,
          }),
        ],
      });
      this.providers.set(serviceName, provider);
      tracer = provider.getTracer("sous-simulator", "1.0.0");
      this.tracers.set(serviceName, tracer);
    }
    return tracer;
  }

  private createExporter(): SpanExporter {
    const headers: Record<string, string> = {};
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    const config = {
      url: `${this.options.endpoint.replace(/\/+$/, "")}/v1/traces`,
      headers,
      timeoutMillis: 15_000,
    };
    return this.options.protocol === "json" ? new OtlpHttpJsonExporter(config) : new OtlpProtoExporter(config);
  }

  /**
   * Sends everything buffered so far. A failed export rejects the SDK's flush; it is already
   * counted in `stats`, so it is not an error here.
   */
  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.providers.values()].map((provider) => provider.forceFlush()));
  }

  /** Flushes and closes every provider (failures are counted in `stats`). */
  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.providers.values()].map((provider) => provider.shutdown()));
  }
}
