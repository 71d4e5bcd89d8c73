// Projects: the list (keyboard-navigable) and a form to create one for a team.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { moveFocus } from "../components/format";
import { useProjects } from "./filters";
import { useTeams } from "./Teams";
import { PLATFORMS } from "./snippets";

export function Projects() {
  const org = useParams().org!;
  const projects = useProjects(org);
  const teams = useTeams(org);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [team, setTeam] = useState("");
  const [platform, setPlatform] = useState("python");
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/0/teams/{organization_id_or_slug}/{team_id_or_slug}/projects/", {
      params: { path: { organization_id_or_slug: org, team_id_or_slug: team || teams.data?.[0]?.slug || "" } },
      body: { name, platform } as never,
    })),
    onSuccess: (project) => {
      void client.invalidateQueries({ queryKey: ["projects", org] });
      navigate(`${(project as { slug: string }).slug}/`);
    },
  });
  return (
    <section className="projects">
      <h1>Projects</h1>
      <ul className="cards" data-list>
        {projects.data?.map((p) => (
          <li key={p.id} className="card" tabIndex={0} onKeyDown={(e) => { if (!moveFocus(e, "li.card") && e.key === "Enter") navigate(`${p.slug}/`); }}>
            <Link to={`${p.slug}/`} tabIndex={-1}><b>{p.name}</b></Link>
            <div className="muted">{p.slug} · {p.platform ?? "no platform"} · {(p.teams ?? []).map((t) => t.slug).join(", ")}</div>
            <Link to={`/organizations/${org}/issues/?project=${p.id}`} tabIndex={-1}>Issues</Link>
          </li>
        ))}
      </ul>
      <form className="create" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <h2>Create a project</h2>
        <label>Name <input required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <label>Team <select value={team} onChange={(e) => setTeam(e.target.value)}>
          {teams.data?.map((t) => <option key={t.id} value={t.slug}>{t.slug}</option>)}
        </select></label>
        <label>Platform <select value={platform} onChange={(e) => setPlatform(e.target.value)}>
          {Object.entries(PLATFORMS).map(([id, p]) => <option key={id} value={id}>{p.label}</option>)}
        </select></label>
        <button type="submit" disabled={create.isPending}>Create project</button>
        {create.error && <p className="error">{create.error.message}</p>}
      </form>
    </section>
  );
}
