import { toDisplayMessages } from "@/lib/traces/display-messages";
import type { SpanDetails } from "@/lib/traces/trace-types";

/** Captured prompt and response (span_contents): the system prompt, then input and output messages. */
export function SpanContent({ content }: { content: NonNullable<SpanDetails["content"]> }) {
  return (
    <section className="space-y-3" data-testid="span-content">
      <h4 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">
        Captured content{content.isTruncated ? " (cut at the size cap)" : ""}
      </h4>
      {content.systemPrompt ? <ContentBlock title="System prompt" messages={[{ role: "system", text: content.systemPrompt }]} /> : null}
      <Messages title="Input" document={content.inputMessages} />
      <Messages title="Output" document={content.outputMessages} />
    </section>
  );
}

function Messages({ title, document }: { title: string; document: unknown }) {
  if (document === null || document === undefined) return null;
  const messages = toDisplayMessages(document);
  if (messages === null) {
    return (
      <div>
        <p className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-300">{title}</p>
        <pre className="max-h-72 overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-950">
          {JSON.stringify(document, null, 2)}
        </pre>
      </div>
    );
  }
  return <ContentBlock title={title} messages={messages} />;
}

function ContentBlock({ title, messages }: { title: string; messages: { role: string; text: string }[] }) {
  return (
    <div>
      <p className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-300">{title}</p>
      <ol className="space-y-1.5">
        {messages.map((message, index) => (
          <li key={index} className="rounded-md border border-zinc-200 dark:border-zinc-800">
            <p className="border-b border-zinc-100 px-2 py-0.5 text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:border-zinc-800">
              {message.role}
            </p>
            <pre className="max-h-72 overflow-auto p-2 font-sans text-xs whitespace-pre-wrap break-words">{message.text}</pre>
          </li>
        ))}
      </ol>
    </div>
  );
}
