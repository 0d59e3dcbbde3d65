/**
 * Issue 14, "serve it light": a reader's draft page loads at most 150 kB of script, compressed, and never the editor
 * (Tiptap, ProseMirror, Yjs, the websocket client), which loads only for those who may edit (decision 0022).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED_DOCUMENT } from "#app/seed/draft";
import { signedInAs } from "#tests/support/accounts";
import { startTestServer, type TestServer } from "#tests/support/server";

const DRAFT = `/d/${SEED_DOCUMENT.slug}`;
const BUDGET_BYTES = 150_000;
/** Code of the editor's libraries, as it reads in a minified bundle. */
const EDITOR_CODE = /prosemirror|y-websocket|yjs|tiptap\/core/i;

/** The body as sent (brotli when the file has a copy): fetch would undo the compression itself. */
function transferred(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer; encoding: string | undefined }> {
  return new Promise((resolve, reject) =>
    request(url, { headers: { "Accept-Encoding": "br", ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks), encoding: response.headers["content-encoding"] }));
      response.on("error", reject);
    })
      .on("error", reject)
      .end(),
  );
}

async function text(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { headers });
  expect(response.status).toBe(200);
  return response.text();
}

interface RemixManifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[] }>;
}

/**
 * Every script the page makes the browser load before it is interactive: its script and module-preload links, the
 * modules its inline scripts import, and from Remix's manifest (inline in the page) the entry and the modules of the
 * page's routes with their imports (which the links should already name).
 */
function pageScripts(html: string): { scripts: Set<string>; manifest: RemixManifest } {
  const linked = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1] ?? "");
  const imported = [...html.matchAll(/import\s*(?:[^"'()]*?from\s*)?\(?\s*"(\/assets\/[^"]+\.js)"/g)].map((match) => match[1] ?? "");
  const scripts = new Set([...linked, ...imported]);
  const inline = /window\.__remixManifest\s*=\s*(\{[\s\S]*?\});\s*window\.__remixRouteModules/.exec(html);
  if (!inline?.[1]) throw new Error("the page has no Remix manifest");
  const manifest = JSON.parse(inline[1]) as RemixManifest;
  for (const module of [manifest.entry.module, ...manifest.entry.imports]) scripts.add(module);
  for (const id of ["root", "routes/d.$slug"]) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`no route ${id} in the manifest`);
    for (const module of [route.module, ...(route.imports ?? [])]) scripts.add(module);
  }
  return { scripts, manifest };
}

/** The chunk the document page imports on demand for the editor (CollaborativeEditor). */
async function editorChunk(baseUrl: string, manifest: RemixManifest): Promise<string> {
  const route = manifest.routes["routes/d.$slug"];
  const source = await text(`${baseUrl}${route?.module ?? ""}`);
  const dynamic = [...source.matchAll(/import\(\s*["']\.\/([^"']+\.js)["']\s*\)/g)].map((match) => `/assets/${match[1] ?? ""}`);
  const editor = dynamic.find((path) => /CollaborativeEditor/.test(path));
  if (!editor) throw new Error(`the document page imports no editor chunk on demand (it imports ${dynamic.join(", ") || "nothing"})`);
  return editor;
}

/** A chunk's static imports, and theirs. */
async function withImports(baseUrl: string, chunk: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(chunk)) return seen;
  seen.add(chunk);
  const source = await text(`${baseUrl}${chunk}`);
  for (const match of source.matchAll(/(?:from|import)\s*["']\.\/([^"']+\.js)["']/g)) await withImports(baseUrl, `/assets/${match[1] ?? ""}`, seen);
  return seen;
}

async function compressedSize(baseUrl: string, scripts: Iterable<string>): Promise<number> {
  let total = 0;
  for (const script of scripts) {
    const { status, body } = await transferred(`${baseUrl}${script}`);
    expect(status, script).toBe(200);
    total += body.length;
  }
  return total;
}

describe("the scripts a draft page loads", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.dispose());

  it.each([
    ["a visitor", null],
    ["a member", "member"],
  ] as const)("gives %s at most 150 kB of script, compressed, and none of the editor", async (_who, role) => {
    const headers: Record<string, string> = role ? { Cookie: (await signedInAs(server.services.db, role)).cookie } : {};
    const html = await text(`${server.url}${DRAFT}`, headers);
    const { scripts, manifest } = pageScripts(html);
    const editor = await editorChunk(server.url, manifest);
    expect([...scripts]).not.toContain(editor);
    for (const script of scripts) expect(EDITOR_CODE.test(await text(`${server.url}${script}`)), script).toBe(false);

    const size = await compressedSize(server.url, scripts);
    console.info(`${_who}'s draft page: ${scripts.size} scripts, ${size} bytes brotli (budget ${BUDGET_BYTES})`);
    expect(size).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("asks for its stylesheet and scripts in the response's Link header, all in one round of six requests", async () => {
    const response = await fetch(`${server.url}${DRAFT}`);
    const { scripts } = pageScripts(await response.text());
    const linked = [...(response.headers.get("link") ?? "").matchAll(/<([^>]+)>; rel=(modulepreload|preload; as=style)/g)];
    const preloadedScripts = linked.filter(([, , rel]) => rel === "modulepreload").map(([, url]) => url);
    expect(new Set(preloadedScripts)).toEqual(scripts);
    expect(linked.filter(([, url]) => url?.endsWith(".css"))).toHaveLength(1);
    // Over HTTP/1.1 a browser opens six connections per host: a seventh request waits a whole round trip more.
    expect(linked.length).toBeLessThanOrEqual(6);
  });

  it("gives an editor the editor's chunk on top of the reader's scripts", async () => {
    const { cookie } = await signedInAs(server.services.db, "editor");
    const html = await text(`${server.url}${DRAFT}`, { Cookie: cookie });
    const { scripts, manifest } = pageScripts(html);
    const editor = await withImports(server.url, await editorChunk(server.url, manifest));
    const extra = [...editor].filter((chunk) => !scripts.has(chunk));
    const extraCode = await Promise.all(extra.map((chunk) => text(`${server.url}${chunk}`)));
    expect(extraCode.some((code) => EDITOR_CODE.test(code))).toBe(true);
    const readerSize = await compressedSize(server.url, scripts);
    const editorSize = await compressedSize(server.url, extra);
    console.info(`editor's draft page: ${readerSize} bytes brotli as a reader's, and the editor ${editorSize} bytes brotli more in ${extra.length} chunks (${extra.join(", ")})`);
  });
});
