import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";

/** The Content-Security-Policy of every page, with this response's script nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // Only our own bundles, and the inline scripts Remix renders with this response's nonce.
    `script-src 'self' 'nonce-${nonce}'`,
    // Collaboration carets are coloured with inline style attributes (one colour per editor).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    // 'self' covers the collaboration websocket on the same host and port (ws:/wss:).
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * Security headers on every response, and a fresh nonce in `response.locals.cspNonce` for the page renderer.
 * In development Vite injects its own unnonced scripts, so the policy is only sent in production.
 */
export function securityHeaders({ enforceCsp }: { enforceCsp: boolean }): RequestHandler {
  return (_request, response, next) => {
    const nonce = randomBytes(16).toString("base64");
    response.locals.cspNonce = nonce;
    if (enforceCsp) response.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    next();
  };
}
