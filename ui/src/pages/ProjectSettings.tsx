// A project's settings: name, slug and platform; its DSN keys with a copyable DSN and the
// setup snippet for its platform.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { api, unwrap, type ProjectKey } from "../api/client";
import { PLATFORMS, snippetFor } from "./snippets";

export function ProjectSettings() {
  const { org, project: slug } = useParams() as { org: string; project: string };
  const path = { organization_id_or_slug: org, project_id_or_slug: slug };
  const client = useQueryClient();
  const navigate = useNavigate();
  const project = useQuery({
    queryKey: ["project", org, slug],
    queryFn: async () => unwrap(await api.GET("/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/", { params: { path } })),
  });
  const keys = useQuery({
    queryKey: ["keys", org, slug],
    queryFn: async () => unwrap(await api.GET("/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/keys/", { params: { path } })),
  });
  const [form, setForm] = useState({ name: "", slug: "", platform: "" });
  useEffect(() => {
    if (project.data) setForm({ name: project.data.name ?? "", slug: project.data.slug ?? "", platform: project.data.platform ?? "" });
  }, [project.data]);
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PUT("/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/", {
      params: { path }, body: { name: form.name, slug: form.slug, platform: form.platform || null } as never,
    })),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ["projects", org] });
      const next = (saved as { slug: string }).slug;
      if (next !== slug) navigate(`../${next}/`, { relative: "path" });
      else void client.invalidateQueries({ queryKey: ["project", org, slug] });
    },
  });
  const addKey = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/0/projects/{organization_id_or_slug}/{project_id_or_slug}/keys/", {
      params: { path }, body: { name: `Key ${(keys.data?.length ?? 0) + 1}` } as never,
    })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["keys", org, slug] }),
  });
  if (project.error) return <p className="error">{project.error.message}</p>;
  if (!project.data) return <p className="loading">Loading…</p>;
  return (
    <section className="project-settings">
      <h1>{project.data.name}</h1>
      <form className="create" onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <h2>Settings</h2>
        <label>Name <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label>Slug <input value={form.slug} onChange={(e) => setForm({ ...form, slug: e.target.value })} /></label>
        <label>Platform <select value={form.platform} onChange={(e) => setForm({ ...form, platform: e.target.value })}>
          <option value="">None</option>
          {Object.entries(PLATFORMS).map(([id, p]) => <option key={id} value={id}>{p.label}</option>)}
        </select></label>
        <button type="submit" disabled={save.isPending}>Save</button>
        {save.error && <p className="error">{save.error.message}</p>}
      </form>
      <h2>Client keys (DSN)</h2>
      {keys.data?.map((key) => <KeyCard key={key.id} projectKey={key} platform={project.data.platform} />)}
      <button onClick={() => addKey.mutate()} disabled={addKey.isPending}>New key</button>
    </section>
  );
}

function KeyCard({ projectKey, platform }: { projectKey: ProjectKey; platform: string | null | undefined }) {
  const dsn = projectKey.dsn?.public ?? "";
  const [copied, setCopied] = useState(false);
  return (
    <div className="key-card">
      <h3>{projectKey.name} {!projectKey.isActive && <span className="badge">disabled</span>}</h3>
      <div className="dsn">
        <input readOnly value={dsn} aria-label="DSN" className="dsn-value" onFocus={(e) => e.currentTarget.select()} />
        <button onClick={() => { void navigator.clipboard?.writeText(dsn).then(() => setCopied(true)); }}>{copied ? "Copied" : "Copy"}</button>
      </div>
      <pre className="snippet">{snippetFor(platform, dsn)}</pre>
    </div>
  );
}
