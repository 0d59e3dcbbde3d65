import type { RequestHandler } from "express";

/** The methods Remix answers: loaders for GET and HEAD, actions for POST (every form of the app posts). */
export const ALLOWED_METHODS = ["GET", "HEAD", "POST"] as const;
const ALLOWED = new Set<string>(ALLOWED_METHODS);

// Every control character, in a path; in a query, tab and line breaks may stand in search text.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const PATH_CONTROL = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const QUERY_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Answers requests the app cannot make sense of before they reach Remix, where they would fail as 500s: other
 * methods (405, with Allow), a path that is not valid percent-encoded UTF-8 or holds control characters, or a query
 * that holds them (400). Nothing the app serves has such a path, and no form of it sends such a query.
 */
export function refuseMalformedRequests(): RequestHandler {
  return (request, response, next) => {
    if (!ALLOWED.has(request.method)) {
      response.setHeader("Allow", ALLOWED_METHODS.join(", "));
      return plain(response.status(405), "Metoden stöds inte. Method not allowed.");
    }
    const problem = urlProblem(request.originalUrl);
    if (problem) return plain(response.status(400), problem);
    next();
  };
}

/** Why the request target cannot be served, or null. */
export function urlProblem(target: string): string | null {
  const queryStart = target.indexOf("?");
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = queryStart === -1 ? "" : target.slice(queryStart + 1);
  const decodedPath = decoded(path);
  if (decodedPath === null || PATH_CONTROL.test(decodedPath)) return "Ogiltig adress. Malformed address.";
  const decodedQuery = decoded(query.replaceAll("+", " "));
  if (decodedQuery === null || QUERY_CONTROL.test(decodedQuery)) return "Ogiltiga parametrar i adressen. Malformed query.";
  return null;
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function plain(response: Parameters<RequestHandler>[1], message: string): void {
  response.type("text/plain; charset=utf-8").send(message);
}
