import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

export default defineConfig({
  plugins: [remix(remixConfig), tsconfigPaths()],
  server: { hmr: { port: 24678 } },
  build: {
    rollupOptions: {
      // Left alone, Rollup splits the app's shared modules into a score of chunks of a few hundred bytes each. Over a
      // slow mobile connection each costs a request's round trip (six at a time per host over HTTP/1.1), which is
      // most of a reader's wait on a phone (npm run bench:reader). Small chunks are merged where that loads no more
      // code on any page.
      output: { experimentalMinChunkSize: 20_000 },
    },
  },
});
