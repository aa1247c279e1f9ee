/** Placeholders the size of stat tiles (components/ui/stat-tile), while their figures load. */
export function StatTilesLoading({ count }: { count: number }) {
  return (
    <>
      {Array.from({ length: count }, (_, index) => (
        <div key={index} aria-busy="true" aria-label="Loading" className="h-[92px] animate-pulse rounded-lg border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/40" />
      ))}
    </>
  );
}
