/**
 * Captured messages as a reader wants them: one entry per message with its role and its text.
 * Instrumentations store messages in many shapes (OTel `{role, parts}`, `{role, content}` with a
 * string or content parts, provider request bodies with `messages`/`input`/`contents`, Gemini
 * `{role, parts: [{text}]}`); anything else returns null and is shown as JSON.
 */
export interface DisplayMessage {
  role: string;
  text: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function textOfContent(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const texts = content.map(textOfContent).filter((text): text is string => text !== null && text !== "");
    return texts.length > 0 ? texts.join("\n") : null;
  }
  if (isObject(content)) {
    for (const key of ["text", "content", "result"]) {
      if (typeof content[key] === "string") return content[key] as string;
    }
    if (content.content !== undefined) return textOfContent(content.content);
    if (Array.isArray(content.parts)) return textOfContent(content.parts);
    // A tool call or other structured part: show it compactly rather than lose it.
    if (typeof content.type === "string") return `[${content.type}] ${JSON.stringify(content)}`;
  }
  return null;
}

function listOf(document: unknown): unknown[] | null {
  if (Array.isArray(document)) return document;
  if (isObject(document)) {
    for (const key of ["messages", "input", "contents"]) {
      if (Array.isArray(document[key])) return document[key] as unknown[];
    }
  }
  return null;
}

export function toDisplayMessages(document: unknown): DisplayMessage[] | null {
  if (typeof document === "string") return document === "" ? null : [{ role: "text", text: document }];
  const list = listOf(document);
  if (list === null) return null;
  const messages: DisplayMessage[] = [];
  for (const item of list) {
    if (typeof item === "string") {
      messages.push({ role: "text", text: item });
      continue;
    }
    if (!isObject(item)) return null;
    const role = item.role ?? item["message.role"] ?? item.type;
    const text = textOfContent(item.content ?? item.parts ?? item["message.content"] ?? item.text ?? item.message);
    if (text === null) {
      messages.push({ role: typeof role === "string" ? role : "message", text: JSON.stringify(item, null, 2) });
    } else {
      messages.push({ role: typeof role === "string" ? role : "message", text });
    }
  }
  return messages.length > 0 ? messages : null;
}
