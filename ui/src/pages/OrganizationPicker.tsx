// `/`: the organizations the user belongs to; with only one, straight to its issues.
import { useQuery } from "@tanstack/react-query";
import { Link, Navigate } from "react-router-dom";
import { api, unwrap } from "../api/client";

export function OrganizationPicker() {
  const { data, error } = useQuery({
    queryKey: ["organizations"],
    queryFn: async () => unwrap(await api.GET("/api/0/organizations/", {})),
  });
  if (error) return <p className="error">{error.message}</p>;
  if (!data) return <p className="loading">Loading…</p>;
  if (data.length === 1) return <Navigate to={`/organizations/${data[0].slug}/issues/`} replace />;
  return (
    <div className="picker">
      <h1>Pick an organization</h1>
      {data.length === 0 && <p className="empty">You are not a member of any organization yet.</p>}
      <ul>
        {data.map((o) => (
          <li key={o.id}><Link to={`/organizations/${o.slug}/issues/`}>{o.name}</Link> <span className="muted">{o.slug}</span></li>
        ))}
      </ul>
    </div>
  );
}
