/** Addresses of threads and versions, the same in the pages that link to them and in mail. */

/** A thread on the live draft, where it is answered: the list shows every thread and opens at this one. */
export function threadPath(slug: string, threadId: string): string {
  return `/d/${slug}?comments=all&show=${threadId}#thread-${threadId}`;
}

/** One comment on the live draft, as threadPath finds its thread. */
export function commentPath(slug: string, commentId: string): string {
  return `/d/${slug}?comments=all&show=${commentId}#comment-${commentId}`;
}

export function versionPath(slug: string, versionNumber: number): string {
  return `/d/${slug}/v/${versionNumber}`;
}

/**
 * Where a visitor who chose a paragraph, or a passage of it, to comment on comes back to after signing in: the draft
 * with the composer open for it (the page checks the offsets against the text), scrolled to the paragraph.
 */
export function composePath(slug: string, blockId: string, passage: { from: number; to: number } | null): string {
  const range = passage ? `&from=${passage.from}&to=${passage.to}` : "";
  return `/d/${slug}?comment=${encodeURIComponent(blockId)}${range}#${encodeURIComponent(blockId)}`;
}

/** The sign-in page, sent back to `path` afterwards. */
export function signInPath(path: string): string {
  return `/sign-in?redirectTo=${encodeURIComponent(path)}`;
}
