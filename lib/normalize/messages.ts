/**
 * Reading chat messages in the shapes instrumentations capture them: OTel `{role, parts}` and
 * `{role, content}` arrays, provider request bodies (`{system, messages}`, `{instructions, input}`,
 * Gemini `systemInstruction`), content-part arrays, and flattened indexed attributes
 * (OpenInference `llm.input_messages.N.message.*`, OpenLLMetry `gen_ai.prompt.N.*`).
 */
import type { AttributeValue } from "@/lib/otlp/types";
import { isPlainObject, parseJsonDocument } from "./coerce";

const SYSTEM_ROLES: ReadonlySet<string> = new Set(["system", "developer"]);

/** Keys of a request-body object that hold the system prompt directly. */
const SYSTEM_MEMBERS = ["system", "instructions", "systemInstruction", "system_instruction"] as const;
/** Keys of a request-body object that hold the message list. */
const MESSAGE_LIST_MEMBERS = ["messages", "input", "contents"] as const;

/** The text of a message content: a string, a part, or a list of parts (joined with "\n"). */
export function textOf(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content) {
      const text = textOf(part);
      if (text !== null && text !== "") texts.push(text);
    }
    return texts.length > 0 ? texts.join("\n") : null;
  }
  if (isPlainObject(content)) {
    if (typeof content.text === "string") return content.text;
    if (typeof content.content === "string") return content.content;
    if (content.content !== undefined) return textOf(content.content);
    if (Array.isArray(content.parts)) return textOf(content.parts);
  }
  return null;
}

function roleOf(message: Record<string, unknown>): string | null {
  const role = message.role ?? message["message.role"];
  return typeof role === "string" ? role.toLowerCase() : null;
}

/** The message list of a captured input: an array, or the list inside a request-body object. */
export function messageListOf(document: unknown): unknown[] | null {
  if (Array.isArray(document)) return document;
  if (isPlainObject(document)) {
    for (const member of MESSAGE_LIST_MEMBERS) {
      const list = document[member];
      if (Array.isArray(list)) return list;
    }
  }
  return null;
}

/**
 * The system prompt inside a captured input: a request body's `system`/`instructions` member,
 * else the text of its system- and developer-role messages, joined with "\n".
 */
export function systemPromptOf(document: unknown): string | null {
  if (isPlainObject(document)) {
    for (const member of SYSTEM_MEMBERS) {
      const text = textOf(document[member]);
      if (text !== null && text !== "") return text;
    }
  }
  const messages = messageListOf(document);
  if (messages === null) return null;
  const texts: string[] = [];
  for (const message of messages) {
    if (!isPlainObject(message)) continue;
    const role = roleOf(message);
    if (role === null || !SYSTEM_ROLES.has(role)) continue;
    const text = textOf(message.content ?? message.parts ?? message["message.content"]);
    if (text !== null && text !== "") texts.push(text);
  }
  return texts.length > 0 ? texts.join("\n") : null;
}

/** A captured document: JSON strings parsed, other strings kept as they are. */
export function documentOf(value: AttributeValue | undefined): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return value;
  const parsed = parseJsonDocument(value);
  return parsed === undefined ? value : parsed;
}

type Lookup = (key: string) => AttributeValue | undefined;

/**
 * Messages rebuilt from flattened indexed attributes, e.g. prefix "llm.input_messages." with
 * member prefix "message." reads `llm.input_messages.0.message.role`, `.content` and
 * `.contents.N.message_content.text`; prefix "gen_ai.prompt." with member prefix "" reads
 * `gen_ai.prompt.0.role` / `.content`. Walks indexes from 0 until one is missing: no key scan.
 */
export function flattenedMessages(lookup: Lookup, prefix: string, memberPrefix: string): Record<string, unknown>[] | null {
  const messages: Record<string, unknown>[] = [];
  for (let index = 0; ; index++) {
    const base = `${prefix}${index}.${memberPrefix}`;
    const role = lookup(`${base}role`);
    let content: unknown = lookup(`${base}content`);
    if (content === undefined && memberPrefix !== "") content = flattenedContents(lookup, `${base}contents.`);
    if (role === undefined && content === undefined) break;
    const message: Record<string, unknown> = {};
    if (typeof role === "string") message.role = role;
    if (content !== undefined) message.content = typeof content === "string" ? documentOfPart(content) : content;
    const finishReason = lookup(`${prefix}${index}.finish_reason`);
    if (typeof finishReason === "string") message.finish_reason = finishReason;
    messages.push(message);
  }
  return messages.length > 0 ? messages : null;
}

/** OpenLLMetry puts multimodal content as a JSON array string; plain text stays text. */
function documentOfPart(content: string): unknown {
  const parsed = parseJsonDocument(content);
  return Array.isArray(parsed) ? parsed : content;
}

function flattenedContents(lookup: Lookup, prefix: string): string | undefined {
  const texts: string[] = [];
  for (let index = 0; ; index++) {
    const text = lookup(`${prefix}${index}.message_content.text`);
    const type = lookup(`${prefix}${index}.message_content.type`);
    if (text === undefined && type === undefined) break;
    if (typeof text === "string") texts.push(text);
  }
  return texts.length > 0 ? texts.join("\n") : undefined;
}

/** Values of one member across flattened indexes: `llm.tools.N.tool.json_schema`. */
export function flattenedList(lookup: Lookup, prefix: string, suffix: string): AttributeValue[] | null {
  const values: AttributeValue[] = [];
  for (let index = 0; ; index++) {
    const value = lookup(`${prefix}${index}${suffix}`);
    if (value === undefined) break;
    values.push(value);
  }
  return values.length > 0 ? values : null;
}
