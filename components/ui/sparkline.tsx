/**
 * A tiny trend line as plain SVG (no chart library, rendered on the server, so stat tiles paint
 * with the first HTML). Null points are gaps. Color: a CSS color, default the first chart color.
 */
export function Sparkline({
  values,
  color = "var(--chart-1)",
  width = 96,
  height = 28,
  label,
}: {
  values: readonly (number | null)[];
  color?: string;
  width?: number;
  height?: number;
  label?: string;
}) {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (known.length < 2) return null;
  const min = Math.min(...known);
  const max = Math.max(...known);
  const span = max - min || 1;
  const step = width / Math.max(values.length - 1, 1);
  const segments: string[] = [];
  let current = "";
  values.forEach((value, index) => {
    if (value === null || !Number.isFinite(value)) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    const x = (index * step).toFixed(1);
    const y = (height - 2 - ((value - min) / span) * (height - 4)).toFixed(1);
    current += `${current ? "L" : "M"}${x} ${y}`;
  });
  if (current) segments.push(current);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label ?? "trend"} className="overflow-visible">
      {segments.map((path, index) => (
        <path key={index} d={path} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
      ))}
    </svg>
  );
}
