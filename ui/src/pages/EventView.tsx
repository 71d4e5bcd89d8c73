// One event as Sentry's issue page shows it: exception and stack trace (in-app frames first,
// with their context lines), message, breadcrumbs, request, user, contexts and tags.
import { useState } from "react";
import type { EventDetail } from "../api/client";

type Obj = Record<string, unknown>;
interface Frame { filename?: string; absPath?: string; module?: string; function?: string; lineNo?: number; colNo?: number; inApp?: boolean; context?: [number, string][] }
interface ExceptionValue { type?: string; value?: string; module?: string; stacktrace?: { frames?: Frame[] } | null; mechanism?: Obj | null }

function entry(event: EventDetail, type: string): Obj | undefined {
  return (event.entries as Obj[] | undefined)?.find((e) => e.type === type)?.data as Obj | undefined;
}

export function EventView({ event }: { event: EventDetail }) {
  const exception = entry(event, "exception");
  const message = entry(event, "message");
  const breadcrumbs = entry(event, "breadcrumbs");
  const request = entry(event, "request");
  return (
    <div className="event">
      {(exception?.values as ExceptionValue[] | undefined)?.slice().reverse().map((value, i) => <ExceptionBlock key={i} value={value} />)}
      {message && <section><h3>Message</h3><pre className="message">{String(message.formatted ?? message.message ?? "")}</pre></section>}
      {breadcrumbs && <Breadcrumbs values={(breadcrumbs.values as Obj[]) ?? []} />}
      {request && <RequestBlock request={request} />}
      {event.user && <KeyValues title="User" data={event.user as Obj} />}
      {event.contexts && Object.entries(event.contexts as Obj).map(([name, value]) => (
        value && typeof value === "object" ? <KeyValues key={name} title={`Context: ${name}`} data={value as Obj} /> : null))}
      {event.tags && event.tags.length > 0 && (
        <section><h3>Tags</h3>
          <ul className="tag-pills">{event.tags.map((t) => <li key={`${t.key}=${t.value}`}><b>{t.key}</b> {t.value}</li>)}</ul>
        </section>
      )}
    </div>
  );
}

function ExceptionBlock({ value }: { value: ExceptionValue }) {
  const [showAll, setShowAll] = useState(false);
  // Most recent call first, as Sentry shows it; frames of the app itself before the rest.
  const frames = (value.stacktrace?.frames ?? []).slice().reverse();
  const inApp = frames.filter((f) => f.inApp);
  const shown = showAll || inApp.length === 0 ? frames : inApp;
  return (
    <section className="exception">
      <h3><span className="exc-type">{value.type}</span>{value.module ? <span className="muted"> ({value.module})</span> : null}</h3>
      <p className="exc-value">{value.value}</p>
      <ol className="frames">
        {shown.map((frame, i) => <FrameRow key={i} frame={frame} open={i === 0 || (frame.inApp ?? false) && i < 3} />)}
      </ol>
      {inApp.length > 0 && inApp.length < frames.length && (
        <button className="link" onClick={() => setShowAll(!showAll)}>
          {showAll ? "Show only in-app frames" : `Show ${frames.length - inApp.length} more frames`}
        </button>
      )}
    </section>
  );
}

function FrameRow({ frame, open }: { frame: Frame; open: boolean }) {
  const [expanded, setExpanded] = useState(open);
  const where = frame.filename ?? frame.absPath ?? frame.module ?? "?";
  return (
    <li className={`frame${frame.inApp ? " in-app" : ""}`}>
      <button className="frame-head" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
        <span className="file">{where}</span> in <span className="fn">{frame.function ?? "?"}</span>
        {frame.lineNo != null && <span className="muted"> at line {frame.lineNo}{frame.colNo != null ? `:${frame.colNo}` : ""}</span>}
        {frame.inApp && <span className="badge">in app</span>}
      </button>
      {expanded && frame.context && frame.context.length > 0 && (
        <pre className="context">{frame.context.map(([line, code]) => (
          <div key={line} className={line === frame.lineNo ? "current" : undefined}><span className="ln">{line}</span>{code}</div>
        ))}</pre>
      )}
    </li>
  );
}

function Breadcrumbs({ values }: { values: Obj[] }) {
  if (!values.length) return null;
  return (
    <section><h3>Breadcrumbs</h3>
      <table className="crumbs">
        <tbody>
          {values.slice(-50).map((crumb, i) => (
            <tr key={i}>
              <td className="muted">{String(crumb.category ?? crumb.type ?? "")}</td>
              <td>{String(crumb.message ?? (crumb.data ? JSON.stringify(crumb.data) : ""))}</td>
              <td className="muted">{String(crumb.level ?? "")}</td>
              <td className="muted">{crumb.timestamp ? new Date(String(crumb.timestamp)).toLocaleTimeString() : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RequestBlock({ request }: { request: Obj }) {
  return (
    <section><h3>Request</h3>
      <p><b>{String(request.method ?? "")}</b> {String(request.url ?? "")}</p>
      {Array.isArray(request.headers) && <KeyValues title="Headers" data={Object.fromEntries(request.headers as [string, string][])} nested />}
    </section>
  );
}

function KeyValues({ title, data, nested }: { title: string; data: Obj; nested?: boolean }) {
  const rows = Object.entries(data).filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (!rows.length) return null;
  const body = (
    <table className="kv"><tbody>
      {rows.map(([k, v]) => <tr key={k}><th>{k}</th><td>{typeof v === "object" ? JSON.stringify(v) : String(v)}</td></tr>)}
    </tbody></table>
  );
  return nested ? <div><h4>{title}</h4>{body}</div> : <section><h3>{title}</h3>{body}</section>;
}
