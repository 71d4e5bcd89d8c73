// Builds into the Flask package (sentryapi/ui/static), served under /ui/; the names carry
// content hashes, so a build of the same sources gives the same files.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  base: "/ui/",
  plugins: [react()],
  build: {
    outDir: process.env.SENTRYAPI_UI_OUT ?? "../sentryapi/ui/static",
    emptyOutDir: true,
    sourcemap: false,
    // No inline <script> or module-preload polyfill: the page's CSP allows 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:9000",
      "/auth": "http://127.0.0.1:9000",
      "/ui/bootstrap.json": "http://127.0.0.1:9000",
      "/ui/widgets": "http://127.0.0.1:9000",
      "/ws": { target: "ws://127.0.0.1:9000", ws: true },
    },
  },
});
