// TanStack Query holds server data (cached per query key, refetched when the live socket
// says it changed); a small zustand store (store.ts) holds the session and socket state.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router-dom";
import { router } from "./App";
import { loadSession } from "./store";
import { connectLive } from "./live";
import "./styles.css";

const client = new QueryClient({
  defaultOptions: { queries: { staleTime: 30_000, retry: 1, refetchOnWindowFocus: false } },
});

// The page is served only to a signed-in browser, so the first API calls need not wait
// for the session bootstrap (only unsafe calls need its CSRF token).
void loadSession();
connectLive(client);
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
