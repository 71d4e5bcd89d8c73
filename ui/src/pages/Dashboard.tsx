// The dashboard: every registered widget (built-in and from plugins) over one period.
import { useEffect, useRef, useState } from "react";
import { useParams } from "react-router-dom";
import { call } from "../api/client";
import { useLive, useSession } from "../store";
import { allWidgets, type WidgetDefinition } from "../widgets/registry";

const PERIODS = ["24h", "7d", "14d", "30d"];

export function Dashboard() {
  const org = useParams().org!;
  const [period, setPeriod] = useState("24h");
  const plugins = useSession((s) => s.widgets);
  return (
    <section className="dashboard">
      <div className="toolbar">
        <h1>Dashboard</h1>
        <select aria-label="Period" value={period} onChange={(e) => setPeriod(e.target.value)}>
          {PERIODS.map((p) => <option key={p} value={p}>Last {p}</option>)}
        </select>
      </div>
      <div className="widgets">
        {allWidgets(plugins).map((widget) => (
          <div key={widget.id} className="widget" data-widget={widget.id}>
            <h2>{widget.title}</h2>
            {widget.component ? <widget.component org={org} period={period} /> : <PluginWidget widget={widget} org={org} period={period} />}
          </div>
        ))}
      </div>
    </section>
  );
}

type Render = (element: HTMLElement, context: object) => void | (() => void);

/** A plugin's widget: its ES module's `render(element, context)` (see docs/plugins.md). */
function PluginWidget({ widget, org, period }: { widget: WidgetDefinition; org: string; period: string }) {
  const host = useRef<HTMLDivElement>(null);
  const received = useLive((s) => s.received);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cleanup: void | (() => void);
    let cancelled = false;
    import(/* @vite-ignore */ widget.module!).then((module: { render: Render }) => {
      if (cancelled || !host.current) return;
      host.current.replaceChildren();
      cleanup = module.render(host.current, {
        organization: org, period,
        api: (path: string, query?: Record<string, string>) => call("GET", path, query),
      });
    }).catch((e: Error) => setError(e.message));
    return () => {
      cancelled = true;
      if (typeof cleanup === "function") cleanup();
    };
  }, [widget.module, org, period, received]);
  return error ? <p className="error">{error}</p> : <div ref={host} className="plugin-widget" />;
}
