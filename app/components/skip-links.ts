import { z } from "zod";

/** What a route's `handle` may ask of the site header: a second skip link, to the page's comments. */
const skipLinksHandle = z.object({ skipToComments: z.literal(true) });

export type SkipLinksHandle = z.infer<typeof skipLinksHandle>;

export function wantsSkipToComments(handle: unknown): boolean {
  return skipLinksHandle.safeParse(handle).success;
}

/** The comments' element on such a page; the skip link's target. */
export const COMMENTS_TARGET = "comments";
