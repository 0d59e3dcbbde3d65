import type { RequestHandler } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests sent from another site. Session cookies are SameSite=Lax, which already keeps
 * them off cross-site POSTs; checking Origin as well covers browsers and same-site-but-cross-origin cases Lax
 * does not. Browsers send Origin on every POST, so a missing header means a non-browser client, which carries no
 * ambient cookies of a victim and is let through.
 */
export function rejectCrossOriginWrites(): RequestHandler {
  return (request, response, next) => {
    if (SAFE_METHODS.has(request.method)) return next();
    const origin = request.get("origin");
    if (origin === undefined || isSameOrigin(origin, request.get("host"))) return next();
    response.status(403).type("text/plain; charset=utf-8").send("Förfrågan kom från en annan webbplats och avvisades. Cross-site request refused.");
  };
}

/** "null" (a sandboxed or privacy-stripped origin) is never the same origin. */
export function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (origin === "null") return false;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
