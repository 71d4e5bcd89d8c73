// An issue's events over the period as a small SVG line (no chart library per row).
export function Sparkline({ points, width = 120, height = 28 }: { points: [number, number][]; width?: number; height?: number }) {
  if (!points.length) return <svg className="spark" width={width} height={height} aria-hidden="true" />;
  const max = Math.max(1, ...points.map((p) => p[1]));
  const step = points.length > 1 ? width / (points.length - 1) : width;
  const path = points.map((p, i) => `${(i * step).toFixed(1)},${(height - 2 - (p[1] / max) * (height - 4)).toFixed(1)}`).join(" ");
  const total = points.reduce((sum, p) => sum + p[1], 0);
  return (
    <svg className="spark" width={width} height={height} role="img" aria-label={`${total} events in the period`}>
      <polyline points={path} fill="none" strokeWidth="1.5" />
    </svg>
  );
}
