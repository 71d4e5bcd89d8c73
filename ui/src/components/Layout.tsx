// The frame of every organization page: navigation, the live socket's state, sign-out.
import { NavLink, Outlet, useParams } from "react-router-dom";
import { useLive, useSession } from "../store";

export function Layout() {
  const { org } = useParams();
  const user = useSession((s) => s.user);
  const csrf = useSession((s) => s.csrfToken);
  const logoutUrl = useSession((s) => s.logoutUrl);
  const status = useLive((s) => s.status);
  const base = `/organizations/${org}`;
  return (
    <div className="frame">
      <header className="topbar">
        <a className="brand" href="/">sentryapi</a>
        <span className="org" title="Organization">{org}</span>
        <nav aria-label="Main">
          <NavLink to={`${base}/issues/`}>Issues</NavLink>
          <NavLink to={`${base}/dashboards/`}>Dashboard</NavLink>
          <NavLink to={`${base}/projects/`}>Projects</NavLink>
          <NavLink to={`${base}/teams/`}>Teams</NavLink>
        </nav>
        <span className={`live live-${status}`} id="live-status" title="Live updates">{status}</span>
        {user && (
          <form method="post" action={logoutUrl} className="signout">
            <span className="who">{user.name}</span>
            <input type="hidden" name="csrf_token" value={csrf ?? ""} />
            <button type="submit">Sign out</button>
          </form>
        )}
      </header>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
