// Queries the filters of several pages share: the organization's projects and environments.
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

export function useProjects(org: string) {
  return useQuery({
    queryKey: ["projects", org],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/projects/", {
      params: { path: { organization_id_or_slug: org }, query: { per_page: 100 } as never },
    })),
  });
}

export function useEnvironments(org: string) {
  return useQuery({
    queryKey: ["environments", org],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/environments/", {
      params: { path: { organization_id_or_slug: org } },
    })),
  });
}
