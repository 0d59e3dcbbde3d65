/**
 * The stored shape of a comment thread's anchor (comment_threads.anchor). How anchors are made and found again is
 * the app's business (app/comments/anchoring.ts); the database layer only needs to know what it holds.
 */

/** W3C TextQuoteSelector; prefix and suffix are up to CONTEXT_LENGTH characters of the same block's text. */
export interface TextQuote {
  exact: string;
  prefix: string;
  suffix: string;
}

/** Characters clock, clock + 1, … clock + length - 1 of one Yjs client. */
export type CharacterRun = [client: number, clock: number, length: number];

export interface StoredAnchor {
  blockId: string;
  /** Text of the block (first 500 chars) when the thread was made, to show if the block is later removed. */
  blockText: string;
  /**
   * null for a comment on the whole block. start/end: base64 of Y.encodeRelativePosition. `unique`: the quote
   * occurred exactly once in the whole draft when the thread was made (absent in anchors made before it existed).
   * `characters`: the Yjs ids of the quoted characters, as runs [client, clock, length], to count how many of them
   * are still there (absent in anchors made before decision 0016).
   */
  passage: {
    start: string;
    end: string;
    quote: TextQuote;
    unique?: boolean;
    characters?: CharacterRun[];
  } | null;
}
