/** Shared by the server's feedback rules and the pages' components (which may not import *.server modules). */

/** A thread a version incorporated: accepted (wholly or partly) since the version before it. */
export interface IncorporatedThread {
  id: string;
  quote: string;
  authorName: string;
  authorOrganisation: string;
  outcome: "accepted" | "partly-accepted";
}
