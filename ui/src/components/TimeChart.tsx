// A time series drawn with uPlot (small, canvas-based, no inline styles or scripts needed).
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export function TimeChart({ series, label, height = 180 }: { series: [number, number][]; label: string; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const width = Math.max(240, element.clientWidth);
    const chart = new uPlot({
      width, height,
      legend: { show: false },
      scales: { x: { time: true } },
      axes: [{ stroke: "#6b7280" }, { stroke: "#6b7280", size: 44 }],
      series: [{}, { label, stroke: "#6c5fc7", fill: "rgba(108,95,199,0.15)", width: 1.5, points: { show: false } }],
    }, [series.map((p) => p[0]), series.map((p) => p[1])], element);
    return () => chart.destroy();
  }, [series, label, height]);
  return <div ref={host} className="chart" role="img" aria-label={`${label}: ${series.reduce((s, p) => s + p[1], 0)} in total`} />;
}
