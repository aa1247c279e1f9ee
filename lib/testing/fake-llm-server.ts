import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

/**
 * A real local HTTP server that answers like the OpenAI Chat Completions API
 * (`POST /v1/chat/completions`) and the Anthropic Messages API (`POST /v1/messages`), streaming
 * (SSE) or not. Point an SDK's base URL at it and every call is recorded with the exact bytes it
 * was sent and when they were written, so a test can compare what Sous stored with the
 * provider's own payload and timing.
 *
 * Token counts are configured once, in Sous's own semantics (`inputTokens` includes cache reads
 * and writes), and translated to each provider's wire format: OpenAI's `prompt_tokens` includes
 * `cached_tokens`; Anthropic's `input_tokens` excludes `cache_read_input_tokens` and
 * `cache_creation_input_tokens`.
 */

export interface FakeUsage {
  /** All input tokens, including cache reads and writes. */
  inputTokens: number;
  outputTokens: number;
  /** Sent as OpenAI `prompt_tokens_details.cached_tokens` / Anthropic `cache_read_input_tokens`. */
  cacheReadTokens?: number;
  /** Sent as Anthropic `cache_creation_input_tokens`; OpenAI gets it only with `sendOpenAiCacheWrite`. */
  cacheWriteTokens?: number;
  /** Sent as OpenAI `completion_tokens_details.reasoning_tokens` (part of `completion_tokens`). */
  reasoningTokens?: number;
}

export interface FakeResponse {
  /** Model named in the response; defaults to the request's model. */
  model?: string;
  /** Output text, streamed as `chunks` when given, else split into words. */
  text?: string;
  chunks?: string[];
  usage?: FakeUsage;
  /** Wait before the first body byte (streaming) or before the whole body (non-streaming). */
  firstChunkDelayMs?: number;
  /** Wait between content chunks; non-streaming calls wait the same total before answering. */
  chunkIntervalMs?: number;
  /** Response id; defaults to a per-call id. */
  id?: string;
  /** OpenAI finish_reason / Anthropic stop_reason; defaults to "stop" / "end_turn". */
  finishReason?: string;
  /** Answer with this HTTP error status and a provider-shaped error body instead. */
  errorStatus?: number;
  /** Also send OpenAI `prompt_tokens_details.cache_write_tokens` (newer API versions do). */
  sendOpenAiCacheWrite?: boolean;
}

export type FakeProvider = "openai" | "anthropic";

export interface SentEvent {
  /** SSE `event:` name (Anthropic); null for OpenAI's data-only events. */
  event: string | null;
  /** Parsed `data:` payload; the string "[DONE]" for OpenAI's terminator. */
  data: unknown;
  /** When the event was written, epoch ms (fractional). */
  writtenAtMs: number;
}

export interface RecordedCall {
  provider: FakeProvider;
  path: string;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody: unknown;
  requestModel: string | null;
  isStreaming: boolean;
  /** The response configuration this call was answered with, defaults filled in. */
  response: Required<Pick<FakeResponse, "model" | "text" | "firstChunkDelayMs" | "chunkIntervalMs" | "id">> &
    FakeResponse;
  status: number;
  /** Exactly the bytes written as the response body. */
  rawResponseBody: string;
  /** Non-streaming (and error) responses: the JSON body; null for streams. */
  sentBody: unknown;
  /** Streaming responses: each SSE event in order; empty otherwise. */
  sentEvents: SentEvent[];
  /** Epoch ms (fractional, same clock as OpenTelemetry's hrTime) when the request head arrived. */
  receivedAtMs: number;
  /** When the first content (text) chunk was written; for non-streaming calls, the body. */
  firstChunkAtMs: number | null;
  /** When the response was ended. */
  finishedAtMs: number;
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Base URL for the OpenAI SDK (`${url}/v1`). */
  openaiBaseUrl: string;
  /** Base URL for the Anthropic SDK (`url`; it appends `/v1/messages`). */
  anthropicBaseUrl: string;
  calls: RecordedCall[];
  /** Answer the next request with this (queued: each call consumes one, then defaults apply). */
  setNextResponse(response: FakeResponse): void;
  /** Replace the response used when nothing is queued. */
  setDefaultResponse(response: FakeResponse): void;
  lastCall(): RecordedCall;
  close(): Promise<void>;
}

export interface FakeLlmServerOptions {
  defaultResponse?: FakeResponse;
}

const BUILT_IN_DEFAULT: FakeResponse = {
  text: "The kitchen is open.",
  usage: { inputTokens: 12, outputTokens: 5 },
  firstChunkDelayMs: 0,
  chunkIntervalMs: 0,
};

/** Wall-clock epoch ms with sub-millisecond precision, the way OpenTelemetry reads time. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export async function startFakeLlmServer(options: FakeLlmServerOptions = {}): Promise<FakeLlmServer> {
  const calls: RecordedCall[] = [];
  const queue: FakeResponse[] = [];
  let defaults: FakeResponse = { ...BUILT_IN_DEFAULT, ...options.defaultResponse };
  let callCount = 0;

  const server = createServer((req, res) => {
    const receivedAtMs = nowMs();
    readBody(req)
      .then((raw) => {
        const provider = routeProvider(req);
        if (!provider) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: `fake LLM server: no route ${req.method} ${req.url}` } }));
          return;
        }
        callCount += 1;
        const body = parseJson(raw);
        const config = { ...defaults, ...queue.shift() };
        const requestModel = typeof body?.model === "string" ? body.model : null;
        const response = {
          ...config,
          model: config.model ?? requestModel ?? "fake-model",
          text: config.chunks ? config.chunks.join("") : (config.text ?? ""),
          firstChunkDelayMs: config.firstChunkDelayMs ?? 0,
          chunkIntervalMs: config.chunkIntervalMs ?? 0,
          id: config.id ?? (provider === "openai" ? `chatcmpl-fake${callCount}` : `msg_fake${callCount}`),
        };
        const call: RecordedCall = {
          provider,
          path: req.url ?? "",
          requestHeaders: req.headers,
          requestBody: body,
          requestModel,
          isStreaming: body?.stream === true,
          response,
          status: 200,
          rawResponseBody: "",
          sentBody: null,
          sentEvents: [],
          receivedAtMs,
          firstChunkAtMs: null,
          finishedAtMs: 0,
        };
        calls.push(call);
        return respond(call, body, res);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    calls,
    setNextResponse: (response) => void queue.push(response),
    setDefaultResponse: (response) => {
      defaults = { ...BUILT_IN_DEFAULT, ...response };
    },
    lastCall: () => {
      const call = calls.at(-1);
      if (!call) throw new Error("fake LLM server: no call recorded yet");
      return call;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function routeProvider(req: IncomingMessage): FakeProvider | null {
  if (req.method !== "POST") return null;
  const path = (req.url ?? "").split("?")[0];
  if (path.endsWith("/chat/completions")) return "openai";
  if (path.endsWith("/messages")) return "anthropic";
  return null;
}

async function respond(call: RecordedCall, body: Record<string, unknown> | null, res: ServerResponse) {
  const { response } = call;
  const chunks = response.chunks ?? splitWords(response.text);
  if (response.errorStatus) {
    await sleep(response.firstChunkDelayMs);
    call.status = response.errorStatus;
    const errorBody =
      call.provider === "openai"
        ? { error: { message: "fake provider error", type: "server_error", param: null, code: null } }
        : { type: "error", error: { type: "api_error", message: "fake provider error" } };
    sendJson(call, res, response.errorStatus, errorBody);
    return;
  }
  if (!call.isStreaming) {
    await sleep(response.firstChunkDelayMs + response.chunkIntervalMs * Math.max(0, chunks.length - 1));
    const payload = call.provider === "openai" ? openAiCompletion(call) : anthropicMessage(call);
    sendJson(call, res, 200, payload);
    return;
  }

  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  await sleep(response.firstChunkDelayMs);
  const events =
    call.provider === "openai"
      ? openAiStreamEvents(call, chunks, includeUsage(body))
      : anthropicStreamEvents(call, chunks);
  for (const step of events) {
    if (step.waitBefore) await sleep(response.chunkIntervalMs);
    for (const event of step.events) writeEvent(call, res, event);
    if (step.isContent && call.firstChunkAtMs === null) call.firstChunkAtMs = nowMs();
  }
  res.end();
  call.finishedAtMs = nowMs();
}

function sendJson(call: RecordedCall, res: ServerResponse, status: number, payload: unknown) {
  const raw = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json" });
  call.firstChunkAtMs = nowMs();
  res.end(raw);
  call.finishedAtMs = nowMs();
  call.rawResponseBody = raw;
  call.sentBody = payload;
}

function writeEvent(call: RecordedCall, res: ServerResponse, event: { event: string | null; data: unknown }) {
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  const raw = `${event.event ? `event: ${event.event}\n` : ""}data: ${data}\n\n`;
  res.write(raw);
  call.rawResponseBody += raw;
  call.sentEvents.push({ ...event, writtenAtMs: nowMs() });
}

/** A group of SSE events written together; `waitBefore` spaces content chunks apart. */
interface StreamStep {
  events: { event: string | null; data: unknown }[];
  isContent: boolean;
  waitBefore: boolean;
}

function includeUsage(body: Record<string, unknown> | null): boolean {
  const streamOptions = body?.stream_options as { include_usage?: unknown } | undefined;
  return streamOptions?.include_usage === true;
}

function openAiUsage(usage: FakeUsage, sendCacheWrite: boolean) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cacheReadTokens ?? 0,
      audio_tokens: 0,
      ...(sendCacheWrite ? { cache_write_tokens: usage.cacheWriteTokens ?? 0 } : {}),
    },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function openAiCompletion(call: RecordedCall) {
  const { response } = call;
  return {
    id: response.id,
    object: "chat.completion",
    created: Math.floor(call.receivedAtMs / 1000),
    model: response.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: response.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: response.finishReason ?? "stop",
      },
    ],
    usage: response.usage ? openAiUsage(response.usage, response.sendOpenAiCacheWrite === true) : undefined,
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
}

function openAiStreamEvents(call: RecordedCall, chunks: string[], withUsage: boolean): StreamStep[] {
  const { response } = call;
  const base = {
    id: response.id,
    object: "chat.completion.chunk",
    created: Math.floor(call.receivedAtMs / 1000),
    model: response.model,
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
  const chunk = (delta: object, finishReason: string | null) => ({
    event: null,
    data: {
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(withUsage ? { usage: null } : {}),
    },
  });
  const steps: StreamStep[] = chunks.map((text, index) => ({
    events: index === 0 ? [chunk({ role: "assistant", content: "", refusal: null }, null), chunk({ content: text }, null)] : [chunk({ content: text }, null)],
    isContent: true,
    waitBefore: index > 0,
  }));
  const closing: StreamStep = { events: [chunk({}, response.finishReason ?? "stop")], isContent: false, waitBefore: false };
  if (withUsage && response.usage) {
    closing.events.push({
      event: null,
      data: { ...base, choices: [], usage: openAiUsage(response.usage, response.sendOpenAiCacheWrite === true) },
    });
  }
  closing.events.push({ event: null, data: "[DONE]" });
  return [...steps, closing];
}

function anthropicUsage(usage: FakeUsage | undefined) {
  const cacheRead = usage?.cacheReadTokens ?? 0;
  const cacheWrite = usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: (usage?.inputTokens ?? 0) - cacheRead - cacheWrite,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: usage?.outputTokens ?? 0,
    service_tier: "standard",
  };
}

function anthropicMessage(call: RecordedCall) {
  const { response } = call;
  return {
    id: response.id,
    type: "message",
    role: "assistant",
    model: response.model,
    content: [{ type: "text", text: response.text }],
    stop_reason: response.finishReason ?? "end_turn",
    stop_sequence: null,
    usage: anthropicUsage(response.usage),
  };
}

function anthropicStreamEvents(call: RecordedCall, chunks: string[]): StreamStep[] {
  const { response } = call;
  const usage = anthropicUsage(response.usage);
  // message_start carries the input side and a provisional output count, as Anthropic does.
  const startUsage = { ...usage, output_tokens: Math.min(1, usage.output_tokens) };
  const event = (name: string, data: object) => ({ event: name, data: { type: name, ...data } });
  const steps: StreamStep[] = chunks.map((text, index) => ({
    events: [
      ...(index === 0
        ? [
            event("message_start", {
              message: {
                id: response.id,
                type: "message",
                role: "assistant",
                model: response.model,
                content: [],
                stop_reason: null,
                stop_sequence: null,
                usage: startUsage,
              },
            }),
            event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
          ]
        : []),
      event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }),
    ],
    isContent: true,
    waitBefore: index > 0,
  }));
  steps.push({
    events: [
      event("content_block_stop", { index: 0 }),
      // Cumulative totals, as the real API sends them in message_delta.
      event("message_delta", {
        delta: { stop_reason: response.finishReason ?? "end_turn", stop_sequence: null },
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
        },
      }),
      event("message_stop", {}),
    ],
    isContent: false,
    waitBefore: false,
  });
  return steps;
}

function splitWords(text: string): string[] {
  const parts = text.match(/\S+\s*/g);
  return parts && parts.length > 0 ? parts : [text];
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
