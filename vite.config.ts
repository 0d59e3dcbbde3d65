import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Rollup } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

/** React, React DOM and Remix's browser runtime: what every page runs, kept in one long-cached chunk. */
const FRAMEWORK = /\/node_modules\/(react|react-dom|scheduler|@remix-run\/[^/]+|react-router|react-router-dom|turbo-stream)\//;
/**
 * Libraries some pages use but the draft page does not: in a chunk of their own, and the app modules that import
 * them kept out of the shared chunk, or every page would load them through it.
 */
const OWN_CHUNK = /\/node_modules\/(zod)\//;
/** The page most people open, on phones too, and the root around it: their scripts are kept to what they run. */
const DRAFT_PAGE = ["/app/root.tsx", "/app/routes/d.$slug.tsx"];
const ROUTE_FILE = /\/app\/(routes\/[^/]+|root\.tsx)$/;

/**
 * Which pages (route modules) load a module as soon as they open, following static imports only: a module reached
 * only through a dynamic import (the collaborative editor) belongs to no page here.
 */
interface ChunkMemo {
  pages: Map<string, Set<string>>;
  libraries: Map<string, boolean>;
}

function pagesLoading(id: string, getModuleInfo: Rollup.GetModuleInfo, memo: Map<string, Set<string>>): Set<string> {
  const known = memo.get(id);
  if (known) return known;
  const pages = new Set<string>();
  memo.set(id, pages); // import cycles end here
  // Remix imports each route file twice: as itself and as `<file>?__remix-build-client-route`.
  const file = id.split("?")[0] ?? id;
  if (ROUTE_FILE.test(file)) pages.add(file);
  for (const importer of getModuleInfo(id)?.importers ?? []) for (const page of pagesLoading(importer, getModuleInfo, memo)) pages.add(page);
  return pages;
}

function importsOwnChunkLibrary(id: string, getModuleInfo: Rollup.GetModuleInfo, memo: Map<string, boolean>): boolean {
  const known = memo.get(id);
  if (known !== undefined) return known;
  memo.set(id, false); // import cycles end here
  const imports = OWN_CHUNK.test(id) || (getModuleInfo(id)?.importedIds ?? []).some((imported) => importsOwnChunkLibrary(imported, getModuleInfo, memo));
  memo.set(id, imports);
  return imports;
}

/**
 * Left alone, Rollup splits the browser's code into a score of chunks, and a reader's draft page fetched 10 scripts.
 * Over a slow mobile connection and HTTP/1.1 the browser fetches six at a time per host, so the seventh costs a
 * second round trip (over half a second on Lighthouse's slow 4G; npm run bench:reader). So the framework goes into
 * one chunk and the app's modules that several pages share into another (two: those the draft page runs, and the
 * rest); each page's own modules stay in its route's chunk, and the editor, which loads later and only for editors,
 * keeps its own chunks.
 */
function clientChunk(id: string, { getModuleInfo }: Rollup.ManualChunkMeta, memo: ChunkMemo): string | undefined {
  if (FRAMEWORK.test(id)) return "framework";
  const library = OWN_CHUNK.exec(id)?.[1];
  if (library) return library;
  if (id.includes("/node_modules/") || ROUTE_FILE.test(id.split("?")[0] ?? id) || !id.includes("/app/")) return undefined;
  if (importsOwnChunkLibrary(id, getModuleInfo, memo.libraries)) return undefined;
  const pages = pagesLoading(id, getModuleInfo, memo.pages);
  if (pages.size < 2) return undefined;
  return [...pages].some((page) => DRAFT_PAGE.some((file) => page.endsWith(file))) ? "shared" : "shared-pages";
}

export default defineConfig(({ isSsrBuild }) => {
  const memo: ChunkMemo = { pages: new Map(), libraries: new Map() };
  return {
    plugins: [remix(remixConfig), tsconfigPaths()],
    server: { hmr: { port: 24678 } },
    build: isSsrBuild ? {} : { rollupOptions: { output: { manualChunks: (id: string, meta: Rollup.ManualChunkMeta) => clientChunk(id, meta, memo) } } },
  };
});
