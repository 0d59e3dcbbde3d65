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
