import type { AppLoadContext } from "@remix-run/node";
import { can, type Action } from "./authorization.server";
import { parseSessionCookie, readSession, type CurrentSession } from "./sessions.server";

// The root's loader and the page's loader of one request ask for the same session: read it once per request.
const sessionsOfReadRequests = new WeakMap<Request, Promise<CurrentSession | null>>();

/** The signed-in person of a request, or null for a visitor. */
export function getCurrentSession(request: Request, context: AppLoadContext): Promise<CurrentSession | null> {
  const token = parseSessionCookie(request.headers.get("Cookie"));
  if (!token) return Promise.resolve(null);
  // Only reads share it: an action may end or change the session, and loaders after it must see that.
  if (request.method !== "GET" && request.method !== "HEAD") return readSession(context.services.db, token);
  let session = sessionsOfReadRequests.get(request);
  if (!session) {
    session = readSession(context.services.db, token);
    sessionsOfReadRequests.set(request, session);
  }
  return session;
}

/**
 * The signed-in person, who must be allowed `action`. Throws the response to send otherwise: visitors go to
 * sign-in and come back; signed-in people without the right get 403. Loaders read top to bottom with no branches.
 */
export async function requirePermission(request: Request, context: AppLoadContext, action: Action): Promise<CurrentSession> {
  const current = await getCurrentSession(request, context);
  if (!current) {
    const url = new URL(request.url);
    throw new Response(null, {
      status: 302,
      headers: { Location: `/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}` },
    });
  }
  if (!can(current.role, action)) throw new Response("Forbidden", { status: 403 });
  return current;
}

/** Only same-site paths: a sign-in form must never send people to another site. */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  return typeof value === "string" && /^\/(?![/\\])/.test(value) ? value : fallback;
}

/**
 * Where links sent by mail or shown for sharing point: PUBLIC_URL when the operator set it. Otherwise the request's
 * own origin, whose host comes from the Host header a client chooses; operators should therefore set PUBLIC_URL.
 */
export function publicBaseUrl(request: Request, services: { publicUrl: string | undefined }): string {
  return services.publicUrl ?? new URL(request.url).origin;
}
