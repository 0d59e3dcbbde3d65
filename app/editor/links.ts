/** Links the draft shows as links: web and mail addresses only, never `javascript:` or `data:` ones a user typed. */
export function isSafeLink(href: unknown): href is string {
  return typeof href === "string" && /^(https?:|mailto:)/i.test(href);
}
