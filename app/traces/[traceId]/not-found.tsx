import Link from "next/link";

export default function TraceNotFound() {
  return (
    <main className="mx-auto max-w-xl space-y-3 p-6 text-center">
      <h1 className="text-xl font-semibold">Trace not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        This project has no span of that trace. It may be older than the retention period, belong to another project, or not
        have been sent yet.
      </p>
      <Link href="/traces" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        ← All traces
      </Link>
    </main>
  );
}
