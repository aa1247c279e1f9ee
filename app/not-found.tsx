import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl space-y-3 p-6 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">There is no such page or project.</p>
      <Link href="/" className="text-sm text-sky-700 hover:underline dark:text-sky-400">
        ← Overview
      </Link>
    </main>
  );
}
