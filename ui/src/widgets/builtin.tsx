// The built-in dashboard widgets, each one API call: org events-stats, the issues list,
// Discover's events table (by level, by release) and stats_v2.
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

/** One Discover call: error events of the period (every project you reach) counted by
 * ``field``, the largest first; an event without the field is counted under ``empty``. */
function useCountsBy(org: string, period: string, field: string) {
  return useQuery({
    queryKey: ["dashboard", org, "by", field, period],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/events/", {
      params: { path: { organization_id_or_slug: org }, query: { field: [field, "count()"], dataset: "errors", sort: "-count()", statsPeriod: period, per_page: 10 } },
    })),
  });
}

function CountsBy({ org, period, field, empty }: WidgetProps & { field: string; empty: string }) {
  const table = useCountsBy(org, period, field);
  if (table.error) return <p className="error">{table.error.message}</p>;
  const rows = (table.data?.data ?? []).map((row) => [String(row[field] ?? "") || empty, Number(row["count()"] ?? 0)] as [string, number]);
  return <Bars rows={rows} />;
}

export function EventsByLevel(props: WidgetProps) {
  return <CountsBy {...props} field="level" empty="(none)" />;
}

export function EventsByRelease(props: WidgetProps) {
  return <CountsBy {...props} field="release" empty="(no release)" />;
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
