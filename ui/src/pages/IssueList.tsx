// Issues: Sentry's search syntax, sort, project/environment filters, status tabs, bulk
// actions and cursor pages; one API call per page (each row's sparkline comes with it).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { api, pageCursors, unwrap, type Issue, type IssueUpdate } from "../api/client";
import { Sparkline } from "../components/Sparkline";
import { ago, count, moveFocus } from "../components/format";
import { useLive, useSession } from "../store";
import { useEnvironments, useProjects } from "./filters";
import { assigneeOptions, useMembers } from "./members";

const TABS = [
  { label: "Unresolved", query: "is:unresolved" },
  { label: "Ignored", query: "is:ignored" },
  { label: "Resolved", query: "is:resolved" },
  { label: "All", query: "" },
];
const SORTS = [
  { value: "date", label: "Last seen" },
  { value: "new", label: "First seen" },
  { value: "freq", label: "Events" },
  { value: "user", label: "Users" },
];
const PAGE = 25;

export function IssueList() {
  const org = useParams().org!;
  const [params, setParams] = useSearchParams();
  const query = params.get("query") ?? "is:unresolved";
  const sort = params.get("sort") ?? "date";
  const project = params.get("project") ?? "";
  const environment = params.get("environment") ?? "";
  const cursor = params.get("cursor") ?? undefined;
  const [draft, setDraft] = useState(query);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const received = useLive((s) => s.received);
  const navigate = useNavigate();
  const client = useQueryClient();

  const issues = useQuery({
    queryKey: ["issues", org, query, sort, project, environment, cursor],
    queryFn: async () => {
      const result = await api.GET("/api/0/organizations/{organization_id_or_slug}/issues/", {
        params: {
          path: { organization_id_or_slug: org },
          query: {
            query, sort, cursor, limit: PAGE, statsPeriod: "24h",
            project: project ? [Number(project)] : undefined,
            environment: environment ? [environment] : undefined,
          } as never,
        },
      });
      return { rows: unwrap(result) as Issue[], cursors: pageCursors(result.response), hits: result.response.headers.get("X-Hits") };
    },
    placeholderData: (previous) => previous,
  });
  const projects = useProjects(org);
  const environments = useEnvironments(org);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      // An empty query is kept (the "All" tab); other empty filters are dropped.
      if (value === undefined || (value === "" && key !== "query")) next.delete(key);
      else next.set(key, value);
    }
    if (!("cursor" in changes)) next.delete("cursor");
    setSelected(new Set());
    setParams(next);
  };

  const bulk = useMutation({
    mutationFn: async (body: IssueUpdate) => unwrap(await api.PUT("/api/0/organizations/{organization_id_or_slug}/issues/", {
      params: { path: { organization_id_or_slug: org }, query: { id: [...selected].map(Number) } as never },
      body,
    })),
    onSuccess: () => {
      setSelected(new Set());
      void client.invalidateQueries({ queryKey: ["issues", org] });
    },
  });

  // Every issue the API lists has an id; the schema marks response fields optional.
  const rows = (issues.data?.rows ?? []).map((r) => ({ ...r, id: String(r.id) }));
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  return (
    <section className="issues">
      <div className="toolbar">
        <form role="search" onSubmit={(e) => { e.preventDefault(); update({ query: draft }); }}>
          <input id="issue-search" aria-label="Search issues" value={draft} onChange={(e) => setDraft(e.target.value)}
            placeholder="is:unresolved level:error browser:Chrome" spellCheck={false} />
        </form>
        <select aria-label="Project" value={project} onChange={(e) => update({ project: e.target.value })}>
          <option value="">All projects</option>
          {projects.data?.map((p) => <option key={p.id} value={p.id}>{p.slug}</option>)}
        </select>
        <select aria-label="Environment" value={environment} onChange={(e) => update({ environment: e.target.value })}>
          <option value="">All environments</option>
          {environments.data?.map((env) => <option key={env.name} value={env.name}>{env.name}</option>)}
        </select>
        <select aria-label="Sort by" value={sort} onChange={(e) => update({ sort: e.target.value })}>
          {SORTS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </div>
      <div className="tabs" role="tablist">
        {TABS.map((tab) => (
          <button key={tab.label} role="tab" aria-selected={query === tab.query}
            onClick={() => { setDraft(tab.query); update({ query: tab.query }); }}>
            {tab.label}
          </button>
        ))}
        {issues.data?.hits && <span className="muted hits">{issues.data.hits} issues</span>}
      </div>
      <BulkBar org={org} count={selected.size} busy={bulk.isPending} onAction={(body) => bulk.mutate(body)} />
      {bulk.error && <p className="error">{bulk.error.message}</p>}
      {issues.error && <p className="error">{issues.error.message}</p>}
      <table className="issue-table" data-list>
        <thead>
          <tr>
            <th className="check"><input type="checkbox" aria-label="Select all" checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))} /></th>
            <th>Issue</th><th className="graph">Last 24h</th><th className="num">Events</th><th className="num">Users</th>
            <th className="num">Last seen</th><th>Assignee</th>
          </tr>
        </thead>
        <tbody key={received}>
          {rows.map((issue) => (
            <tr key={issue.id} className="issue-row" tabIndex={0} data-issue={issue.id}
              onKeyDown={(e) => {
                if (moveFocus(e, "tr.issue-row")) return;
                if (e.key === "Enter") navigate(`${issue.id}/`);
                if (e.key === "x") toggle(issue.id);
              }}>
              <td className="check"><input type="checkbox" aria-label={`Select ${issue.shortId}`} checked={selected.has(issue.id)} onChange={() => toggle(issue.id)} /></td>
              <td className="title">
                <Link to={`${issue.id}/`} tabIndex={-1}><span className={`level level-${issue.level}`} />{issue.title}</Link>
                <div className="sub"><span className="short-id">{issue.shortId}</span> {issue.culprit} <span className="muted">{issue.project?.slug}</span></div>
              </td>
              <td className="graph"><Sparkline points={((issue.stats as Record<string, [number, number][]>)?.["24h"]) ?? []} /></td>
              <td className="num count">{count(issue.count)}</td>
              <td className="num">{count(issue.userCount)}</td>
              <td className="num">{ago(issue.lastSeen)}</td>
              <td>{(issue.assignedTo as { name?: string } | null)?.name ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
          {issues.isSuccess && rows.length === 0 && <tr><td colSpan={7} className="empty">No issues match.</td></tr>}
          {issues.isLoading && <tr><td colSpan={7} className="loading">Loading…</td></tr>}
        </tbody>
      </table>
      <div className="pager">
        <button disabled={!issues.data?.cursors.previous} onClick={() => update({ cursor: issues.data?.cursors.previous })}>Previous</button>
        <button disabled={!issues.data?.cursors.next} onClick={() => update({ cursor: issues.data?.cursors.next })}>Next</button>
      </div>
    </section>
  );
}

function BulkBar({ org, count: n, busy, onAction }: { org: string; count: number; busy: boolean; onAction: (body: IssueUpdate) => void }) {
  const members = useMembers(org);
  const me = useSession((s) => s.user);
  if (n === 0) return <div className="bulk muted">Select issues (x) to resolve, ignore, assign or merge them.</div>;
  return (
    <div className="bulk" role="toolbar" aria-label="Bulk actions">
      <span>{n} selected</span>
      <button id="bulk-resolve" disabled={busy} onClick={() => onAction({ status: "resolved" })}>Resolve</button>
      <button disabled={busy} onClick={() => onAction({ status: "ignored" })}>Ignore</button>
      <button disabled={busy} onClick={() => onAction({ status: "unresolved" })}>Unresolve</button>
      <button disabled={busy || n < 2} onClick={() => onAction({ merge: true })}>Merge</button>
      <select aria-label="Assign to" value="" disabled={busy} onChange={(e) => onAction({ assignedTo: e.target.value || null })}>
        <option value="" disabled>Assign to…</option>
        {assigneeOptions(members.data, me).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        <option value="">Nobody</option>
      </select>
    </div>
  );
}
