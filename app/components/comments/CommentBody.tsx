import type { ReactNode } from "react";

// Web addresses in plain text; trailing punctuation belongs to the sentence, not the link.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]'’”]+$/;

/**
 * A comment as its author wrote it: plain text, line breaks kept by CSS, web addresses as links. Nothing is
 * ever interpreted as HTML: every piece is a React text node or an <a> whose href is the matched address.
 */
export function CommentBody({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const url = match[0].replace(TRAILING_PUNCTUATION, "");
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={url} rel="nofollow ugc noopener noreferrer">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <p className="comment-body">{parts}</p>;
}
