// The built-in dashboard widgets, each one API call: org events-stats, the issues list and
// stats_v2 (endpoints on main).
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { api, call, unwrap, type Issue } from "../api/client";
import type { EventsStats, StatsV2 } from "../api/internal";
import { TimeChart } from "../components/TimeChart";
import { count } from "../components/format";
import { useProjects } from "../pages/filters";
import type { WidgetProps } from "./registry";

export function EventsOverTime({ org, period }: WidgetProps) {
  const stats = useQuery({
    queryKey: ["events-stats", org, period],
    queryFn: () => call<EventsStats>("GET", `/api/0/organizations/${org}/events-stats/`, { statsPeriod: period, yAxis: "count()" }),
  });
  if (stats.error) return <p className="error">{stats.error.message}</p>;
  if (!stats.data) return <p className="loading">Loading…</p>;
  return <TimeChart label="Events" series={stats.data.data.map(([ts, values]) => [ts, values[0]?.count ?? 0])} />;
}

function useTopIssues(org: string, period: string, limit: number) {
  return useQuery({
    queryKey: ["dashboard", org, "issues", period, limit],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/issues/", {
      params: { path: { organization_id_or_slug: org }, query: { query: "", sort: "freq", statsPeriod: period, limit } as never },
    })) as Issue[],
  });
}

export function TopIssues({ org, period }: WidgetProps) {
  const issues = useTopIssues(org, period, 5);
  if (issues.error) return <p className="error">{issues.error.message}</p>;
  return (
    <ol className="top-issues">
      {issues.data?.map((i) => (
        <li key={i.id}><Link to={`/organizations/${org}/issues/${i.id}/`}>{i.title}</Link> <span className="muted">{count(i.count)}</span></li>
      ))}
      {issues.data?.length === 0 && <li className="muted">No issues in this period.</li>}
    </ol>
  );
}

function Bars({ rows }: { rows: [string, number][] }) {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  if (!rows.length) return <p className="muted">Nothing in this period.</p>;
  return (
    <ul className="bars">
      {rows.map(([label, value]) => (
        <li key={label}><span className="bar-label">{label}</span><span className="bar" style={{ width: `${Math.round((100 * value) / max)}%` }} /><span className="muted">{count(value)}</span></li>
      ))}
    </ul>
  );
}

/** From the 100 most frequent issues of the period (one call; Discover will make it exact). */
export function EventsByLevel({ org, period }: WidgetProps) {
  const issues = useTopIssues(org, period, 100);
  if (issues.error) return <p className="error">{issues.error.message}</p>;
  const totals = new Map<string, number>();
  for (const issue of issues.data ?? []) totals.set(issue.level ?? "error", (totals.get(issue.level ?? "error") ?? 0) + Number(issue.count ?? 0));
  return <Bars rows={[...totals.entries()].sort((a, b) => b[1] - a[1])} />;
}

export function EventsByProject({ org, period }: WidgetProps) {
  const stats = useQuery({
    queryKey: ["dashboard", org, "by-project", period],
    queryFn: () => call<StatsV2>("GET", `/api/0/organizations/${org}/stats_v2/`, {
      field: "sum(quantity)", groupBy: "project", category: "error", outcome: "accepted", statsPeriod: period, interval: "1d",
    }),
  });
  const projects = useProjects(org);
  if (stats.error) return <p className="error">{stats.error.message}</p>;
  const slugs = new Map((projects.data ?? []).map((p) => [String(p.id), p.slug ?? String(p.id)]));
  const rows = (stats.data?.groups ?? []).map((g) => [slugs.get(String(g.by.project)) ?? String(g.by.project), g.totals["sum(quantity)"] ?? 0] as [string, number]);
  return <Bars rows={rows.sort((a, b) => b[1] - a[1])} />;
}
