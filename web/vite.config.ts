// Vite configuration for the Accord web UI.
//
// `npm run build` writes dist/ with root-absolute asset paths (/assets/...),
// which is what `accord serve --web-root dist` serves at `/`.
// `npm run dev` and `npm run preview` forward /api, /taxii2 and the health
// checks to a running `accord serve` (ACCORD_API, default the server's
// default listen address), so the UI can be tried before the server serves it.
import { defineConfig } from "vite";

const target = process.env.ACCORD_API ?? "http://127.0.0.1:8470";
const proxy = Object.fromEntries(
  ["/api", "/taxii2", "/healthz", "/readyz"].map((p) => [p, { target, changeOrigin: false }]),
);

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
  },
  server: { proxy },
  preview: { proxy },
});
