import type { AppLoadContext } from "@remix-run/node";
import { can, type Action } from "#app/models/authorization.server";
import { parseSessionCookie, readSession, type CurrentSession } from "#app/models/sessions.server";

// The guards throw the Response to send (Remix sends a thrown Response as it is), so a loader reads top to bottom
// and the models it then calls never see the request.

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

/**
 * Where links shown for sharing point (a QR code, a calendar entry, a report): PUBLIC_URL when the operator set it,
 * otherwise the origin the reader's own browser asked for. Not for mail: see mailLinkOrigin.
 */
export function publicBaseUrl(request: Request, services: { publicUrl: string | undefined }): string {
  return services.publicUrl ?? new URL(request.url).origin;
}

/**
 * The origin of a link that will reach someone other than the person asking (a password reset mail, an invite):
 * PUBLIC_URL, or without it the request's origin only if it is one of the server's own (services.localOrigins).
 * Otherwise null: the Host header is the client's to choose, and an attacker's would have the victim sent to them.
 */
export function mailLinkOrigin(request: Request, services: { publicUrl: string | undefined; localOrigins: ReadonlySet<string> }): string | null {
  if (services.publicUrl) return services.publicUrl;
  const origin = new URL(request.url).origin;
  return services.localOrigins.has(origin) ? origin : null;
}
