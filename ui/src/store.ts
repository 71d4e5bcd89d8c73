// The central store of what is not server data: the session (from /ui/bootstrap.json) and
// the live socket's state. Server data lives in TanStack Query's cache (see main.tsx).
import { create } from "zustand";

export interface WidgetManifest { id: string; title: string; url: string }

export interface SessionState {
  user: { id: string; email: string; name: string } | null;
  csrfToken: string | null;
  logoutUrl: string;
  widgets: WidgetManifest[];
  loaded: boolean;
}

export const useSession = create<SessionState>(() => ({
  user: null, csrfToken: null, logoutUrl: "/auth/logout/", widgets: [], loaded: false,
}));

export async function loadSession(): Promise<void> {
  const response = await fetch("/ui/bootstrap.json", { credentials: "same-origin" });
  if (response.status === 401) {
    window.location.assign(`/auth/login/?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  const body = await response.json();
  useSession.setState({ ...body, loaded: true });
}

export type LiveStatus = "connecting" | "live" | "offline";

export interface LiveMessage {
  type: "events";
  organization: string;
  projects: number[];
  issues: number[];
  newIssues: number[];
  count: number;
}

export interface LiveState {
  status: LiveStatus;
  /** How many event messages arrived (components key animations on it). */
  received: number;
  last: LiveMessage | null;
}

export const useLive = create<LiveState>(() => ({ status: "connecting", received: 0, last: null }));
