// The organization's members (assignees).
import { useQuery } from "@tanstack/react-query";
import { call } from "../api/client";
import type { Member } from "../api/internal";

export function useMembers(org: string) {
  return useQuery({
    queryKey: ["members", org],
    queryFn: () => call<Member[]>("GET", `/api/0/organizations/${org}/members/`, { per_page: 100 }),
    staleTime: 300_000,
  });
}
