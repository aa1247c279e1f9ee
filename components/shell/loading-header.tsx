/** A screen's header while it loads (loading.tsx): its title, and the toolbar's place held. */
export function LoadingHeader({ title }: { title: string }) {
  return (
    <header className="space-y-3 border-b border-zinc-200 px-4 py-4 md:px-6 dark:border-zinc-800">
      <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
      <div className="h-8 w-96 max-w-full animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-800/60" />
    </header>
  );
}
