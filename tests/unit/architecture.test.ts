import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The layers import one way, db ← app ← server (decision 0017): a change in a lower layer cannot be broken by an
// upper one, and no module is half-initialised because of an import cycle. Type-only imports count: a view that
// imports its route's loader type ties the two together as surely as a value import.

const ROOT = resolve(import.meta.dirname, "../..");
const LAYERS = ["db", "app", "server"] as const;
type Layer = (typeof LAYERS)[number];
const ALIASES: Record<string, string> = { "~/": "app", "#app/": "app", "#db/": "db", "#server/": "server", "#tests/": "tests", "#docs/": "docs" };
const SOURCE = /\.(ts|tsx)$/;

function sourceFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory)).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(join(ROOT, path)).isDirectory()) return entry === "node_modules" ? [] : sourceFiles(path);
    return SOURCE.test(entry) && !entry.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveFile(candidate: string): string | null {
  for (const suffix of ["", ".ts", ".tsx", "/index.ts", "/index.tsx"]) {
    const path = candidate + suffix;
    if (existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile()) return path;
  }
  return null;
}

interface Import {
  from: string;
  specifier: string;
  /** Repository-relative path of the imported file, or null for a package. */
  to: string | null;
}

function importsOf(file: string): Import[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return importedFiles.map(({ fileName: specifier }) => {
    const bare = specifier.replace(/\?.*$/, "");
    const alias = Object.keys(ALIASES).find((prefix) => bare.startsWith(prefix));
    let target: string | null = null;
    if (alias) target = join(ALIASES[alias] as string, bare.slice(alias.length));
    else if (bare.startsWith(".")) target = relative(ROOT, resolve(ROOT, dirname(file), bare));
    return { from: file, specifier, to: target === null ? null : (resolveFile(target) ?? target) };
  });
}

const layerOf = (path: string): Layer | null => LAYERS.find((layer) => path.startsWith(`${layer}/`)) ?? null;

const layeredFiles = LAYERS.flatMap((layer) => sourceFiles(layer));
const everyFile = [...layeredFiles, ...sourceFiles("tests"), ...sourceFiles("bench")];
const importsByFile = new Map(everyFile.map((file) => [file, importsOf(file)]));

describe("architecture", () => {
  it("imports only downwards: db imports neither app nor server, app does not import server", () => {
    const upward = layeredFiles.flatMap((file) =>
      (importsByFile.get(file) ?? []).filter(({ to }) => {
        const from = layerOf(file);
        const target = to === null ? null : layerOf(to);
        return from !== null && target !== null && LAYERS.indexOf(target) > LAYERS.indexOf(from);
      }),
    );
    expect(upward.map(({ from, specifier }) => `${from} → ${specifier}`)).toEqual([]);
  });

  it("has no import cycles in db, app and server", () => {
    expect(cycles(layeredFiles).map((cycle) => cycle.join(" → "))).toEqual([]);
  });

  it("names other folders by one alias style (#app/, #db/, #server/, #tests/), never by ../", () => {
    const climbing = everyFile.flatMap((file) =>
      (importsByFile.get(file) ?? []).filter(({ specifier }) => specifier.startsWith("../") || specifier.startsWith("~/")),
    );
    expect(climbing.map(({ from, specifier }) => `${from} → ${specifier}`)).toEqual([]);
  });

  it("models return data: no AppLoadContext, Response or redirect in app/models", () => {
    // Models take services and return data; reading the request and shaping the answer (guards that throw a
    // Response, files, event streams) is app/http's job, so a model can be called from a test, a CLI or a socket.
    const httpShaped = /AppLoadContext|Response|redirect\(|json\(/;
    const models = sourceFiles("app/models");
    expect(models.length).toBeGreaterThan(0);
    expect(models.filter((file) => httpShaped.test(readFileSync(join(ROOT, file), "utf8")))).toEqual([]);
  });

  it("finds the imports it checks", () => {
    // Guards the checks above against passing because the scan found nothing.
    const appToDb = (importsByFile.get("app/models/audit.server.ts") ?? []).filter(({ to }) => to?.startsWith("db/"));
    expect(appToDb.length).toBeGreaterThan(0);
    expect(cycles(["a", "b"], new Map([["a", ["b"]], ["b", ["a"]]]))).toEqual([["a", "b"]]);
  });
});

/** Strongly connected components with more than one file (Tarjan), each listed from its first file in order. */
function cycles(files: readonly string[], edges = localEdges(files)): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found;
}

function localEdges(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      (importsByFile.get(file) ?? []).flatMap(({ to }) => (to !== null && known.has(to) ? [to] : [])),
    ]),
  );
}
