// The organization's members (assignees).
import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";

export function useMembers(org: string) {
  return useQuery({
    queryKey: ["members", org],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/{organization_id_or_slug}/members/", {
      params: { path: { organization_id_or_slug: org }, query: { per_page: 100 } as never },
    })),
    staleTime: 300_000,
  });
}

/** `assignedTo` choices: the signed-in user first, then the other members with an account. */
export function assigneeOptions(members: ReturnType<typeof useMembers>["data"], me: { id: string; name: string } | null) {
  const options = me ? [{ value: `user:${me.id}`, label: `Me (${me.name})` }] : [];
  for (const member of members ?? []) {
    const id = (member.user as { id?: string } | null)?.id;
    if (id && id !== me?.id) options.push({ value: `user:${id}`, label: member.name || member.email || id });
  }
  return options;
}
