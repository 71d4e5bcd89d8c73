// An issue: its header and actions, tags with their top values, the latest (or a chosen)
// event with older/newer links, the activity and notes.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { api, call, unwrap, type Issue, type IssueUpdate, type TagKey } from "../api/client";
import type { Activity } from "../api/internal";
import { ago, count } from "../components/format";
import { useSession } from "../store";
import { EventView } from "./EventView";
import { assigneeOptions, useMembers } from "./members";

export function IssueDetail() {
  const { org, issueId, eventId } = useParams() as { org: string; issueId: string; eventId?: string };
  const client = useQueryClient();
  const path = { organization_id_or_slug: org, issue_id: issueId };
  const issue = useQuery({
    queryKey: ["issue", org, issueId],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/", { params: { path } })) as Issue,
  });
  const event = useQuery({
    queryKey: ["issue", org, issueId, "event", eventId ?? "latest"],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/events/{event_id}/", {
      params: { path: { ...path, event_id: eventId ?? "latest" } },
    })),
  });
  const tags = useQuery({
    queryKey: ["issue", org, issueId, "tags"],
    queryFn: () => call<TagKey[]>("GET", `/api/0/organizations/${org}/issues/${issueId}/tags/`),
  });
  const activity = useQuery({
    queryKey: ["issue", org, issueId, "activity"],
    queryFn: () => call<{ activity: Activity[] }>("GET", `/api/0/organizations/${org}/issues/${issueId}/activities/`),
  });
  const update = useMutation({
    mutationFn: async (body: IssueUpdate) => unwrap(await api.PUT("/api/0/organizations/{organization_id_or_slug}/issues/{issue_id}/", {
      params: { path }, body,
    })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["issue", org, issueId] });
      void client.invalidateQueries({ queryKey: ["issues", org] });
    },
  });

  if (issue.error) return <p className="error">{issue.error.message}</p>;
  const data = issue.data;
  if (!data) return <p className="loading">Loading…</p>;
  const base = `/organizations/${org}/issues/${issueId}`;
  return (
    <article className="issue-detail">
      <header className="issue-head">
        <div>
          <p className="muted"><Link to={`/organizations/${org}/issues/`}>Issues</Link> / {data.project?.slug} / <span className="short-id">{data.shortId}</span></p>
          <h1 id="issue-title"><span className={`level level-${data.level}`} />{data.title}</h1>
          <p className="culprit">{data.culprit}</p>
        </div>
        <dl className="counts">
          <div><dt>Events</dt><dd>{count(data.count)}</dd></div>
          <div><dt>Users</dt><dd>{count(data.userCount)}</dd></div>
          <div><dt>First seen</dt><dd>{ago(data.firstSeen)}</dd></div>
          <div><dt>Last seen</dt><dd>{ago(data.lastSeen)}</dd></div>
        </dl>
      </header>
      <Actions org={org} issue={data} busy={update.isPending} onUpdate={(body) => update.mutate(body)} />
      {update.error && <p className="error">{update.error.message}</p>}
      <div className="columns">
        <div className="main-col">
          <nav className="event-nav" aria-label="Events">
            <span>Event <code>{event.data?.eventID?.slice(0, 8)}</code> {event.data && <span className="muted">{ago(event.data.dateCreated as string)}</span>}</span>
            <span>
              {event.data?.previousEventID ? <Link id="older-event" to={`${base}/events/${event.data.previousEventID}/`}>Older</Link> : <span className="muted">Older</span>}
              {" · "}
              {event.data?.nextEventID ? <Link id="newer-event" to={`${base}/events/${event.data.nextEventID}/`}>Newer</Link> : <span className="muted">Newer</span>}
              {" · "}<Link to={`${base}/`}>Latest</Link>
            </span>
          </nav>
          {event.error && <p className="error">{event.error.message}</p>}
          {event.data ? <EventView event={event.data} /> : <p className="loading">Loading event…</p>}
        </div>
        <aside className="side-col">
          <section><h3>Tags</h3>
            {tags.data?.map((tag) => (
              <div key={tag.key} className="tag">
                <div className="tag-key">{tag.name ?? tag.key} <span className="muted">{tag.uniqueValues ?? ""}</span></div>
                <ul>{(tag.topValues ?? []).slice(0, 5).map((v) => (
                  <li key={String(v.value)}><span className="bar" style={{ width: `${Math.round(100 * Number(v.count) / Math.max(1, Number(tag.totalValues)))}%` }} />{String(v.value)} <span className="muted">{count(v.count)}</span></li>
                ))}</ul>
              </div>
            ))}
          </section>
          <Activities org={org} issueId={issueId} items={activity.data?.activity ?? []} />
        </aside>
      </div>
    </article>
  );
}

function Actions({ org, issue, busy, onUpdate }: { org: string; issue: Issue; busy: boolean; onUpdate: (body: IssueUpdate) => void }) {
  const members = useMembers(org);
  const me = useSession((s) => s.user);
  const assigned = issue.assignedTo as { type?: string; id?: string; name?: string } | null;
  return (
    <div className="actions" role="toolbar" aria-label="Issue actions">
      <span className={`status status-${issue.status}`} id="issue-status">{issue.status}</span>
      {issue.status === "resolved"
        ? <button id="unresolve" disabled={busy} onClick={() => onUpdate({ status: "unresolved" })}>Unresolve</button>
        : <button id="resolve" disabled={busy} onClick={() => onUpdate({ status: "resolved" })}>Resolve</button>}
      {issue.status === "ignored"
        ? <button disabled={busy} onClick={() => onUpdate({ status: "unresolved" })}>Stop ignoring</button>
        : <button disabled={busy} onClick={() => onUpdate({ status: "ignored" })}>Ignore</button>}
      <label>Assignee{" "}
        <select value={assigned?.id ? `${assigned.type ?? "user"}:${assigned.id}` : ""} disabled={busy}
          onChange={(e) => onUpdate({ assignedTo: e.target.value || null })}>
          <option value="">Nobody</option>
          {assigneeOptions(members.data, me).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
    </div>
  );
}

function Activities({ org, issueId, items }: { org: string; issueId: string; items: Activity[] }) {
  const [text, setText] = useState("");
  const client = useQueryClient();
  const note = useMutation({
    mutationFn: () => call("POST", `/api/0/organizations/${org}/issues/${issueId}/notes/`, {}, { text }),
    onSuccess: () => {
      setText("");
      void client.invalidateQueries({ queryKey: ["issue", org, issueId, "activity"] });
    },
  });
  return (
    <section className="activity"><h3>Activity</h3>
      <form onSubmit={(e) => { e.preventDefault(); if (text.trim()) note.mutate(); }}>
        <textarea aria-label="Add a note" value={text} onChange={(e) => setText(e.target.value)} placeholder="Add a note" rows={2} />
        <button type="submit" disabled={note.isPending || !text.trim()}>Post note</button>
      </form>
      {note.error && <p className="error">{note.error.message}</p>}
      <ul>{items.map((a) => (
        <li key={a.id}><b>{a.user?.name ?? "Sentry"}</b> {a.type === "note" ? String(a.data.text ?? "") : a.type.replaceAll("_", " ")} <span className="muted">{ago(a.dateCreated)}</span></li>
      ))}</ul>
    </section>
  );
}
