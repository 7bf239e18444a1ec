import { defineConfig } from "vitest/config";

// Tauri serves ui/dist in builds and http://localhost:1420 in `tauri dev`.
export default defineConfig({
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // Keep every script an external file: the CSP allows only 'self' scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // CodeMirror with Markdown (and the HTML/CSS/JS it embeds) is ~540 kB; it loads from disk.
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/i18n/testSetup.ts"],

  },
});
