// Teams: the list and a form to create one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { api, unwrap } from "../api/client";
import { moveFocus } from "../components/format";

export function useTeams(org: string) {
  return useQuery({
    queryKey: ["teams", org],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/teams/", {
      params: { path: { organization_id_or_slug: org }, query: { per_page: 100 } as never },
    })),
  });
}

export function Teams() {
  const org = useParams().org!;
  const teams = useTeams(org);
  const client = useQueryClient();
  const [slug, setSlug] = useState("");
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST("/api/0/organizations/{organization_id_or_slug}/teams/", {
      params: { path: { organization_id_or_slug: org } }, body: { slug } as never,
    })),
    onSuccess: () => {
      setSlug("");
      void client.invalidateQueries({ queryKey: ["teams", org] });
    },
  });
  return (
    <section className="teams">
      <h1>Teams</h1>
      <ul className="cards" data-list>
        {teams.data?.map((t) => (
          <li key={t.id} className="card" tabIndex={0} onKeyDown={(e) => moveFocus(e, "li.card")}>
            <b>#{t.slug}</b> <span className="muted">{t.name}</span>
            <div className="muted">{t.memberCount ?? 0} members · {(t.projects ?? []).map((p) => p.slug).join(", ") || "no projects"}</div>
          </li>
        ))}
      </ul>
      <form className="create" onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <h2>Create a team</h2>
        <label>Slug <input required pattern="[a-z0-9_\-]+" value={slug} onChange={(e) => setSlug(e.target.value)} /></label>
        <button type="submit" disabled={create.isPending}>Create team</button>
        {create.error && <p className="error">{create.error.message}</p>}
      </form>
    </section>
  );
}
