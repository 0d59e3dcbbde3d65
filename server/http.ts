import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import type { AppServices } from "#app/services";
import { createLogger } from "#app/log.server";
import { readBodies, type BodyLimits } from "./body-limit";
import { precompressedStatic } from "./compression";
import { rejectCrossOriginWrites } from "./csrf";
import { remixHandler } from "./remix-handler";
import { labelRoute, remixRoutePattern } from "./metrics";
import type { Operations } from "./operations";
import { refuseMalformedRequests } from "./request-guards";
import { securityHeaders } from "./security-headers";

const log = createLogger("http");

export interface HttpAppOptions {
  mode: "development" | "production" | "test";
  services: AppServices;
  /** The HTTP server the app will run on; Vite's HMR socket shares it in development. */
  httpServer: Server;
  /** Express "trust proxy" setting, so request.ip is the client's address behind a reverse proxy. */
  trustProxy?: string;
  /** Folder holding the Remix build (client/ and server/). */
  buildDirectory?: string;
  /** The largest request body each route accepts. */
  bodyLimits: BodyLimits;
  /** Health, readiness and metrics, answered before anything else; every other request is timed. */
  operations: Pick<Operations, "routes" | "metrics">;
}

/** The Express app serving static assets and every Remix route. */
export async function createHttpApp(options: HttpAppOptions): Promise<{ app: express.Express; close(): Promise<void> }> {
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy) app.set("trust proxy", options.trustProxy);
  app.use(options.operations.routes);
  app.use(options.operations.metrics.observeRequests);
  app.use(securityHeaders({ enforceCsp: options.mode !== "development" }));
  // Hostile or broken requests are answered here, as 4xx, before any of them costs a database query or memory.
  app.use(refuseMalformedRequests());
  app.use(rejectCrossOriginWrites());
  app.use(readBodies(options.bodyLimits));
  const getLoadContext = (request: express.Request, response: express.Response) => ({
    services: options.services,
    cspNonce: String(response.locals.cspNonce),
    clientIp: request.ip ?? "unknown",
    serverOnly: {},
  });
  const buildDirectory = path.resolve(options.buildDirectory ?? "build");

  if (options.mode === "development") {
    const vite = await import("vite");
    const viteServer = await vite.createServer({
      server: { middlewareMode: true, hmr: { server: options.httpServer } },
    });
    app.use(viteServer.middlewares);
    app.all(
      "*",
      labelRoute("development"),
      remixHandler({
        build: () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
        getLoadContext,
        mode: "development",
      }),
    );
    return { app, close: () => viteServer.close() };
  }

  const build = await loadBuild(buildDirectory);
  // Hashed file names change with their content, so a year is safe; the brotli and gzip copies the build wrote are
  // served to browsers that accept them, the originals by express.static to the rest.
  const assets = { root: path.join(buildDirectory, "client/assets"), caching: { immutable: true, maxAge: "1y" } };
  const client = { root: path.join(buildDirectory, "client"), caching: { maxAge: "1h" } };
  app.use("/assets", labelRoute("/assets/*"), precompressedStatic(assets.root, assets.caching), express.static(assets.root, assets.caching));
  app.use(labelRoute("static"), precompressedStatic(client.root, client.caching), express.static(client.root, client.caching));
  app.all("*", labelRoute(remixRoutePattern(build.routes)), remixHandler({ build, getLoadContext, mode: "production" }));
  app.use(errorHandler);
  return { app, close: async () => {} };
}

async function loadBuild(buildDirectory: string): Promise<ServerBuild> {
  const entry = path.join(buildDirectory, "server/index.js");
  if (!existsSync(entry)) throw new Error(`The app is not built (${entry} is missing): run "npm run build" first.`);
  return (await import(entry)) as ServerBuild;
}

// Errors that escape Remix (it renders its own error boundaries) must still never show a stack trace.
const errorHandler: express.ErrorRequestHandler = (error, _request, response, _next) => {
  log.error("request failed", { error: error instanceof Error ? error : String(error) });
  if (response.headersSent) return response.end();
  response.status(500).type("text/plain; charset=utf-8").send("Något gick fel. Something went wrong.");
};
