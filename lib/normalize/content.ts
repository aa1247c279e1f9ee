/**
 * Captured content (system prompt, input and output messages) and tool definitions, from every
 * convention's content attributes. Content is stored apart from the span, so the attributes it
 * came from are dropped from the stored attributes (see isContentAttribute). Tool definitions have
 * no field in CapturedContent: they stay in the attributes (capped) and feed the prefix hash.
 */
import type { AttributeValue, DecodedSpan } from "@/lib/otlp/types";
import type { CapturedContent } from "@/lib/ingest/types";
import { isPlainObject, parseJsonDocument, TRUNCATION_MARKER, truncateString } from "./coerce";
import { documentOf, flattenedList, flattenedMessages, messageListOf, systemPromptOf, textOf } from "./messages";
import type { InstrumentationProfile } from "./rules/profiles";

/** Each content field is capped at this many characters; longer content is cut and flagged. */
export const MAX_CONTENT_CHARS = 256 * 1024;

type Lookup = (key: string) => AttributeValue | undefined;

/** A source of one content field: returns undefined when the span does not carry it. */
type Source = (lookup: Lookup, span: DecodedSpan, profile: InstrumentationProfile) => unknown;

const attribute = (key: string): Source => (lookup) => documentOf(lookup(key));

const forProfile = (id: InstrumentationProfile["id"], source: Source): Source => (lookup, span, profile) =>
  profile.id === id ? source(lookup, span, profile) : undefined;

/** A v1.26-style span event carrying content in an attribute (`gen_ai.content.prompt`). */
const eventAttribute = (eventName: string, key: string): Source => (_lookup, span) => {
  for (const event of span.events) {
    if (event.name === eventName && event.attributes[key] !== undefined) return documentOf(event.attributes[key]);
  }
  return undefined;
};

const flattened = (prefix: string, memberPrefix: string): Source => (lookup) =>
  flattenedMessages(lookup, prefix, memberPrefix) ?? undefined;

/** pydantic-ai (attributes event mode) keeps all messages in one `events` JSON array. */
const pydanticEvents = (wantChoices: boolean): Source =>
  forProfile("pydantic-ai", (lookup) => {
    const events = parseJsonDocument(lookup("events"));
    if (!Array.isArray(events)) return undefined;
    const picked = events.filter((event) => isPlainObject(event) && "message" in event === wantChoices);
    if (picked.length === 0) return undefined;
    return wantChoices ? picked.map((event) => (event as Record<string, unknown>).message) : picked;
  });

/** AI SDK ≤ v6 splits the response into text, object, tool calls and reasoning. */
const aiSdkResponse: Source = (lookup) => {
  const text = lookup("ai.response.text");
  const object = documentOf(lookup("ai.response.object"));
  const toolCalls = documentOf(lookup("ai.response.toolCalls"));
  const reasoning = lookup("ai.response.reasoning") ?? lookup("ai.response.reasoningText");
  if (text === undefined && object === undefined && toolCalls === undefined) return undefined;
  const message: Record<string, unknown> = { role: "assistant" };
  if (text !== undefined) message.content = text;
  else if (object !== undefined) message.content = object;
  if (toolCalls !== undefined) message.tool_calls = toolCalls;
  if (reasoning !== undefined) message.reasoning = reasoning;
  return [message];
};

const logfireDocument = (key: string, member: string | null): Source =>
  forProfile("logfire", (lookup) => {
    const document = parseJsonDocument(lookup(key));
    if (!isPlainObject(document)) return undefined;
    return member === null ? document : (document[member] ?? document.combined_chunk_content);
  });

const INPUT_SOURCES: readonly Source[] = [
  attribute("gen_ai.input.messages"),
  attribute("ai.prompt.messages"),
  flattened("llm.input_messages.", "message."),
  flattened("gen_ai.prompt.", ""),
  attribute("gen_ai.prompt"),
  attribute("langfuse.observation.input"),
  pydanticEvents(false),
  logfireDocument("request_data", null),
  attribute("input.value"),
  eventAttribute("gen_ai.content.prompt", "gen_ai.prompt"),
];

const OUTPUT_SOURCES: readonly Source[] = [
  attribute("gen_ai.output.messages"),
  aiSdkResponse,
  flattened("llm.output_messages.", "message."),
  flattened("gen_ai.completion.", ""),
  attribute("gen_ai.completion"),
  attribute("langfuse.observation.output"),
  pydanticEvents(true),
  logfireDocument("response_data", "message"),
  attribute("output.value"),
  eventAttribute("gen_ai.content.completion", "gen_ai.completion"),
];

/** Tool definitions as one list, or a string when the instrumentation sent non-JSON text. */
const TOOL_SOURCES: readonly Source[] = [
  attribute("gen_ai.tool.definitions"),
  (lookup) => parsedList(lookup("ai.prompt.tools")),
  (lookup) => parsedList(flattenedList(lookup, "llm.tools.", ".tool.json_schema")),
  (lookup) => openLlmetryFunctions(lookup),
  forProfile("logfire", (lookup) => memberOf(lookup("request_data"), "tools")),
  forProfile("pydantic-ai", (lookup) => memberOf(lookup("model_request_parameters"), "function_tools")),
];

function parsedList(values: AttributeValue | AttributeValue[] | null | undefined): unknown {
  if (!Array.isArray(values) || values.length === 0) return undefined;
  return values.map((value) => documentOf(value));
}

function memberOf(value: AttributeValue | undefined, member: string): unknown {
  const document = parseJsonDocument(value);
  if (!isPlainObject(document)) return undefined;
  const list = document[member];
  return Array.isArray(list) && list.length > 0 ? list : undefined;
}

/** OpenLLMetry: `llm.request.functions.N.name` / `.description` / `.parameters`. */
function openLlmetryFunctions(lookup: Lookup): unknown {
  const names = flattenedList(lookup, "llm.request.functions.", ".name");
  if (names === null) return undefined;
  return names.map((name, index) => {
    const tool: Record<string, unknown> = { name };
    const description = lookup(`llm.request.functions.${index}.description`);
    if (description !== undefined) tool.description = description;
    const parameters = lookup(`llm.request.functions.${index}.parameters`);
    if (parameters !== undefined) tool.parameters = documentOf(parameters);
    return tool;
  });
}

export interface ExtractedContent {
  /** Null when the span captured no content. */
  content: CapturedContent | null;
  /** The whole system prompt (content.systemPrompt may be cut), for the prefix hash. */
  systemPrompt: string | null;
  toolDefinitionsJson: string | null;
}

export function extractContent(span: DecodedSpan, lookup: Lookup, profile: InstrumentationProfile): ExtractedContent {
  let systemPrompt = textOrNull(documentOf(lookup("gen_ai.system_instructions")));
  let inputMessages: unknown;
  for (const source of INPUT_SOURCES) {
    const document = source(lookup, span, profile);
    if (document === undefined) continue;
    inputMessages ??= document;
    systemPrompt ??= systemPromptOf(document);
    if (systemPrompt !== null) break;
  }
  const outputMessages = firstOf(OUTPUT_SOURCES, lookup, span, profile);
  const tools = firstOf(TOOL_SOURCES, lookup, span, profile);
  const toolDefinitionsJson = tools === undefined ? null : typeof tools === "string" ? tools : JSON.stringify(tools);

  if (systemPrompt === null && inputMessages === undefined && outputMessages === undefined) {
    return { content: null, systemPrompt: null, toolDefinitionsJson };
  }
  const capped = { isTruncated: false };
  return {
    content: {
      systemPrompt: systemPrompt === null ? null : capString(systemPrompt, capped),
      inputMessages: capDocument(inputMessages, capped),
      outputMessages: capDocument(outputMessages, capped),
      isTruncated: capped.isTruncated,
    },
    systemPrompt,
    toolDefinitionsJson,
  };
}

function firstOf(sources: readonly Source[], lookup: Lookup, span: DecodedSpan, profile: InstrumentationProfile): unknown {
  for (const source of sources) {
    const document = source(lookup, span, profile);
    if (document !== undefined) return document;
  }
  return undefined;
}

function textOrNull(document: unknown): string | null {
  if (document === undefined) return null;
  const text = textOf(messageListOf(document) ?? document);
  return text === null || text === "" ? null : text;
}

/** Cuts at the cap; also notes a cut the OTLP decoder already made (its marker is in the text). */
function capString(text: string, capped: { isTruncated: boolean }): string {
  if (text.length <= MAX_CONTENT_CHARS) {
    if (text.includes(TRUNCATION_MARKER)) capped.isTruncated = true;
    return text;
  }
  capped.isTruncated = true;
  return truncateString(text, MAX_CONTENT_CHARS);
}

/** Strings are cut at the cap; a structure larger than the cap is stored as its cut JSON text. */
function capDocument(document: unknown, capped: { isTruncated: boolean }): unknown {
  if (document === undefined || document === null) return null;
  if (typeof document === "string") return capString(document, capped);
  const serialized = JSON.stringify(document);
  if (serialized.length <= MAX_CONTENT_CHARS) {
    if (serialized.includes(TRUNCATION_MARKER)) capped.isTruncated = true;
    return document;
  }
  return capString(serialized, capped);
}

/** Attributes read as content (exact names), dropped from stored attributes when content is kept. */
const CONTENT_ATTRIBUTES: ReadonlySet<string> = new Set([
  "gen_ai.system_instructions",
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "gen_ai.prompt",
  "gen_ai.completion",
  "ai.prompt",
  "ai.prompt.messages",
  "ai.response.text",
  "ai.response.object",
  "ai.response.toolCalls",
  "ai.response.reasoning",
  "ai.response.reasoningText",
  "langfuse.observation.input",
  "langfuse.observation.output",
  "input.value",
  "output.value",
]);

const CONTENT_PREFIXES = ["llm.input_messages.", "llm.output_messages."] as const;
/** Indexed OpenLLMetry content (`gen_ai.prompt.0.content`), not `gen_ai.prompt.name`. */
const INDEXED_CONTENT_PREFIXES = ["gen_ai.prompt.", "gen_ai.completion."] as const;

export function isContentAttribute(key: string, profile: InstrumentationProfile): boolean {
  if (CONTENT_ATTRIBUTES.has(key)) return true;
  for (const prefix of CONTENT_PREFIXES) if (key.startsWith(prefix)) return true;
  for (const prefix of INDEXED_CONTENT_PREFIXES) {
    if (key.startsWith(prefix)) {
      const next = key.charCodeAt(prefix.length);
      if (next >= 48 && next <= 57) return true;
    }
  }
  return profile.extraContentKeys.includes(key);
}

/** Span events that carry content (stored apart) rather than timing. */
export const CONTENT_EVENTS: ReadonlySet<string> = new Set([
  "gen_ai.content.prompt",
  "gen_ai.content.completion",
  "gen_ai.system.message",
  "gen_ai.user.message",
  "gen_ai.assistant.message",
  "gen_ai.tool.message",
  "gen_ai.choice",
  "gen_ai.client.inference.operation.details",
]);
