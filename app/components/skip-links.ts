/** What a route's `handle` may ask of the site header: a second skip link, to the page's comments. */
export interface SkipLinksHandle {
  skipToComments: true;
}

/** Handles are the routes' own constants, not input: a shape check is enough (and keeps zod out of every page's scripts). */
export function wantsSkipToComments(handle: unknown): boolean {
  return typeof handle === "object" && handle !== null && (handle as Partial<SkipLinksHandle>).skipToComments === true;
}

/** The comments' element on such a page; the skip link's target. */
export const COMMENTS_TARGET = "comments";
