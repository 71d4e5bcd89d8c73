// The live socket (/ws/): on each message, the issue lists, counts and charts of that
// organization are refetched; after a drop (a server restart) it reconnects with back-off.
import type { QueryClient } from "@tanstack/react-query";
import { useLive, type LiveMessage } from "./store";

const MAX_DELAY = 15_000;

export function connectLive(client: QueryClient): () => void {
  let socket: WebSocket | null = null;
  let delay = 500;
  let timer: number | undefined;
  let stopped = false;

  const open = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/`);
    useLive.setState({ status: "connecting" });
    socket.onopen = () => {
      delay = 500;
      useLive.setState({ status: "live" });
    };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data) as { type: string } & Partial<LiveMessage>;
      if (data.type !== "events") return;
      const live = data as LiveMessage;
      useLive.setState((s) => ({ received: s.received + 1, last: live }));
      for (const key of ["issues", "issue", "events-stats", "dashboard"]) {
        void client.invalidateQueries({ queryKey: [key, live.organization] });
      }
    };
    socket.onclose = (event) => {
      useLive.setState({ status: "offline" });
      if (stopped) return;
      if (event.code === 4401) {
        window.location.assign("/auth/login/");
        return;
      }
      timer = window.setTimeout(open, delay);
      delay = Math.min(delay * 2, MAX_DELAY);
    };
  };
  open();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    socket?.close();
  };
}
